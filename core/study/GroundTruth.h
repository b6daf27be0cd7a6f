#pragma once
// The ground truth a map's localisation is measured against (issue 17, "pointing where there is no
// mask"): the data set's tumour mask where the scan has one; else the lesion as readers marked it
// on the scan in the app: the union of their boxes, or failing any box, their clicks on the
// lesion's centre. A box stands for the lesion's extent, so IoU, the pointing game and the energy
// inside are all defined against it; a click has no extent, so it plays the pointing game only, with
// the usual tolerance (Zhang et al.: 15 px at 224 px, here 15/224 of the map's shorter side).
// No LibTorch or Qt here.
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "study/ProjectRecords.h"

namespace saliency::study {

inline constexpr double kPointTolerance = 15.0 / 224.0;  // of the map's shorter side

struct GroundTruth {
    TruthSource source = TruthSource::Mask;
    cv::Mat mask;                   // Mask: the tumour mask (CV_8UC1, any size)
    std::vector<LesionMark> marks;  // Box: the boxes; Point: the points
};

// nullopt when there is nothing to measure against. A mask beats readers' marks; boxes beat points.
std::optional<GroundTruth> groundTruth(const std::optional<cv::Mat>& mask, const std::vector<LesionMark>& marks);

// The ground truth drawn on a map's grid (CV_8UC1, 255 inside): the mask resized by nearest
// neighbour; the boxes filled (a pixel is inside when its centre is); one pixel per point.
cv::Mat truthMaskAt(const GroundTruth& truth, cv::Size size);

// The kind the marks of one scan give (Box or Point), nullopt without marks.
std::optional<TruthSource> markedTruth(const std::vector<LesionMark>& marks);

// Throws Error for coordinates outside [0,1] or not finite, or a box whose corners are not ordered.
void requireValid(const LesionMark& mark);

}  // namespace saliency::study
