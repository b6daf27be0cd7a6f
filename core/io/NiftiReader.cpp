#include "io/NiftiReader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <nifti1_io.h>
#include <zlib.h>

#include "common/Error.h"
#include "io/ReadLimits.h"
#include "io/ScanReader.h"

namespace saliency {

namespace {

constexpr int kNifti1HeaderSize = 348;
constexpr int kNifti2HeaderSize = 540;
// Bytes a compressed stream may hold beyond the voxels the header describes (some writers pad);
// more is not this volume, and reading on would let a gzip bomb run.
constexpr std::uintmax_t kTrailingSlack = std::uintmax_t{1} << 20;

struct NiftiImageDeleter {
    void operator()(nifti_image* image) const { nifti_image_free(image); }
};
using NiftiImagePtr = std::unique_ptr<nifti_image, NiftiImageDeleter>;

struct GzFileCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};

// niftilib reports failures on stderr and returns null; we give our own reasons instead.
void silenceNiftilib() {
    static const bool silenced = [] {
        nifti_set_debug_level(0);
        return true;
    }();
    (void)silenced;
}

// The first bytes of the file, through gzip when compressed (zlib reads plain files as they are).
std::string readHeaderBytes(const std::filesystem::path& path) {
    const std::unique_ptr<gzFile_s, GzFileCloser> file(gzopen(path.c_str(), "rb"));
    if (!file) {
        throw FileError(path, "cannot open the file");
    }
    std::string bytes(kNifti1HeaderSize, '\0');
    const int got = gzread(file.get(), bytes.data(), static_cast<unsigned>(bytes.size()));
    if (got < 0) {
        int code = 0;
        gzerror(file.get(), &code);  // its message repeats the path
        throw FileError(path, code == Z_DATA_ERROR ? std::string("corrupt gzip data: the CRC-32 or length check "
                                                                 "failed, or the compressed bytes are damaged")
                                                   : "corrupt gzip data (zlib error " + std::to_string(code) + ")");
    }
    bytes.resize(static_cast<std::size_t>(got));
    return bytes;
}

std::int32_t int32At(const std::string& bytes, std::size_t at, bool swap) {
    std::array<unsigned char, 4> raw{};
    std::memcpy(raw.data(), bytes.data() + at, raw.size());
    if (swap) {
        std::swap(raw[0], raw[3]);
        std::swap(raw[1], raw[2]);
    }
    std::int32_t value = 0;
    std::memcpy(&value, raw.data(), raw.size());
    return value;
}

std::int16_t int16At(const std::string& bytes, std::size_t at, bool swap) {
    std::array<unsigned char, 2> raw{};
    std::memcpy(raw.data(), bytes.data() + at, raw.size());
    if (swap) {
        std::swap(raw[0], raw[1]);
    }
    std::int16_t value = 0;
    std::memcpy(&value, raw.data(), raw.size());
    return value;
}

float floatAt(const std::string& bytes, std::size_t at, bool swap) {
    const std::int32_t raw = int32At(bytes, at, swap);
    float value = 0;
    std::memcpy(&value, &raw, sizeof value);
    return value;
}

// The voxel count and data size from the header, against the limits, before niftilib allocates
// anything; dimensions are multiplied without overflow (a hostile header may say 32767^7).
void checkDeclaredSize(const std::filesystem::path& path, const std::string& header, int ndim, bool swap) {
    std::uint64_t voxels = 1;
    for (int d = 1; d <= ndim; ++d) {
        const int size = int16At(header, 40 + 2 * static_cast<std::size_t>(d), swap);
        if (size < 1) {
            throw FileError(
                path, "NIfTI header invalid: dim[" + std::to_string(d) + "] is " + std::to_string(size));
        }
        voxels = saturatingProduct(voxels, static_cast<std::uint64_t>(size));
    }
    checkVolumeVoxels(path, voxels);
    const int bitpix = int16At(header, 72, swap);
    const std::uint64_t bytesPerVoxel = bitpix > 0 ? (static_cast<std::uint64_t>(bitpix) + 7) / 8 : 1;
    checkDecodedBytes(path, saturatingProduct(voxels, bytesPerVoxel));
    const float offset = floatAt(header, 108, swap);
    if (!std::isfinite(offset) || offset < 0 || offset > 1e9f)
        throw FileError(path, "NIfTI header invalid: vox_offset is " + std::to_string(offset));
}

// Our own look at the header, so that the common problems get a reason instead of niftilib's null.
void checkHeader(const std::filesystem::path& path) {
    const std::string header = readHeaderBytes(path);
    if (header.size() < 4) {
        throw FileError(path, "NIfTI header truncated: the file has " + std::to_string(header.size()) +
                                  " bytes, a header needs 348");
    }
    const std::int32_t sizeofHdr = int32At(header, 0, false);
    const std::int32_t swappedSize = int32At(header, 0, true);
    if (sizeofHdr == kNifti2HeaderSize || swappedSize == kNifti2HeaderSize) {
        throw FileError(path,
                        "NIfTI-2 files are not supported: convert it to NIfTI-1 (e.g. nibabel, or "
                        "FSL's fslchfiletype NIFTI_GZ)");
    }
    if (sizeofHdr != kNifti1HeaderSize && swappedSize != kNifti1HeaderSize) {
        throw FileError(path, "NIfTI header invalid: sizeof_hdr is " + std::to_string(sizeofHdr) +
                                  ", expected 348 (is this a NIfTI file?)");
    }
    if (header.size() < kNifti1HeaderSize) {
        throw FileError(path, "NIfTI header truncated: the file has " + std::to_string(header.size()) +
                                  " bytes, a header needs 348");
    }
    const bool swap = sizeofHdr != kNifti1HeaderSize;
    const std::string magic = header.substr(344, 3);
    if (magic == "ni1") {
        throw FileError(path,
                        "NIfTI magic is 'ni1' (a separate .hdr/.img pair): save it as a single .nii file");
    }
    if (magic != "n+1") {
        throw FileError(path, "NIfTI header invalid: magic is not 'n+1' (an ANALYZE 7.5 file?)");
    }
    const int ndim = int16At(header, 40, swap);
    if (ndim < 1 || ndim > 7) {
        throw FileError(path, "NIfTI header invalid: dim[0] is " + std::to_string(ndim) + ", expected 1..7");
    }
    checkDeclaredSize(path, header, ndim, swap);
}

bool isSupportedDatatype(int datatype) {
    switch (datatype) {
        case DT_UINT8:
        case DT_INT8:
        case DT_INT16:
        case DT_UINT16:
        case DT_INT32:
        case DT_UINT32:
        case DT_INT64:
        case DT_UINT64:
        case DT_FLOAT32:
        case DT_FLOAT64:
            return true;
        default:
            return false;
    }
}

void checkImage(const std::filesystem::path& path, const nifti_image& image) {
    if (image.nx < 1 || image.ny < 1 || image.nz < 1) {
        throw FileError(path, "NIfTI header invalid: dimensions " + std::to_string(image.nx) + " x " +
                                  std::to_string(image.ny) + " x " + std::to_string(image.nz));
    }
    if (!isSupportedDatatype(image.datatype)) {
        throw FileError(path, std::string("unsupported NIfTI datatype ") +
                                  nifti_datatype_string(image.datatype) +
                                  ": only scalar volumes (integer or float) can be sliced");
    }
    checkVolumeVoxels(path, static_cast<std::uint64_t>(image.nvox));
    checkDecodedBytes(path, saturatingProduct(static_cast<std::uint64_t>(image.nvox),
                                              static_cast<std::uint64_t>(std::max(image.nbyper, 1))));
}

std::uintmax_t bytesNeeded(const nifti_image& image) {
    return static_cast<std::uintmax_t>(image.iname_offset) +
           static_cast<std::uintmax_t>(image.nvox) * static_cast<std::uintmax_t>(image.nbyper);
}

// Reads the whole gzip stream through zlib, which checks every member's CRC-32 and length at its
// end (niftilib stops after the voxels and never reaches the trailer, so damaged compressed bytes
// would otherwise become wrong voxels). Stops, refusing the file, once the stream holds more than
// `limit` bytes: a gzip bomb is read no further than the volume the header describes.
std::uintmax_t verifiedDecompressedLength(const std::filesystem::path& path, std::uintmax_t limit) {
    const std::unique_ptr<gzFile_s, GzFileCloser> file(gzopen(path.c_str(), "rb"));
    if (!file) {
        throw FileError(path, "cannot open the file");
    }
    std::vector<char> buffer(1 << 20);
    std::uintmax_t total = 0;
    int got = 0;
    while ((got = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
        total += static_cast<std::uintmax_t>(got);
        if (total > limit) {
            throw FileError(path, "the compressed data inflates to more than the header describes (" +
                                      std::to_string(limit - kTrailingSlack) +
                                      " bytes, 1 MiB to spare): refused as inconsistent, or a decompression bomb");
        }
    }
    int code = Z_OK;
    gzerror(file.get(), &code);  // its message repeats the path; the code is enough
    if (code == Z_BUF_ERROR) {
        throw FileError(path, "truncated gzip data (unexpected end of file)");
    }
    if (code == Z_DATA_ERROR) {
        throw FileError(path,
                        "corrupt gzip data: the CRC-32 or length check failed, or the compressed bytes "
                        "are damaged");
    }
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
        throw FileError(path, "corrupt gzip data (zlib error " + std::to_string(code) + ")");
    }
    return total;
}

// niftilib zero-fills voxels missing from a short file and reports success, so the length is ours
// to check: a cut-off download must not become a volume with a black bottom half. A compressed
// file is read through once first, in 1 MiB steps and no further than the header's size: its
// integrity (CRC-32 and length of every gzip member) and its length, before niftilib allocates.
// (The gzip trailer's length field alone is not enough: it is modulo 2^32 and per member.)
void checkDataLength(const std::filesystem::path& path, const nifti_image& image) {
    const std::uintmax_t needed = bytesNeeded(image);
    const bool compressed = image.fname != nullptr && nifti_is_gzfile(image.fname);
    if (!compressed) {
        const std::uintmax_t size = std::filesystem::file_size(path);
        if (size < needed) {
            throw FileError(path, "truncated NIfTI data: the header describes " + std::to_string(needed) +
                                      " bytes, the file has " + std::to_string(size));
        }
        return;
    }
    const std::uintmax_t size = verifiedDecompressedLength(path, needed + kTrailingSlack);
    if (size < needed) {
        throw FileError(path, "truncated NIfTI data: the header describes " + std::to_string(needed) +
                                  " bytes, the decompressed file has " + std::to_string(size));
    }
}

template <typename T>
void copyAsFloat(const void* data, std::vector<float>& out) {
    const auto* values = static_cast<const T*>(data);
    for (std::size_t n = 0; n < out.size(); ++n) {
        out[n] = static_cast<float>(values[n]);
    }
}

std::vector<float> firstVolumeAsFloat(const nifti_image& image) {
    // The first 3D volume: for 4D files, time point 0 is the first nx*ny*nz voxels.
    std::vector<float> out(static_cast<std::size_t>(image.nx) * static_cast<std::size_t>(image.ny) *
                           static_cast<std::size_t>(image.nz));
    switch (image.datatype) {
        case DT_UINT8:
            copyAsFloat<std::uint8_t>(image.data, out);
            break;
        case DT_INT8:
            copyAsFloat<std::int8_t>(image.data, out);
            break;
        case DT_INT16:
            copyAsFloat<std::int16_t>(image.data, out);
            break;
        case DT_UINT16:
            copyAsFloat<std::uint16_t>(image.data, out);
            break;
        case DT_INT32:
            copyAsFloat<std::int32_t>(image.data, out);
            break;
        case DT_UINT32:
            copyAsFloat<std::uint32_t>(image.data, out);
            break;
        case DT_INT64:
            copyAsFloat<std::int64_t>(image.data, out);
            break;
        case DT_UINT64:
            copyAsFloat<std::uint64_t>(image.data, out);
            break;
        case DT_FLOAT32:
            copyAsFloat<float>(image.data, out);
            break;
        case DT_FLOAT64:
            copyAsFloat<double>(image.data, out);
            break;
        default:
            break;  // rejected by checkImage
    }
    // scl_slope 0 means "no scaling" (NIfTI-1 standard); the maths is done in double for precision.
    const double slope = image.scl_slope;
    const double intercept = std::isfinite(image.scl_inter) ? image.scl_inter : 0.0;
    if (slope != 0.0 && std::isfinite(slope) && (slope != 1.0 || intercept != 0.0)) {
        for (float& v : out) {
            v = static_cast<float>(v * slope + intercept);
        }
    }
    return out;
}

double validSpacing(float value) {
    return std::isfinite(value) && value > 0 ? static_cast<double>(value) : 1.0;
}

// The index axes' directions in RAS+ (NIfTI's x, y, z) from sform, else qform. Without either, the
// file is taken as RAS already (ANALYZE-style default; nothing better to go by).
AxisDirections directionsOf(const nifti_image& image) {
    const mat44* matrix =
        image.sform_code > 0 ? &image.sto_xyz : (image.qform_code > 0 ? &image.qto_xyz : nullptr);
    AxisDirections directions{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    if (matrix != nullptr) {
        for (std::size_t axis = 0; axis < 3; ++axis) {
            for (std::size_t row = 0; row < 3; ++row) {
                directions[axis][row] = matrix->m[row][axis];
            }
        }
    }
    return directions;
}

}  // namespace

Volume readNifti(const std::filesystem::path& path) {
    checkReadableFile(path);
    checkHeader(path);
    silenceNiftilib();

    const NiftiImagePtr image(nifti_image_read(path.c_str(), 0));
    if (!image) {
        throw FileError(path, "NIfTI header could not be parsed (niftilib needs a .nii or .nii.gz name)");
    }
    checkImage(path, *image);
    checkDataLength(path, *image);
    if (nifti_image_load(image.get()) != 0 || image->data == nullptr) {
        throw FileError(path,
                        "cannot read NIfTI voxel data: the file is truncated or its compression is corrupt");
    }

    Volume volume;
    volume.size = {image->nx, image->ny, image->nz};
    volume.spacing = {validSpacing(image->dx), validSpacing(image->dy), validSpacing(image->dz)};
    volume.source = path;
    volume.sourceBits = image->nbyper * 8;
    try {
        volume.voxels = firstVolumeAsFloat(*image);
    } catch (const std::bad_alloc&) {
        throw FileError(path, "not enough memory for the NIfTI volume");
    }
    return reorientToRas(volume, directionsOf(*image));
}

}  // namespace saliency
