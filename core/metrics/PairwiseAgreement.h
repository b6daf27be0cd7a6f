#pragma once
// The seed's "statistical test" (DESIGN.md section 1): for every pair of networks (or methods), the
// IoU of their binarised maps and the distance between their centres of mass, per image, summarised
// over the images.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "metrics/Aggregate.h"
#include "metrics/Binarise.h"

namespace saliency::metrics {

// The maps of one image, by name (e.g. "vgg16" -> map). Maps of one image share a size.
using NamedMaps = std::map<std::string, cv::Mat>;

struct PairMeasures {
    std::optional<double> iou;             // undefined when both binarised maps are empty
    std::optional<double> centreDistance;  // undefined when either map sums to 0
};

// IoU (mapIoU with the binarisation) and centre-of-mass distance of two maps of one image.
PairMeasures comparePair(const cv::Mat& a, const cv::Mat& b, const Binarisation& binarisation = {});

struct PairAgreement {
    std::string first, second;  // first < second
    Summary iou;                // over the images that have both maps
    Summary centreDistance;
};

// One row per unordered pair of the names found in any image (sorted by name, first < second), in
// lexicographic order of (first, second). An image that lacks one of the two maps does not count for
// that pair (neither as a value nor as undefined), so n + nUndefined = the images having both.
// Throws Error, naming the image index and the pair, for bad maps (e.g. two sizes in one image).
std::vector<PairAgreement> pairwiseAgreement(const std::vector<NamedMaps>& images,
                                             const Binarisation& binarisation = {});

}  // namespace saliency::metrics
