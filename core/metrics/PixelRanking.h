#pragma once
// The order in which a map ranks its pixels, shared by the metrics that remove, reveal or count the
// most relevant pixels first (deletion/insertion, ROAD, rank accuracy, top-k intersection).
#include <vector>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// Row-major pixel indices of a CV_32FC1 map by decreasing value; equal values keep row-major order
// (a stable sort), so every metric breaks ties the same way.
std::vector<int> rankedPixels(const cv::Mat& map);

}  // namespace saliency::metrics
