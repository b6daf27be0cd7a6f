#pragma once
// Localisation against a ground-truth mask beyond IoU and the pointing game (Quantus'
// "localisation" family; CheXlocalize's threshold sweep). The mask is resized to the map's size
// as in MaskAgreement.h (maskAtSize); the map is a one-channel saliency map (CV_32FC1, values >= 0
// where a sum is taken). Ties between equal values are broken by row-major index (the earlier
// pixel ranks higher), as binarise's TopPercent does, so every count is exact and deterministic.
//
//  - relevance mass accuracy (Arras et al. 2022, "CLEVR-XAI"): sum of R inside / sum of R, which
//    is energyInsideMask (MaskAgreement.h) under the name the field uses.
//  - relevance rank accuracy (Arras et al. 2022): with K = the mask's pixel count, the share of the
//    K highest-ranked pixels that lie inside the mask.
//  - top-k intersection (Theiner et al. 2021): the share of the k highest-ranked pixels inside the
//    mask (k fixed, e.g. Quantus' 1000 pixels, at most the map's size).
//  - hit rate at thresholds (CheXlocalize, Saporta et al. 2022): the map binarised at each of a
//    sweep of thresholds (levels, top percentages, Otsu) and its IoU with the mask; a map "hits" at
//    a threshold when that IoU >= hitIou. Over a data set, the share of hits per threshold is the
//    curve (hitRates).
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "metrics/Binarise.h"

namespace saliency::metrics {

// std::nullopt when sum R = 0 (see energyInsideMask).
std::optional<double> relevanceMassAccuracy(const cv::Mat& map, const cv::Mat& mask);

// std::nullopt when the mask is empty (no K).
std::optional<double> relevanceRankAccuracy(const cv::Mat& map, const cv::Mat& mask);

// k >= 1 (clamped to the map's pixel count). Throws Error for k < 1.
double topKIntersection(const cv::Mat& map, const cv::Mat& mask, int k);

// The k highest-ranked pixels: CV_8UC1, 255 on them (ties by row-major index).
cv::Mat topPixels(const cv::Mat& map, int k);

struct ThresholdHit {
    std::string threshold;      // describe(binarisation): "level 0.5", "top 10%", "Otsu"
    std::optional<double> iou;  // nullopt when region and mask are both empty
    bool hit = false;           // iou >= hitIou
};

// The sweep CheXlocalize reports: Otsu, the levels 0.1 .. 0.9 and the top 5, 10, 20, 30 %.
std::vector<Binarisation> standardThresholdSweep();

// One map against its mask at every threshold of the sweep (std::nullopt mask: no ground truth).
std::vector<ThresholdHit> thresholdHits(const cv::Mat& map, const cv::Mat& mask,
                                        const std::vector<Binarisation>& sweep = standardThresholdSweep(),
                                        double hitIou = 0.5);

// Per threshold over many maps (each a thresholdHits result over the same sweep): hits / maps with
// a defined IoU; NaN where none is defined.
std::vector<double> hitRates(const std::vector<std::vector<ThresholdHit>>& perMap);

}  // namespace saliency::metrics
