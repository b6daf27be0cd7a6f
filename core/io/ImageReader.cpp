#include "io/ImageReader.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "io/JpegCheck.h"
#include "io/ReadLimits.h"
#include "io/ScanReader.h"

namespace saliency {

namespace {

using Bytes = std::vector<unsigned char>;

// Limits checked from the header, before any decoder allocates pixels for a hostile file: those
// of ReadLimits, and a file size no image of those limits needs.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{1} << 30;

// What the header says; filled by the per-format parsers.
struct HeaderInfo {
    std::int64_t width = 0;
    std::int64_t height = 0;
    int channels = 0;  // as stored (4 for CMYK JPEG), 0 when the header does not say
    int bitsPerSample = 8;
};

std::uint32_t be16(const Bytes& b, std::size_t at) {
    return (static_cast<std::uint32_t>(b[at]) << 8) | b[at + 1];
}
std::uint32_t be32(const Bytes& b, std::size_t at) {
    return (be16(b, at) << 16) | be16(b, at + 2);
}
std::uint32_t le16(const Bytes& b, std::size_t at) {
    return (static_cast<std::uint32_t>(b[at + 1]) << 8) | b[at];
}
std::uint32_t le32(const Bytes& b, std::size_t at) {
    return (le16(b, at + 2) << 16) | le16(b, at);
}

const char* formatName(ScanFormat format) {
    switch (format) {
        case ScanFormat::Jpeg:
            return "jpeg";
        case ScanFormat::Png:
            return "png";
        case ScanFormat::Bmp:
            return "bmp";
        case ScanFormat::Tiff:
            return "tiff";
        default:
            return "";
    }
}

Bytes readWholeFile(const std::filesystem::path& path) {
    const std::uintmax_t size = checkReadableFile(path);
    if (size > kMaxFileBytes) {
        throw FileError(path, "file is too large for an image (" + std::to_string(size >> 20) + " MiB)");
    }
    return readFileHead(path, static_cast<std::size_t>(size));
}

bool isSof(unsigned marker) {
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Skips entropy-coded data after SOS: inside it, 0xFF is only followed by 0x00 (stuffing) or a
// restart marker, so the first other marker ends the scan. Returns the marker's position.
std::size_t skipEntropyData(const Bytes& b, std::size_t pos) {
    while (pos + 1 < b.size()) {
        if (b[pos] == 0xFF && b[pos + 1] != 0x00 && !(b[pos + 1] >= 0xD0 && b[pos + 1] <= 0xD7) &&
            b[pos + 1] != 0xFF) {
            return pos;
        }
        ++pos;
    }
    return b.size();
}

// Walks the JPEG marker structure to the EOI marker. libjpeg decodes a truncated file to a grey
// lower half with only a warning, so a missing EOI is the reliable sign of a cut-off file.
HeaderInfo parseJpeg(const std::filesystem::path& path, const Bytes& b) {
    HeaderInfo info;
    bool sawFrame = false;
    std::size_t pos = 2;
    while (true) {
        while (pos < b.size() && b[pos] != 0xFF) {
            ++pos;  // garbage between segments: libjpeg skips it too
        }
        while (pos < b.size() && b[pos] == 0xFF) {
            ++pos;  // fill bytes
        }
        if (pos >= b.size()) {
            throw FileError(path, "truncated JPEG data (the file ends before the end-of-image marker)");
        }
        const unsigned marker = b[pos++];
        if (marker == 0xD9) {
            break;
        }
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            continue;  // markers without a length
        }
        if (pos + 2 > b.size() || pos + be16(b, pos) > b.size() || be16(b, pos) < 2) {
            throw FileError(path, "truncated JPEG data (a header segment is cut off)");
        }
        const std::size_t length = be16(b, pos);
        if (isSof(marker) && !sawFrame) {
            if (length < 8) {
                throw FileError(path, "corrupt JPEG data (frame header too short)");
            }
            info.bitsPerSample = b[pos + 2];
            info.height = be16(b, pos + 3);
            info.width = be16(b, pos + 5);
            info.channels = b[pos + 7];
            sawFrame = true;
        }
        pos += length;
        if (marker == 0xDA) {
            pos = skipEntropyData(b, pos);
        }
    }
    if (!sawFrame) {
        throw FileError(path, "corrupt JPEG data (no frame header)");
    }
    return info;
}

bool endsWithPngIend(const Bytes& b) {
    static constexpr unsigned char iend[] = {'I', 'E', 'N', 'D'};
    // Search backwards: some writers append a few bytes after IEND.
    for (std::size_t pos = b.size() >= 8 ? b.size() - 8 : 0; pos > 8; --pos) {
        if (std::equal(std::begin(iend), std::end(iend), b.begin() + static_cast<std::ptrdiff_t>(pos))) {
            return true;
        }
    }
    return false;
}

HeaderInfo parsePng(const std::filesystem::path& path, const Bytes& b) {
    if (b.size() < 33 || std::string(b.begin() + 12, b.begin() + 16) != "IHDR") {
        throw FileError(path, "corrupt PNG data (no IHDR header)");
    }
    if (!endsWithPngIend(b)) {
        throw FileError(path, "truncated PNG data (the file ends before the IEND chunk)");
    }
    // A palette (type 3) decodes to RGB, or RGBA with transparency: counted as 4.
    static constexpr int channelsOfColourType[] = {1, 0, 3, 4, 2, 0, 4};
    const unsigned colourType = b[25];
    return {be32(b, 16), be32(b, 20), colourType < 7 ? channelsOfColourType[colourType] : 4, b[24]};
}

HeaderInfo parseBmp(const std::filesystem::path& path, const Bytes& b) {
    const std::uint32_t dib = le32(b, 14);
    if (b.size() < 14 + dib || dib < 12) {
        throw FileError(path, "truncated BMP data (the header is cut off)");
    }
    HeaderInfo info;
    std::uint32_t bitsPerPixel = 0;
    std::uint32_t compression = 0;
    if (dib == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
        info.width = le16(b, 18);
        info.height = le16(b, 20);
        bitsPerPixel = le16(b, 24);
    } else {
        info.width = static_cast<std::int32_t>(le32(b, 18));
        info.height =
            std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(le32(b, 22))));  // < 0: top-down
        bitsPerPixel = le16(b, 28);
        compression = le32(b, 30);
    }
    // Uncompressed rows are padded to 4 bytes; a shorter file would decode as garbage or fail.
    const bool uncompressed = compression == 0 || compression == 3;
    if (uncompressed && info.width > 0 && info.height > 0) {
        const std::uint64_t bits = saturatingProduct(static_cast<std::uint64_t>(info.width), bitsPerPixel);
        const std::uint64_t stride = saturatingProduct(bits / 32 + (bits % 32 != 0), 4);
        const std::uint64_t rows = saturatingProduct(stride, static_cast<std::uint64_t>(info.height));
        if (rows > b.size() || b.size() - rows < le32(b, 10)) {
            throw FileError(path, "truncated BMP data (" + std::to_string(b.size()) +
                                      " bytes, the header describes more pixel rows than the file holds)");
        }
    }
    info.channels = bitsPerPixel == 32 ? 4 : (bitsPerPixel == 8 ? 1 : 3);
    return info;
}

// Width and length from the first IFD; BigTIFF (version 43) is left to libtiff.
HeaderInfo parseTiff(const std::filesystem::path& path, const Bytes& b) {
    const bool little = b[0] == 'I';
    const auto u16 = [&](std::size_t at) { return little ? le16(b, at) : be16(b, at); };
    const auto u32 = [&](std::size_t at) { return little ? le32(b, at) : be32(b, at); };
    HeaderInfo info;
    if (b.size() < 8) {
        throw FileError(path, "truncated TIFF data (the header is cut off)");
    }
    if (u16(2) != 42) {
        return info;
    }
    const std::size_t ifd = u32(4);
    if (ifd + 2 > b.size()) {
        throw FileError(path, "truncated TIFF data (the image directory is missing)");
    }
    const std::size_t entries = u16(ifd);
    for (std::size_t e = 0; e < entries && ifd + 2 + (e + 1) * 12 <= b.size(); ++e) {
        const std::size_t at = ifd + 2 + e * 12;
        const std::uint32_t tag = u16(at);
        const std::uint32_t type = u16(at + 2);
        const std::uint32_t value = type == 3 ? u16(at + 8) : u32(at + 8);  // SHORT or LONG
        if (tag == 256) {
            info.width = value;
        } else if (tag == 257) {
            info.height = value;
        } else if (tag == 277) {
            info.channels = static_cast<int>(std::min<std::uint32_t>(value, 1024));
        } else if (tag == 258) {
            // BitsPerSample: inline for one sample, else at an offset (one value per sample, equal
            // in practice); unreadable, the largest plausible value is assumed.
            const std::uint32_t count = u32(at + 4);
            const std::size_t offset = u32(at + 8);
            const bool inlineValue = count <= (type == 3 ? 2u : 1u);
            const std::uint32_t bits = inlineValue ? value : (offset + 2 <= b.size() ? u16(offset) : 16);
            info.bitsPerSample = static_cast<int>(std::min<std::uint32_t>(bits, 64));
        }
    }
    return info;
}

HeaderInfo parseHeader(const std::filesystem::path& path, ScanFormat format, const Bytes& bytes) {
    switch (format) {
        case ScanFormat::Jpeg:
            return parseJpeg(path, bytes);
        case ScanFormat::Png:
            return parsePng(path, bytes);
        case ScanFormat::Bmp:
            return parseBmp(path, bytes);
        case ScanFormat::Tiff:
            return parseTiff(path, bytes);
        default:
            return {};
    }
}

// The limits of ReadLimits, from the header, before the decoder runs.
void checkDimensions(const std::filesystem::path& path, const HeaderInfo& info) {
    if (info.width == 0 && info.height == 0) {
        return;  // the header did not say (e.g. BigTIFF): OpenCV's limit (set from ours) applies
    }
    if (info.width <= 0 || info.height <= 0) {
        throw FileError(path, "corrupt image header: size " + std::to_string(info.width) + " x " +
                                  std::to_string(info.height) + " pixels");
    }
    const auto width = static_cast<std::uint64_t>(info.width);
    const auto height = static_cast<std::uint64_t>(info.height);
    checkImagePixels(path, width, height);
    const std::uint64_t samples = saturatingProduct(width * height, std::max(info.channels, 1));
    checkDecodedBytes(
        path,
        saturatingProduct(samples, static_cast<std::uint64_t>(std::max(info.bitsPerSample, 8) + 7) / 8));
}

// OpenCV checks width x height against OPENCV_IO_MAX_IMAGE_PIXELS (read once, at its first
// decode) for headers we do not parse ourselves (BigTIFF, a later TIFF directory): ours, unless the
// user set it.
void limitOpenCvDecoders() {
    static const bool set = [] {
        ::setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(readLimits().imagePixels).c_str(), 0);
        return true;
    }();
    (void)set;
}

cv::Mat decode(const std::filesystem::path& path, ScanFormat format, const Bytes& bytes) {
    cv::Mat decoded;
    try {
        // UNCHANGED keeps 16 bits and alpha; OpenCV still turns CMYK JPEG into BGR (Adobe's inverted CMYK).
        decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception& e) {
        throw FileError(path, std::string("cannot decode ") + formatDescription(format) + ": " + e.err);
    }
    if (decoded.empty()) {
        throw FileError(path, std::string("cannot decode ") + formatDescription(format) +
                                  ": the data is corrupt, truncated or an unsupported variant");
    }
    return decoded;
}

double maximumOf(int depth) {
    switch (depth) {
        case CV_8U:
            return 255.0;
        case CV_16U:
            return 65535.0;
        case CV_8S:
            return 127.0;
        case CV_16S:
            return 32767.0;
        default:
            return 1.0;  // float data: alpha is 0..1 by convention
    }
}

// Float RGB (R,G,B order) with any alpha composited on black: a transparent background is black
// in a scan, not the decoder's undefined colour.
cv::Mat toFloatRgb(const cv::Mat& decoded) {
    cv::Mat values;
    decoded.convertTo(values, CV_32F);
    cv::Mat rgb;
    switch (decoded.channels()) {
        case 1:
            cv::cvtColor(values, rgb, cv::COLOR_GRAY2RGB);
            break;
        case 3:
            cv::cvtColor(values, rgb, cv::COLOR_BGR2RGB);
            break;
        default: {
            std::vector<cv::Mat> planes;
            cv::split(values, planes);
            double maxAlpha = 0;
            cv::minMaxLoc(planes[3], nullptr, &maxAlpha);
            // Alpha 0 everywhere means an unused fourth byte (common in 32-bit BMPs), not an invisible image.
            const cv::Mat alpha = maxAlpha > 0 ? cv::Mat(planes[3] / maximumOf(decoded.depth()))
                                               : cv::Mat(planes[3].size(), CV_32F, cv::Scalar(1.0));
            cv::merge(std::vector<cv::Mat>{planes[2].mul(alpha), planes[1].mul(alpha), planes[0].mul(alpha)},
                      rgb);
        }
    }
    return rgb;
}

cv::Mat toFloat(const cv::Mat& image) {
    cv::Mat out;
    image.convertTo(out, CV_32F);
    return out;
}

cv::Mat luminance(const cv::Mat& floatRgb) {
    cv::Mat out;
    cv::transform(floatRgb, out, cv::Matx13f(0.299f, 0.587f, 0.114f));  // Rec. 601, as cv::cvtColor
    return out;
}

const char* colourName(int channels) {
    switch (channels) {
        case 1:
            return "gray";
        case 4:
            return "rgba";
        default:
            return "rgb";
    }
}

Scan toScan(const cv::Mat& decoded, const HeaderInfo& info, ScanFormat format) {
    if (decoded.channels() != 1 && decoded.channels() != 3 && decoded.channels() != 4) {
        throw Error("unsupported channel count " + std::to_string(decoded.channels()));
    }
    Scan scan;
    const cv::Mat floatRgb = toFloatRgb(decoded);
    scan.intensity = decoded.channels() == 1 ? toFloat(decoded) : luminance(floatRgb);
    if (decoded.depth() == CV_8U) {
        scan.window = windowForRange(0.0, 255.0);  // the identity: rgb is the file's own values
        floatRgb.convertTo(scan.rgb, CV_8U);
    } else {
        // More than 8 bits: the raw values stay in intensity, the display gets a robust range.
        scan.window = robustWindow(scan.intensity);
        scan.rgb = applyWindow(floatRgb, scan.window);
    }
    scan.format = formatName(format);
    scan.sourceBits = static_cast<int>(decoded.elemSize1() * 8);
    scan.sourceChannels = decoded.channels();
    scan.sourceColour = colourName(decoded.channels());
    if (format == ScanFormat::Jpeg && info.channels == 4) {
        scan.sourceChannels = 4;  // OpenCV already converted CMYK (or YCCK) to colour
        scan.sourceColour = "cmyk";
    }
    return scan;
}

}  // namespace

Scan readImageFile(const std::filesystem::path& path) {
    const Bytes bytes = readWholeFile(path);
    const ScanFormat format = formatFromContent(bytes, path);
    if (format != ScanFormat::Jpeg && format != ScanFormat::Png && format != ScanFormat::Bmp &&
        format != ScanFormat::Tiff) {
        const ScanFormat claimed = formatFromExtension(path);
        const std::string what =
            claimed == ScanFormat::Unknown || claimed == ScanFormat::Dicom || claimed == ScanFormat::Nifti
                ? std::string("an image (JPEG, PNG, BMP or TIFF)")
                : std::string(formatDescription(claimed));
        throw FileError(path, "not " + what + ": " + describeContent(bytes));
    }
    const HeaderInfo info = parseHeader(path, format, bytes);
    checkDimensions(path, info);
    if (format == ScanFormat::Jpeg)
        verifyJpegData(path, bytes);
    limitOpenCvDecoders();
    try {
        Scan scan = toScan(decode(path, format, bytes), info, format);
        scan.source = path;
        return scan;
    } catch (const cv::Exception& e) {
        throw FileError(path, "image conversion failed: " + e.err);
    } catch (const std::bad_alloc&) {
        throw FileError(path, "not enough memory to decode the image");
    } catch (const FileError&) {
        throw;
    } catch (const Error& e) {
        throw FileError(path, e.what());
    }
}

}  // namespace saliency
