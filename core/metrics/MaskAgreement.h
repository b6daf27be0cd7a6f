#pragma once
// Agreement of a saliency map with a ground-truth tumour mask (DESIGN.md section 4): IoU, pointing
// game, energy inside the mask. The mask may have another size than the map: it is first resized to
// the map's size by nearest neighbour (pixel centres).
#include <optional>

#include <opencv2/core.hpp>

#include "metrics/Binarise.h"

namespace saliency::metrics {

// The mask (CV_8UC1, non-zero = tumour) at the given size, values 0/255: nearest neighbour with pixel
// centres, source pixel floor((i + 0.5) * srcW / dstW) (as PIL and scikit-image; an identity at the same
// size). Throws Error for an empty mask, a wrong type or an empty size.
cv::Mat maskAtSize(const cv::Mat& mask, cv::Size size);

// IoU of the binarised map with the mask (resized to the map); std::nullopt when both are empty
// (a healthy scan whose map is empty too).
std::optional<double> iouWithMask(const cv::Mat& map, const cv::Mat& mask,
                                  const Binarisation& binarisation = {});

struct PointingGameOptions {
    // A hit when the peak lies within this Euclidean distance (pixels of the map's grid, between pixel
    // centres) of a mask pixel. 0: the peak must be inside the mask. The usual pointing game
    // (Zhang et al. 2016) uses 15 px.
    double toleranceRadius = 0.0;
};

struct PointingGameResult {
    cv::Point peak;         // argmax of the map (column x, row y); ties: the first in row-major order
    double distance = 0.0;  // pixels from the peak to the nearest mask pixel; 0 inside the mask
    bool hit = false;       // distance <= toleranceRadius
};

// std::nullopt when the game cannot be played: the mask is empty (nothing to point at) or the map is
// flat (all values equal, e.g. a zero map: it has no peak).
// Throws Error for bad input or a negative / non-finite radius.
std::optional<PointingGameResult> pointingGame(const cv::Mat& map, const cv::Mat& mask,
                                               const PointingGameOptions& options = {});

// sum of p inside the mask / sum of p (the map's values must be >= 0); std::nullopt when sum p = 0.
// An empty mask with a non-zero map gives 0.
std::optional<double> energyInsideMask(const cv::Mat& map, const cv::Mat& mask);

}  // namespace saliency::metrics
