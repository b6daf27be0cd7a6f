#pragma once
// A ground-truth tumour mask (the data set's masks/ mirror) as an 8-bit single-channel image. Read
// through the image reader, so a mask gets the same header limits and integrity checks as a scan
// (a mask is a file from outside like any other).
#include <filesystem>

#include <opencv2/core/mat.hpp>

namespace saliency {

// CV_8UC1 (0 = outside), or an empty Mat when the file cannot be read or is refused: a scan is
// still shown and studied without its mask.
cv::Mat readMask(const std::filesystem::path& file);

}  // namespace saliency
