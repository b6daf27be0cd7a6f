#pragma once
// JPEG, PNG, BMP, TIFF through OpenCV: 8 and 16 bit; gray, RGB, RGBA; CMYK JPEG.
#include <filesystem>

#include "io/Scan.h"

namespace saliency {

// Throws FileError naming the file and the reason (empty, truncated, not an image, too large...).
Scan readImageFile(const std::filesystem::path& path);

}  // namespace saliency
