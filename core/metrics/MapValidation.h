#pragma once
// Input checks shared by the map statistics: each throws saliency::Error with a message that names
// the operation ("context") and what is wrong with the input, never asserts.
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// A saliency map: non-empty, CV_32FC1, every value finite.
void requireMap(const cv::Mat& map, std::string_view context);

// A map used as weights (centre of mass, energy): requireMap and every value >= 0.
void requireWeightMap(const cv::Mat& map, std::string_view context);

// An image a metric perturbs: non-empty, CV_8UC3 or CV_32FC3.
void requireColourImage(const cv::Mat& image, std::string_view context);

// A binary mask: non-empty, CV_8UC1 (non-zero = inside).
void requireMask(const cv::Mat& mask, std::string_view context);

// Same width and height.
void requireSameSize(const cv::Mat& a, const cv::Mat& b, std::string_view context);

// "CV_32FC1", "CV_8UC3", ... for messages.
std::string matTypeName(int type);

}  // namespace saliency::metrics
