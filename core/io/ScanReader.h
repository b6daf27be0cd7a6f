#pragma once
// One entry point: picks the reader from the file's content (magic bytes) first, its extension second.
#include <filesystem>
#include <optional>
#include <string>

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

// Throws FileError naming the file and the reason.
Scan readScan(const std::filesystem::path& path, const ScanSelector& selector = {});

}  // namespace saliency
