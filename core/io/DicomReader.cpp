#include "io/DicomReader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

// DCMTK's config header must come first.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimage/diregist.h>  // colour (RGB, YBR, palette) support for DicomImage
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include "common/Error.h"
#include "io/ReadLimits.h"
#include "io/ScanReader.h"

namespace saliency {

namespace {

// Codecs are process-wide registries in DCMTK; a function-local static registers them exactly once,
// thread-safely. They are never cleaned up: other threads may still be decoding at exit.
void registerCodecsOnce() {
    static const bool registered = [] {
        // Every failure becomes a FileError with a reason; DCMTK's own log lines would only repeat it.
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        return true;
    }();
    (void)registered;
}

bool isJpeg2000(E_TransferSyntax xfer) {
    return xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000 ||
           xfer == EXS_JPEG2000MulticomponentLosslessOnly || xfer == EXS_JPEG2000Multicomponent;
}

// Rejects what is plainly something else before DCMTK tries to parse it as a headerless data set.
void checkLooksLikeDicom(const std::filesystem::path& path) {
    checkReadableFile(path);
    const std::vector<unsigned char> head = readFileHead(path, 352);
    const ScanFormat format = formatFromContent(head, path);
    if (format == ScanFormat::Dicom) {
        return;
    }
    // Only unrecognised binary may still be DICOM (a data set without preamble); text, another
    // image format, PDF or ZIP is reported as what it is.
    const std::string content = describeContent(head);
    if (format != ScanFormat::Unknown || content.rfind("unrecognised", 0) != 0) {
        throw FileError(path, "not a DICOM file: " + content);
    }
}

std::unique_ptr<DcmFileFormat> loadDicom(const std::filesystem::path& path) {
    checkLooksLikeDicom(path);
    registerCodecsOnce();
    auto file = std::make_unique<DcmFileFormat>();
    const OFCondition status = file->loadFile(OFFilename(path.c_str()));
    if (status == EC_StreamNotifyClient) {
        throw FileError(path, "truncated DICOM file (the data ends early)");
    }
    if (status.bad()) {
        throw FileError(path, std::string("not a valid DICOM file: ") + status.text());
    }
    return file;
}

std::string sopClassName(DcmDataset& dataset) {
    const char* uid = nullptr;
    if (dataset.findAndGetString(DCM_SOPClassUID, uid).good() && uid != nullptr) {
        return dcmFindNameOfUID(uid, uid);
    }
    return {};
}

void checkPixelData(const std::filesystem::path& path, DcmDataset& dataset) {
    if (dataset.tagExists(DCM_PixelData)) {
        return;
    }
    if (dataset.tagExists(DCM_FloatPixelData) || dataset.tagExists(DCM_DoubleFloatPixelData)) {
        throw FileError(path, "DICOM float pixel data (7FE0,0008/0009) is not supported");
    }
    const std::string kind = sopClassName(dataset);
    throw FileError(path,
                    "DICOM file has no pixel data (7FE0,0010)" + (kind.empty() ? "" : "; SOP class " + kind));
}

int numberOfFrames(DcmDataset& dataset) {
    Sint32 frames = 1;
    if (dataset.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) {
        frames = 1;
    }
    return static_cast<int>(frames);
}

double floatTag(DcmDataset& dataset, const DcmTagKey& tag, double fallback, unsigned long position = 0) {
    Float64 value = fallback;
    if (dataset.findAndGetFloat64(tag, value, position).bad() || !std::isfinite(value)) {
        return fallback;
    }
    return value;
}

// What the header says the pixel data is; checked against the limits and the data present
// before DCMTK decodes anything (its JPEG decoder allocates what Rows x Columns say).
struct PixelGeometry {
    std::uint64_t rows = 0;
    std::uint64_t columns = 0;
    std::uint64_t frames = 1;
    std::uint64_t samples = 1;
    std::uint64_t bitsAllocated = 0;

    std::uint64_t frameBits() const {
        return saturatingProduct(saturatingProduct(rows * columns, samples), bitsAllocated);
    }
    std::uint64_t totalBytes() const { return (saturatingProduct(frameBits(), frames) + 7) / 8; }
};

PixelGeometry pixelGeometry(const std::filesystem::path& path, DcmDataset& dataset) {
    Uint16 rows = 0, columns = 0, samples = 1, bits = 0;
    if (dataset.findAndGetUint16(DCM_Rows, rows).bad() ||
        dataset.findAndGetUint16(DCM_Columns, columns).bad() || rows == 0 || columns == 0) {
        throw FileError(path, "DICOM header invalid: Rows and Columns must be present and not 0");
    }
    if (dataset.findAndGetUint16(DCM_BitsAllocated, bits).bad() || bits == 0 || bits > 64) {
        throw FileError(path, "DICOM header invalid: Bits Allocated is missing or " + std::to_string(bits));
    }
    dataset.findAndGetUint16(DCM_SamplesPerPixel, samples);
    if (samples == 0 || samples > 4)
        throw FileError(path, "DICOM header invalid: Samples per Pixel is " + std::to_string(samples));
    return {rows, columns, static_cast<std::uint64_t>(numberOfFrames(dataset)), samples, bits};
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> jpegFrameSize(const Uint8* data, Uint32 length) {
    // SOF0..SOF15 (not DHT, JPG, DAC) and JPEG-LS's SOF55 carry height, then width.
    const auto isSof = [](unsigned m) {
        return (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xF7;
    };
    if (data == nullptr || length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        return std::nullopt;
    for (Uint32 pos = 2; pos + 9 < length;) {
        if (data[pos] != 0xFF)
            return std::nullopt;
        const unsigned marker = data[pos + 1];
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        const Uint32 segment = (static_cast<Uint32>(data[pos + 2]) << 8) | data[pos + 3];
        if (isSof(marker))
            return std::pair<std::uint32_t, std::uint32_t>{(data[pos + 5] << 8) | data[pos + 6],
                                                           (data[pos + 7] << 8) | data[pos + 8]};
        if (marker == 0xDA || segment < 2)
            return std::nullopt;
        pos += 2 + segment;
    }
    return std::nullopt;
}

// Native pixel data: its length is Rows x Columns x Samples x Bits Allocated x frames (rounded
// up to whole bytes, plus one pad byte to an even length); a file whose Rows or Columns were
// changed no longer fits and is refused instead of being zero-padded or cut.
void checkNativeLength(const std::filesystem::path& path, const PixelGeometry& g, DcmElement& pixels) {
    const std::uint64_t expected = g.totalBytes();
    const std::uint64_t present = pixels.getLengthField();
    if (present == DCM_UndefinedLength || present < expected || present > expected + 1) {
        throw FileError(path, "DICOM pixel data holds " + std::to_string(present) + " bytes, but " +
                                  std::to_string(g.rows) + " rows x " + std::to_string(g.columns) +
                                  " columns x " + std::to_string(g.samples) + " samples x " +
                                  std::to_string(g.bitsAllocated) + " bits x " + std::to_string(g.frames) +
                                  " frames need " + std::to_string(expected) +
                                  ": the file is truncated or its header is inconsistent");
    }
}

// Compressed pixel data: the first JPEG frame's own size must be Rows x Columns.
void checkEncapsulated(const std::filesystem::path& path, const PixelGeometry& g, DcmElement& element,
                       E_TransferSyntax xfer) {
    auto* pixels = dynamic_cast<DcmPixelData*>(&element);
    DcmPixelSequence* sequence = nullptr;
    if (pixels == nullptr || pixels->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() ||
        sequence == nullptr || sequence->card() < 2) {
        throw FileError(path, "DICOM compressed pixel data has no frames (truncated file?)");
    }
    DcmPixelItem* first = nullptr;
    Uint8* data = nullptr;
    if (sequence->getItem(first, 1).bad() || first == nullptr || first->getUint8Array(data).bad())
        throw FileError(path, "DICOM compressed pixel data cannot be read (truncated file?)");
    const auto size = jpegFrameSize(data, first->getLength());
    if (size && (size->first != g.rows || size->second != g.columns)) {
        throw FileError(path,
                        "DICOM header says " + std::to_string(g.rows) + " x " + std::to_string(g.columns) +
                            " (Rows x Columns), but the compressed frame is " + std::to_string(size->first) +
                            " x " + std::to_string(size->second) + ": the header is inconsistent");
    }
}

// Everything the header promises, checked before DCMTK allocates or decodes pixels.
void checkPixelGeometry(const std::filesystem::path& path, DcmDataset& dataset) {
    const PixelGeometry g = pixelGeometry(path, dataset);
    checkImagePixels(path, g.columns, g.rows);
    checkVolumeVoxels(path, saturatingProduct(g.rows * g.columns, g.frames));
    checkDecodedBytes(path, g.totalBytes());
    DcmElement* pixels = nullptr;
    if (dataset.findAndGetElement(DCM_PixelData, pixels).bad() || pixels == nullptr)
        return;  // checkPixelData has said why
    const E_TransferSyntax xfer = dataset.getOriginalXfer();
    if (DcmXfer(xfer).isEncapsulated())
        checkEncapsulated(path, g, *pixels, xfer);
    else
        checkNativeLength(path, g, *pixels);
}

std::optional<Window> windowFromTags(DcmDataset& dataset) {
    Float64 centre = 0;
    Float64 width = 0;
    if (dataset.findAndGetFloat64(DCM_WindowCenter, centre).good() &&
        dataset.findAndGetFloat64(DCM_WindowWidth, width).good() && std::isfinite(centre) &&
        std::isfinite(width) && width >= 1.0) {
        return Window{centre, width};
    }
    return std::nullopt;
}

template <typename T>
void copyPlane(const void* data, cv::Mat& out) {
    const auto* values = static_cast<const T*>(data);
    auto* target = out.ptr<float>();
    for (std::size_t n = 0; n < out.total(); ++n) {
        target[n] = static_cast<float>(values[n]);
    }
}

// DicomImage's intermediate values (stored values here, see monochromeIntensity) as float.
cv::Mat interDataAsFloat(const std::filesystem::path& path, const DicomImage& image) {
    const DiPixel* inter = image.getInterData();
    cv::Mat out(static_cast<int>(image.getHeight()), static_cast<int>(image.getWidth()), CV_32FC1);
    if (inter == nullptr || inter->getData() == nullptr || inter->getCount() < out.total()) {
        throw FileError(path, "cannot read DICOM pixel values (pixel data shorter than Rows x Columns?)");
    }
    switch (inter->getRepresentation()) {
        case EPR_Uint8:
            copyPlane<Uint8>(inter->getData(), out);
            break;
        case EPR_Sint8:
            copyPlane<Sint8>(inter->getData(), out);
            break;
        case EPR_Uint16:
            copyPlane<Uint16>(inter->getData(), out);
            break;
        case EPR_Sint16:
            copyPlane<Sint16>(inter->getData(), out);
            break;
        case EPR_Uint32:
            copyPlane<Uint32>(inter->getData(), out);
            break;
        case EPR_Sint32:
            copyPlane<Sint32>(inter->getData(), out);
            break;
    }
    return out;
}

// Modality values. DCMTK applies rescale slope/intercept into an integer buffer, which truncates
// fractional slopes (PET, some MR), so we take stored values and rescale in double ourselves.
// A Modality LUT Sequence (rare) has integer outputs, so DCMTK's own transform is exact there.
struct ModalityPlan {
    unsigned long flags = CIF_IgnoreModalityTransformation;
    double slope = 1.0;
    double intercept = 0.0;
};

ModalityPlan modalityPlan(DcmDataset& dataset) {
    ModalityPlan plan;
    if (dataset.tagExists(DCM_ModalityLUTSequence)) {
        plan.flags = 0;
        return plan;
    }
    plan.slope = floatTag(dataset, DCM_RescaleSlope, 1.0);
    plan.intercept = floatTag(dataset, DCM_RescaleIntercept, 0.0);
    if (plan.slope == 0.0) {
        plan.slope = 1.0;  // invalid in DICOM; DCMTK treats it the same way
    }
    return plan;
}

std::unique_ptr<DicomImage> openFrame(const std::filesystem::path& path, DcmFileFormat& file,
                                      unsigned long flags, int frame) {
    const E_TransferSyntax xfer = file.getDataset()->getOriginalXfer();
    if (isJpeg2000(xfer)) {
        throw FileError(path,
                        "JPEG 2000 compressed DICOM is not supported (DCMTK has no free JPEG 2000 decoder); "
                        "decompress it first, e.g. with gdcmconv --raw");
    }
    auto image = std::make_unique<DicomImage>(&file, xfer, flags, static_cast<unsigned long>(frame), 1UL);
    if (image->getStatus() != EIS_Normal) {
        const std::string syntax = DcmXfer(xfer).getXferName();
        throw FileError(path, std::string("cannot decode DICOM pixel data (") + syntax +
                                  "): " + DicomImage::getString(image->getStatus()));
    }
    return image;
}

Scan monochromeScan(const std::filesystem::path& path, DcmDataset& dataset, const DicomImage& image,
                    const ModalityPlan& plan) {
    Scan scan;
    scan.intensity = interDataAsFloat(path, image);
    if (plan.flags != 0 && (plan.slope != 1.0 || plan.intercept != 0.0)) {
        scan.intensity.convertTo(scan.intensity, CV_32F, plan.slope, plan.intercept);
    }
    const std::optional<Window> tagged = windowFromTags(dataset);
    scan.window = tagged ? *tagged : robustWindow(scan.intensity);
    cv::Mat gray = applyWindow(scan.intensity, scan.window);
    const bool inverted = image.getPhotometricInterpretation() == EPI_Monochrome1;
    if (inverted) {
        gray = 255 - gray;  // MONOCHROME1: high values are dark; intensities keep their meaning
    }
    cv::cvtColor(gray, scan.rgb, cv::COLOR_GRAY2RGB);
    scan.sourceColour = inverted ? "monochrome1" : "monochrome2";
    return scan;
}

Scan colourScan(const std::filesystem::path& path, DicomImage& image) {
    const int width = static_cast<int>(image.getWidth());
    const int height = static_cast<int>(image.getHeight());
    // Frame 0 of the frames this DicomImage holds, i.e. the one requested; interleaved R,G,B.
    const void* data = image.getOutputData(8, 0, 0);
    if (data == nullptr) {
        throw FileError(path, "cannot convert DICOM colour pixel data to RGB");
    }
    Scan scan;
    // cv::Mat wants a mutable pointer even for a view; the clone is what we keep.
    scan.rgb = cv::Mat(height, width, CV_8UC3, const_cast<void*>(data)).clone();
    cv::Mat floatRgb;
    scan.rgb.convertTo(floatRgb, CV_32F);
    cv::transform(floatRgb, scan.intensity, cv::Matx13f(0.299f, 0.587f, 0.114f));
    scan.window = windowForRange(0.0, 255.0);
    scan.sourceColour = "rgb";
    return scan;
}

Scan readFrame(const std::filesystem::path& path, DcmFileFormat& file, int frame) {
    DcmDataset& dataset = *file.getDataset();
    checkPixelData(path, dataset);
    const int frames = numberOfFrames(dataset);
    if (frame < 0 || frame >= frames) {
        throw FileError(path, "frame " + std::to_string(frame) + " is out of range: the file has " +
                                  std::to_string(frames) + (frames == 1 ? " frame" : " frames"));
    }
    checkPixelGeometry(path, dataset);
    const ModalityPlan plan = modalityPlan(dataset);
    const std::unique_ptr<DicomImage> image = openFrame(path, file, plan.flags, frame);
    Scan scan =
        image->isMonochrome() ? monochromeScan(path, dataset, *image, plan) : colourScan(path, *image);
    Uint16 bits = 0;
    Uint16 samples = 1;
    dataset.findAndGetUint16(DCM_BitsAllocated, bits);
    dataset.findAndGetUint16(DCM_SamplesPerPixel, samples);
    scan.source = path;
    scan.format = "dicom";
    scan.sourceBits = bits;
    scan.sourceChannels = samples;
    return scan;
}

// ---- series ----

struct SliceInfo {
    std::filesystem::path path;
    std::unique_ptr<DcmFileFormat> file;  // kept so each file is parsed once (pixel data loads lazily)
    std::string series;
    int rows = 0;
    int columns = 0;
    std::optional<std::array<double, 3>> position;
    std::optional<std::array<double, 6>> orientation;
    std::optional<int> instance;
    std::array<double, 2> pixelSpacing{1.0, 1.0};  // between rows, between columns (DICOM order)
    double thickness = 0.0;
    int bits = 0;
    double along = 0.0;  // position projected on the slice normal
};

template <std::size_t N>
std::optional<std::array<double, N>> floatTags(DcmDataset& dataset, const DcmTagKey& tag) {
    std::array<double, N> values{};
    for (std::size_t n = 0; n < N; ++n) {
        Float64 value = 0;
        if (dataset.findAndGetFloat64(tag, value, n).bad() || !std::isfinite(value)) {
            return std::nullopt;
        }
        values[n] = value;
    }
    return values;
}

// The header of one candidate slice, or nothing when it cannot be a slice of a series.
std::optional<SliceInfo> sliceInfo(const std::filesystem::path& path) {
    std::unique_ptr<DcmFileFormat> file;
    try {
        file = loadDicom(path);
    } catch (const FileError&) {
        return std::nullopt;
    }
    DcmDataset& dataset = *file->getDataset();
    Uint16 rows = 0;
    Uint16 columns = 0;
    if (!dataset.tagExists(DCM_PixelData) || numberOfFrames(dataset) != 1 ||
        dataset.findAndGetUint16(DCM_Rows, rows).bad() ||
        dataset.findAndGetUint16(DCM_Columns, columns).bad() || rows == 0 || columns == 0) {
        return std::nullopt;
    }
    SliceInfo info;
    info.path = path;
    info.file = std::move(file);
    info.rows = rows;
    info.columns = columns;
    const char* series = nullptr;
    if (dataset.findAndGetString(DCM_SeriesInstanceUID, series).good() && series != nullptr) {
        info.series = series;
    }
    info.position = floatTags<3>(dataset, DCM_ImagePositionPatient);
    info.orientation = floatTags<6>(dataset, DCM_ImageOrientationPatient);
    Sint32 instance = 0;
    if (dataset.findAndGetSint32(DCM_InstanceNumber, instance).good()) {
        info.instance = static_cast<int>(instance);
    }
    if (const auto spacing = floatTags<2>(dataset, DCM_PixelSpacing);
        spacing && (*spacing)[0] > 0 && (*spacing)[1] > 0) {
        info.pixelSpacing = *spacing;
    }
    info.thickness = floatTag(dataset, DCM_SpacingBetweenSlices, floatTag(dataset, DCM_SliceThickness, 0.0));
    Uint16 bits = 0;
    dataset.findAndGetUint16(DCM_BitsAllocated, bits);
    info.bits = bits;
    return info;
}

std::array<double, 3> cross(const std::array<double, 6>& o) {
    return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

// The largest series in the folder, and in it the slices of the most common size: a scout image
// or a secondary capture in the same folder must not end up inside the volume.
std::vector<SliceInfo> mainSeries(std::vector<SliceInfo> slices) {
    std::map<std::string, int> perSeries;
    for (const auto& s : slices) {
        ++perSeries[s.series];
    }
    const auto series =
        std::max_element(perSeries.begin(), perSeries.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
        })->first;
    std::erase_if(slices, [&](const SliceInfo& s) { return s.series != series; });

    std::map<std::pair<int, int>, int> perSize;
    for (const auto& s : slices) {
        ++perSize[{s.columns, s.rows}];
    }
    const auto size = std::max_element(perSize.begin(), perSize.end(), [](const auto& a, const auto& b) {
                          return a.second < b.second;
                      })->first;
    std::erase_if(slices, [&](const SliceInfo& s) { return std::pair{s.columns, s.rows} != size; });
    return slices;
}

// Sorted along the slice normal when every slice has a position (and the first an orientation),
// else by InstanceNumber, else by file name (the order they came in). Returns whether positions were used.
bool sortSlices(std::vector<SliceInfo>& slices) {
    const bool positioned =
        slices.front().orientation &&
        std::all_of(slices.begin(), slices.end(), [](const auto& s) { return s.position.has_value(); });
    if (positioned) {
        const auto normal = cross(*slices.front().orientation);
        for (auto& s : slices) {
            const auto& p = *s.position;
            s.along = normal[0] * p[0] + normal[1] * p[1] + normal[2] * p[2];
        }
        std::stable_sort(slices.begin(), slices.end(),
                         [](const auto& a, const auto& b) { return a.along < b.along; });
        return true;
    }
    if (std::all_of(slices.begin(), slices.end(), [](const auto& s) { return s.instance.has_value(); })) {
        std::stable_sort(slices.begin(), slices.end(),
                         [](const auto& a, const auto& b) { return *a.instance < *b.instance; });
    }
    return false;
}

double sliceSpacing(const std::vector<SliceInfo>& slices, bool positioned) {
    if (positioned && slices.size() > 1) {
        const double spacing =
            (slices.back().along - slices.front().along) / static_cast<double>(slices.size() - 1);
        if (spacing > 0) {
            return spacing;
        }
    }
    return slices.front().thickness > 0 ? slices.front().thickness : 1.0;
}

// Index axes in RAS+: i along a row (IOP's first vector), j down the columns, k along the normal.
// DICOM patient space is LPS+, so x and y change sign. Without IOP: a plain axial stack is assumed.
AxisDirections seriesDirections(const SliceInfo& first) {
    const std::array<double, 6> o = first.orientation.value_or(std::array<double, 6>{1, 0, 0, 0, 1, 0});
    const auto n = cross(o);
    return AxisDirections{{{-o[0], -o[1], o[2]}, {-o[3], -o[4], o[5]}, {-n[0], -n[1], n[2]}}};
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& folder) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) {
        throw FileError(folder, std::filesystem::exists(folder, error) ? "not a folder" : "folder not found");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        if (entry.is_regular_file(error)) {
            files.push_back(entry.path());
        }
    }
    if (error) {
        throw FileError(folder, "cannot list the folder: " + error.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

int dicomFrameCount(const std::filesystem::path& path) {
    const std::unique_ptr<DcmFileFormat> file = loadDicom(path);
    checkPixelData(path, *file->getDataset());
    return numberOfFrames(*file->getDataset());
}

Scan readDicom(const std::filesystem::path& path, int frame) {
    const std::unique_ptr<DcmFileFormat> file = loadDicom(path);
    try {
        return readFrame(path, *file, frame);
    } catch (const cv::Exception& e) {
        throw FileError(path, "DICOM image conversion failed: " + e.err);
    }
}

Volume readDicomSeries(const std::filesystem::path& folder) {
    const std::vector<std::filesystem::path> files = filesIn(folder);
    std::vector<SliceInfo> slices;
    for (const auto& file : files) {
        if (auto info = sliceInfo(file)) {
            slices.push_back(std::move(*info));
        }
    }
    if (slices.empty()) {
        throw FileError(folder, "no single-frame DICOM image among the " + std::to_string(files.size()) +
                                    " files of the folder");
    }
    slices = mainSeries(std::move(slices));
    const bool positioned = sortSlices(slices);

    Volume volume;
    volume.source = folder;
    volume.sourceBits = slices.front().bits;
    volume.size = {slices.front().columns, slices.front().rows, 0};
    volume.spacing = {slices.front().pixelSpacing[1], slices.front().pixelSpacing[0],
                      sliceSpacing(slices, positioned)};
    const std::size_t perSlice =
        static_cast<std::size_t>(volume.size[0]) * static_cast<std::size_t>(volume.size[1]);
    checkVolumeVoxels(folder, saturatingProduct(perSlice, slices.size()));
    for (auto& slice : slices) {
        cv::Mat values;
        try {
            values = readFrame(slice.path, *slice.file, 0).intensity;
        } catch (const FileError&) {
            continue;  // an undecodable slice is left out, like a file of another size
        } catch (const cv::Exception&) {
            continue;
        }
        slice.file.reset();  // the pixels are copied: free the decoded data set now
        const auto* begin = values.ptr<float>();
        volume.voxels.insert(volume.voxels.end(), begin, begin + perSlice);
        ++volume.size[2];
    }
    if (volume.size[2] == 0) {
        throw FileError(folder,
                        "none of the " + std::to_string(slices.size()) + " DICOM slices could be decoded");
    }
    return reorientToRas(volume, seriesDirections(slices.front()));
}

}  // namespace saliency
