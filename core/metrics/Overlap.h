#pragma once
// Intersection over union of binarised maps (DESIGN.md section 4). Undefined, never NaN, when both
// regions are empty.
#include <cstdint>
#include <optional>

#include <opencv2/core.hpp>

#include "metrics/Binarise.h"

namespace saliency::metrics {

struct Overlap {
    std::int64_t intersection = 0;  // |A and B| in pixels
    std::int64_t unionArea = 0;     // |A or B| in pixels
    // intersection / union; std::nullopt when both regions are empty (union 0).
    std::optional<double> iou() const;
};

// Overlap of two binary masks (CV_8UC1, non-zero = inside) of the same size.
// Throws Error for an empty mask, a wrong type or a size mismatch.
Overlap maskOverlap(const cv::Mat& a, const cv::Mat& b);

// IoU of two binary masks of the same size; std::nullopt when both are empty.
std::optional<double> maskIoU(const cv::Mat& a, const cv::Mat& b);

// IoU of two saliency maps (CV_32FC1, same size), each binarised with the same rule;
// std::nullopt when both binarised regions are empty.
std::optional<double> mapIoU(const cv::Mat& a, const cv::Mat& b, const Binarisation& binarisation = {});

// (The IoU of a map against a ground-truth mask, which may have another size, is iouWithMask in
// MaskAgreement.h.)

}  // namespace saliency::metrics
