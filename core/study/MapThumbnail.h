#pragma once
// The small copy of a map that the project database keeps (maps.thumbnail): an 8-bit grey PNG of
// the (H,W) analysis map, size x size, so that the GUI can show a study's maps and later
// statistics can be recomputed without running the networks again.
#include <vector>

#include <opencv2/core/mat.hpp>

namespace saliency::study {

// map: CV_32FC1 in [0,1] (values outside are clipped). Area-averaged to size x size, then
// round(255 p). Throws Error for an empty map or a wrong type.
std::vector<unsigned char> encodeThumbnail(const cv::Mat& map, int size);

// CV_32FC1 in [0,1] (value / 255). Throws Error when the bytes are not a grey PNG.
cv::Mat decodeThumbnail(const std::vector<unsigned char>& png);

}  // namespace saliency::study
