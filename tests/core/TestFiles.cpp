#include "TestFiles.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

// libjpeg's header needs <cstdio> first.
#include <jpeglib.h>
#include <nifti1_io.h>
#include <zlib.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

namespace testfiles {

void writeBytes(const std::filesystem::path& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

void writeText(const std::filesystem::path& path, std::string_view text) {
    writeBytes(path, Bytes(text.begin(), text.end()));
}

Bytes readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

namespace {

void appendBe32(Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<unsigned char>(value >> shift));
    }
}

// A PNG chunk: length, type, data and the CRC over type and data.
void appendChunk(Bytes& out, const char* type, const Bytes& data) {
    appendBe32(out, static_cast<std::uint32_t>(data.size()));
    Bytes typed(type, type + 4);
    typed.insert(typed.end(), data.begin(), data.end());
    out.insert(out.end(), typed.begin(), typed.end());
    appendBe32(out, static_cast<std::uint32_t>(crc32(0L, typed.data(), static_cast<uInt>(typed.size()))));
}

}  // namespace

Bytes pngHeaderOnly(std::uint32_t width, std::uint32_t height) {
    Bytes png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    Bytes ihdr;
    appendBe32(ihdr, width);
    appendBe32(ihdr, height);
    ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8-bit gray, deflate, no filter, no interlace
    appendChunk(png, "IHDR", ihdr);
    appendChunk(png, "IEND", {});
    return png;
}

void writeCmykJpeg(const std::filesystem::path& path, int width, int height,
                   const std::array<std::array<unsigned char, 4>, 2>& cmyk) {
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr jerr{};
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = static_cast<JDIMENSION>(width);
    cinfo.image_height = static_cast<JDIMENSION>(height);
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&cinfo);  // CMYK in, CMYK out, with an Adobe APP14 marker
    jpeg_set_quality(&cinfo, 98, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    std::vector<unsigned char> row(static_cast<std::size_t>(width) * 4);
    for (int x = 0; x < width; ++x) {
        const auto& ink = cmyk[x < width / 2 ? 0 : 1];
        for (std::size_t c = 0; c < 4; ++c) {
            row[static_cast<std::size_t>(x) * 4 + c] =
                static_cast<unsigned char>(255 - ink[c]);  // Adobe: inverted
        }
    }
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {row.data()};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    const std::unique_ptr<unsigned char, decltype(&std::free)> owned(buffer, &std::free);
    writeBytes(path, Bytes(buffer, buffer + size));
}

namespace {

std::string joined(const double* values, std::size_t count) {
    std::string out;
    for (std::size_t n = 0; n < count; ++n) {
        if (n > 0) {
            out += '\\';
        }
        out += std::to_string(values[n]);
    }
    return out;
}

void putPixels(DcmDataset& dataset, const DicomSpec& spec) {
    if (spec.bitsAllocated == 8) {
        std::vector<Uint8> data;
        for (const auto v : spec.pixels) {
            data.push_back(static_cast<Uint8>(v));
        }
        dataset.putAndInsertUint8Array(DCM_PixelData, data.data(), static_cast<unsigned long>(data.size()));
        return;
    }
    std::vector<Uint16> data;
    for (const auto v : spec.pixels) {
        data.push_back(
            static_cast<Uint16>(spec.signedPixels ? static_cast<Uint16>(static_cast<Sint16>(v)) : v));
    }
    dataset.putAndInsertUint16Array(DCM_PixelData, data.data(), static_cast<unsigned long>(data.size()));
}

}  // namespace

void writeDicom(const std::filesystem::path& path, const DicomSpec& spec) {
    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    char uid[100];
    const bool colour = spec.photometric == "RGB";
    ds.putAndInsertString(DCM_SOPClassUID, colour ? UID_SecondaryCaptureImageStorage : UID_MRImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
    ds.putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.2.1143.7");
    ds.putAndInsertString(DCM_SeriesInstanceUID, spec.seriesUid.c_str());
    ds.putAndInsertString(DCM_Modality, "MR");
    ds.putAndInsertString(DCM_PatientName, "Test^Phantom");
    if (spec.withPixelData) {
        ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(spec.rows));
        ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(spec.columns));
        ds.putAndInsertUint16(DCM_SamplesPerPixel, colour ? 3 : 1);
        if (colour) {
            ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
        }
        ds.putAndInsertString(DCM_PhotometricInterpretation, spec.photometric.c_str());
        ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(spec.bitsAllocated));
        ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(spec.bitsAllocated));
        ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(spec.bitsAllocated - 1));
        ds.putAndInsertUint16(DCM_PixelRepresentation, spec.signedPixels ? 1 : 0);
        if (spec.frames > 1) {
            ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(spec.frames).c_str());
        }
        const std::string spacing = joined(spec.pixelSpacing.data(), 2);
        ds.putAndInsertString(DCM_PixelSpacing, spacing.c_str());
        putPixels(ds, spec);
    }
    const auto putOptional = [&](const DcmTagKey& tag, const std::optional<std::string>& value) {
        if (value) {
            ds.putAndInsertString(tag, value->c_str());
        }
    };
    putOptional(DCM_RescaleSlope, spec.slope);
    putOptional(DCM_RescaleIntercept, spec.intercept);
    putOptional(DCM_WindowCenter, spec.windowCentre);
    putOptional(DCM_WindowWidth, spec.windowWidth);
    if (spec.position) {
        ds.putAndInsertString(DCM_ImagePositionPatient, joined(spec.position->data(), 3).c_str());
    }
    if (spec.orientation) {
        ds.putAndInsertString(DCM_ImageOrientationPatient, joined(spec.orientation->data(), 6).c_str());
    }
    if (spec.instance) {
        ds.putAndInsertString(DCM_InstanceNumber, std::to_string(*spec.instance).c_str());
    }
    const OFCondition status = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
    if (status.bad()) {
        throw std::runtime_error("cannot write DICOM " + path.string() + ": " + status.text());
    }
}

void writeNifti(const std::filesystem::path& path, const NiftiSpec& spec) {
    const int dims[8] = {3, spec.size[0], spec.size[1], spec.size[2], 1, 1, 1, 1};
    const std::unique_ptr<nifti_image, decltype(&nifti_image_free)> image(
        nifti_make_new_nim(dims, DT_INT16, 1), &nifti_image_free);
    if (!image || spec.voxels.size() != image->nvox) {
        throw std::runtime_error("bad NIfTI test spec for " + path.string());
    }
    std::memcpy(image->data, spec.voxels.data(), spec.voxels.size() * sizeof(std::int16_t));
    image->scl_slope = spec.slope;
    image->scl_inter = spec.intercept;
    image->dx = image->pixdim[1] = spec.pixdim[0];
    image->dy = image->pixdim[2] = spec.pixdim[1];
    image->dz = image->pixdim[3] = spec.pixdim[2];
    image->qform_code = 0;
    image->sform_code = 1;  // NIFTI_XFORM_SCANNER_ANAT
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 4; ++c) {
            image->sto_xyz.m[r][c] =
                spec.sform ? (*spec.sform)[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)]
                           : (r == c ? spec.pixdim[static_cast<std::size_t>(r)] : 0.0f);
        }
    }
    if (nifti_set_filenames(image.get(), path.c_str(), 0, 1) != 0) {
        throw std::runtime_error("niftilib rejected the name " + path.string());
    }
    nifti_image_write(image.get());
}

}  // namespace testfiles
