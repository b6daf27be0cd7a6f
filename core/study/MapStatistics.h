#pragma once
// The statistics a study stores for each map and each pair of maps (DESIGN.md section 4),
// computed with core/metrics on the full-resolution map. No LibTorch or Qt here.
#include <optional>

#include <opencv2/core/mat.hpp>

#include "metrics/Binarise.h"
#include "metrics/PairwiseAgreement.h"
#include "saliency/SaliencyMap.h"
#include "study/GroundTruth.h"
#include "study/ProjectRecords.h"

namespace saliency::study {

// The (H,W) CV_32FC1 map in [0,1] that every statistic is computed on, for any method: a CAM-like
// map as it is; a channel map (a signed input gradient, explain::isChannelMap) as the absolute
// maximum over its channels divided by its maximum (explain::absMaxGradient), since a centre of
// mass or a region needs one non-negative value per pixel. Empty when the map is unavailable.
cv::Mat analysisMap(const explain::SaliencyMap& map);

// Top-k intersection's k, as a share of the map's pixels: Quantus' 1000 pixels at 224 x 224 (2%).
inline constexpr double kTopKShare = 1000.0 / (224.0 * 224.0);

// Centre of mass, share of the binarised region, sparseness and effective complexity and, with a
// ground truth (GroundTruth.h, drawn on the map's grid), IoU, pointing game and energy inside it,
// relevance rank accuracy, top-k intersection and the IoU at every threshold of the sweep: all of
// them against a mask or a box, the pointing game alone (with kPointTolerance) against a click.
// measures.truth names which. `analysis` comes from analysisMap; an empty one gives no measures.
MapMeasures measureMap(const cv::Mat& analysis, const std::optional<GroundTruth>& truth,
                       const metrics::Binarisation& binarisation);

// IoU of the binarised maps and the distance between their centres (metrics::comparePair). Maps of
// two networks with different input sizes are compared on the larger grid: the smaller map is
// resized to it bilinearly (half-pixel centres), as the maps themselves were upsampled.
metrics::PairMeasures compareMaps(const cv::Mat& a, const cv::Mat& b,
                                  const metrics::Binarisation& binarisation);

}  // namespace saliency::study
