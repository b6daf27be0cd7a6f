#pragma once
// Centre of mass of a saliency map, in image-size units, and the distance between two centres
// (the seed's "statistical test", DESIGN.md sections 1 and 4).
#include <optional>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// (sum x p / sum p, sum y p / sum p) over a WxH map p (CV_32FC1, values >= 0), with pixel centres
// x = i + 0.5, y = j + 0.5 divided by W and H, so the result lies in [0,1]^2 ((0,0) = top-left corner
// of the image, (1,1) = bottom-right). A map whose sum is 0 has no centre: std::nullopt.
// Throws Error for an empty map, a wrong type, non-finite or negative values.
std::optional<cv::Point2d> centreOfMass(const cv::Mat& map);

// Euclidean distance between two centres in those units (0 .. sqrt(2)).
double centreDistance(const cv::Point2d& a, const cv::Point2d& b);

// Distance between the centres of mass of two maps; std::nullopt when either map has no centre.
// The maps may differ in size: both centres are in image-size units.
std::optional<double> centreOfMassDistance(const cv::Mat& a, const cv::Mat& b);

// LEGACY, only to reproduce the seed's numbers: the formula on the seed's slide,
// (sum x p / (W*H), sum y p / (W*H)) with the same normalised pixel centres. It divides by the number of
// pixels instead of by sum p, so it is NOT a centre of mass: it equals centreOfMass(p) * mean(p), which
// is pulled towards the top-left corner (0,0) the smaller or weaker the salient region is, and it mixes
// "where" with "how much". Always defined ((0,0) for a zero map). Use centreOfMass for anything new.
cv::Point2d legacySeedCentre(const cv::Mat& map);

}  // namespace saliency::metrics
