#pragma once
// One entry point: picks the reader from the file's content (magic bytes) first, its extension second.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/Scan.h"
#include "io/Volume.h"

namespace saliency {

enum class ScanFormat { Unknown, Jpeg, Png, Bmp, Tiff, Dicom, Nifti };

ScanFormat detectFormat(const std::filesystem::path& path);  // reads at most the first 352 bytes
bool looksLikeScanFile(const std::filesystem::path& path);   // by extension only, for folder scans

// Which 2D image of a file: a DICOM frame, or a NIfTI slice (default: the middle axial slice).
struct ScanSelector {
    int frame = 0;
    SliceAxis axis = SliceAxis::Axial;
    std::optional<int> slice;
};

// ---- helpers the readers share (content sniffing and clear reasons) ----

// Content first (magic bytes; a gzip stream counts as NIfTI only when the name ends in .nii.gz).
ScanFormat formatFromContent(std::span<const unsigned char> firstBytes, const std::filesystem::path& path);
ScanFormat formatFromExtension(const std::filesystem::path& path);
const char* formatDescription(ScanFormat format);  // "a JPEG image", "a DICOM file", ...
// What a file that is not what it claims is, for messages: "the file starts with text", "it is a PDF
// document".
std::string describeContent(std::span<const unsigned char> firstBytes);
// Throws FileError when the path is missing, a folder, unreadable or empty; returns the size in bytes.
std::uintmax_t checkReadableFile(const std::filesystem::path& path);
// At most maxBytes from the start of the file (after checkReadableFile); throws FileError.
std::vector<unsigned char> readFileHead(const std::filesystem::path& path, std::size_t maxBytes);

// Throws FileError naming the file and the reason.
Scan readScan(const std::filesystem::path& path, const ScanSelector& selector = {});

}  // namespace saliency
