#include "io/ScanReader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <string_view>

#include <opencv2/core.hpp>

#include "common/Error.h"
#include "io/DicomReader.h"
#include "io/ImageReader.h"
#include "io/NiftiReader.h"

namespace saliency {

namespace {

constexpr std::size_t kSniffBytes = 352;  // a NIfTI-1 header plus its extension flag

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(std::span<const unsigned char> bytes, std::string_view prefix, std::size_t offset = 0) {
    if (bytes.size() < offset + prefix.size()) {
        return false;
    }
    return std::equal(prefix.begin(), prefix.end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                      [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; });
}

bool hasNiftiName(const std::filesystem::path& path) {
    return endsWith(lowercase(path.filename().string()), ".nii.gz");
}

// A BMP is "BM" followed by a file header and one of the known DIB header sizes; "BM" alone is too
// weak (a text file may start with it).
bool isBmp(std::span<const unsigned char> b) {
    if (b.size() < 18 || b[0] != 'B' || b[1] != 'M') {
        return false;
    }
    const std::uint32_t dib =
        b[14] | (b[15] << 8) | (b[16] << 16) | (static_cast<std::uint32_t>(b[17]) << 24);
    return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
}

// NIfTI-1 and NIfTI-2 start with sizeof_hdr (348 or 540), little or big endian.
bool isNiftiHeader(std::span<const unsigned char> b) {
    if (b.size() < 4) {
        return false;
    }
    const std::uint32_t little = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
    const std::uint32_t big = (static_cast<std::uint32_t>(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
    return little == 348 || little == 540 || big == 348 || big == 540;
}

bool isText(std::span<const unsigned char> bytes) {
    const auto head = bytes.first(std::min<std::size_t>(bytes.size(), 512));
    return !head.empty() && std::all_of(head.begin(), head.end(), [](unsigned char c) {
        return c == '\t' || c == '\n' || c == '\r' || c == '\f' || (c >= 0x20 && c != 0x7F);
    });
}

std::string hexPrefix(std::span<const unsigned char> bytes) {
    std::string out;
    for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 8); ++i) {
        std::array<char, 4> hex{};
        std::snprintf(hex.data(), hex.size(), "%02X", bytes[i]);
        if (i > 0) {
            out += ' ';
        }
        out += hex.data();
    }
    return out;
}

Scan readNiftiSlice(const std::filesystem::path& path, const ScanSelector& selector) {
    const Volume volume = readNifti(path);
    const int count = volume.count(selector.axis);
    const int index = selector.slice.value_or(count / 2);
    if (index < 0 || index >= count) {
        throw FileError(path, std::string(sliceAxisName(selector.axis)) + " slice " + std::to_string(index) +
                                  " is out of range: the volume has " + std::to_string(count) + " " +
                                  sliceAxisName(selector.axis) + " slices (0.." + std::to_string(count - 1) +
                                  ")");
    }
    return sliceToScan(volume, selector.axis, index, "nifti");
}

Scan dispatch(const std::filesystem::path& path, ScanFormat format, const ScanSelector& selector,
              std::span<const unsigned char> head) {
    switch (format) {
        case ScanFormat::Jpeg:
        case ScanFormat::Png:
        case ScanFormat::Bmp:
        case ScanFormat::Tiff:
            if (selector.frame != 0) {
                throw FileError(path, "frame " + std::to_string(selector.frame) + " requested, but " +
                                          formatDescription(format) + " has a single frame (0)");
            }
            return readImageFile(path);
        case ScanFormat::Dicom:
            return readDicom(path, selector.frame);
        case ScanFormat::Nifti:
            return readNiftiSlice(path, selector);
        case ScanFormat::Unknown:
            break;
    }
    throw FileError(path,
                    "not a supported scan (JPEG, PNG, BMP, TIFF, DICOM or NIfTI): " + describeContent(head));
}

}  // namespace

ScanFormat formatFromContent(std::span<const unsigned char> b, const std::filesystem::path& path) {
    // DICOM first: its 128-byte preamble may hold a TIFF header (dual-personality files).
    if (startsWith(b, "DICM", 128)) {
        return ScanFormat::Dicom;
    }
    if (b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        return ScanFormat::Jpeg;
    }
    if (startsWith(b, "\x89PNG\r\n\x1A\n")) {
        return ScanFormat::Png;
    }
    if (isBmp(b)) {
        return ScanFormat::Bmp;
    }
    if (startsWith(b, std::string_view("II*\0", 4)) || startsWith(b, std::string_view("MM\0*", 4)) ||
        startsWith(b, std::string_view("II+\0", 4)) || startsWith(b, std::string_view("MM\0+", 4))) {
        return ScanFormat::Tiff;
    }
    if (isNiftiHeader(b) || (b.size() >= 2 && b[0] == 0x1F && b[1] == 0x8B && hasNiftiName(path))) {
        return ScanFormat::Nifti;
    }
    return ScanFormat::Unknown;
}

ScanFormat formatFromExtension(const std::filesystem::path& path) {
    const std::string name = lowercase(path.filename().string());
    if (endsWith(name, ".nii") || endsWith(name, ".nii.gz")) {
        return ScanFormat::Nifti;
    }
    const std::string ext = lowercase(path.extension().string());
    if (ext == ".jpg" || ext == ".jpeg") {
        return ScanFormat::Jpeg;
    }
    if (ext == ".png") {
        return ScanFormat::Png;
    }
    if (ext == ".bmp") {
        return ScanFormat::Bmp;
    }
    if (ext == ".tif" || ext == ".tiff") {
        return ScanFormat::Tiff;
    }
    if (ext == ".dcm" || ext == ".dicom") {
        return ScanFormat::Dicom;
    }
    return ScanFormat::Unknown;
}

const char* formatDescription(ScanFormat format) {
    switch (format) {
        case ScanFormat::Jpeg:
            return "a JPEG image";
        case ScanFormat::Png:
            return "a PNG image";
        case ScanFormat::Bmp:
            return "a BMP image";
        case ScanFormat::Tiff:
            return "a TIFF image";
        case ScanFormat::Dicom:
            return "a DICOM file";
        case ScanFormat::Nifti:
            return "a NIfTI file";
        case ScanFormat::Unknown:
            break;
    }
    return "a supported scan";
}

std::string describeContent(std::span<const unsigned char> b) {
    if (b.empty()) {
        return "the file is empty";
    }
    if (const ScanFormat format = formatFromContent(b, {}); format != ScanFormat::Unknown) {
        return std::string("it is ") + formatDescription(format);
    }
    if (b.size() >= 2 && b[0] == 0x1F && b[1] == 0x8B) {
        return "it is gzip-compressed data (only .nii.gz files may be compressed)";
    }
    if (startsWith(b, "GIF8")) {
        return "it is a GIF image, which is not supported (convert it to PNG)";
    }
    if (startsWith(b, "RIFF") && startsWith(b, "WEBP", 8)) {
        return "it is a WebP image, which is not supported (convert it to PNG)";
    }
    if (startsWith(b, "%PDF")) {
        return "it is a PDF document";
    }
    if (startsWith(b, "PK\x03\x04")) {
        return "it is a ZIP archive (extract it first)";
    }
    if (isText(b)) {
        return "the file starts with text";
    }
    return "unrecognised content (first bytes " + hexPrefix(b) + ")";
}

std::uintmax_t checkReadableFile(const std::filesystem::path& path) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status)) {
        throw FileError(path, "file not found");
    }
    if (std::filesystem::is_directory(status)) {
        throw FileError(path, "is a folder, not a file");
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw FileError(path, "not a regular file");
    }
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) {
        throw FileError(path, "cannot read the file size: " + error.message());
    }
    if (size == 0) {
        throw FileError(path, "file is empty");
    }
    return size;
}

std::vector<unsigned char> readFileHead(const std::filesystem::path& path, std::size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw FileError(path, std::string("cannot open the file: ") + std::strerror(errno));
    }
    std::vector<unsigned char> bytes(maxBytes);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(maxBytes));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) {
        throw FileError(path, "read error (the disk or network share failed)");
    }
    return bytes;
}

ScanFormat detectFormat(const std::filesystem::path& path) {
    std::vector<unsigned char> head;
    try {
        head = readFileHead(path, kSniffBytes);
    } catch (const FileError&) {
        return formatFromExtension(path);  // unreadable: the reader will say why
    }
    const ScanFormat byContent = formatFromContent(head, path);
    return byContent != ScanFormat::Unknown ? byContent : formatFromExtension(path);
}

bool looksLikeScanFile(const std::filesystem::path& path) {
    return formatFromExtension(path) != ScanFormat::Unknown;
}

Scan readScan(const std::filesystem::path& path, const ScanSelector& selector) {
    checkReadableFile(path);
    const std::vector<unsigned char> head = readFileHead(path, kSniffBytes);
    const ScanFormat byContent = formatFromContent(head, path);
    const ScanFormat format = byContent != ScanFormat::Unknown ? byContent : formatFromExtension(path);
    // The readers throw FileError; anything else escaping them still gets the file's name.
    try {
        return dispatch(path, format, selector, head);
    } catch (const FileError&) {
        throw;
    } catch (const std::bad_alloc&) {
        throw FileError(path, "not enough memory to read the file");
    } catch (const cv::Exception& e) {
        throw FileError(path, "image processing failed: " + e.err);
    } catch (const Error& e) {
        throw FileError(path, e.what());
    }
}

}  // namespace saliency
