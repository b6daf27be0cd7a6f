#include "study/MapStatistics.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "metrics/CentreOfMass.h"
#include "metrics/Complexity.h"
#include "metrics/Localisation.h"
#include "metrics/MaskAgreement.h"
#include "saliency/GuidedDisplay.h"

namespace saliency::study {

cv::Mat analysisMap(const explain::SaliencyMap& map) {
    if (!map.available || map.map.empty())
        return {};
    if (explain::isChannelMap(map.method) && map.map.channels() > 1)
        return explain::absMaxGradient(map.map);
    return map.map;
}

MapMeasures measureMap(const cv::Mat& analysis, const std::optional<GroundTruth>& truth,
                       const metrics::Binarisation& binarisation) {
    MapMeasures out;
    if (analysis.empty())
        return out;
    if (const auto centre = metrics::centreOfMass(analysis)) {
        out.centreX = centre->x;
        out.centreY = centre->y;
    }
    const cv::Mat region = metrics::binarise(analysis, binarisation);
    out.regionArea = static_cast<double>(cv::countNonZero(region)) / static_cast<double>(region.total());
    out.sparseness = metrics::sparseness(analysis);
    out.effectiveComplexity = metrics::effectiveComplexity(analysis);
    if (!truth)
        return out;
    out.truth = truth->source;
    const cv::Mat mask = truthMaskAt(*truth, analysis.size());
    if (truth->source == TruthSource::Point) {
        const double tolerance = kPointTolerance * std::min(analysis.cols, analysis.rows);
        if (const auto game = metrics::pointingGame(analysis, mask, {.toleranceRadius = tolerance}))
            out.pointingHit = game->hit;
        return out;
    }
    out.maskIou = metrics::iouWithMask(analysis, mask, binarisation);
    if (const auto game = metrics::pointingGame(analysis, mask))
        out.pointingHit = game->hit;
    out.energyInside = metrics::energyInsideMask(analysis, mask);
    out.rankAccuracy = metrics::relevanceRankAccuracy(analysis, mask);
    const int k = std::max(1, static_cast<int>(std::lround(kTopKShare * static_cast<double>(analysis.total()))));
    out.topKIntersection = metrics::topKIntersection(analysis, mask, k);
    for (const auto& hit : metrics::thresholdHits(analysis, mask))
        out.thresholdIous.push_back(hit.iou);
    return out;
}

metrics::PairMeasures compareMaps(const cv::Mat& a, const cv::Mat& b,
                                  const metrics::Binarisation& binarisation) {
    if (a.size() == b.size())
        return metrics::comparePair(a, b, binarisation);
    const bool aLarger = a.total() >= b.total();
    const cv::Mat& large = aLarger ? a : b;
    cv::Mat resized;
    cv::resize(aLarger ? b : a, resized, large.size(), 0, 0, cv::INTER_LINEAR);
    return aLarger ? metrics::comparePair(a, resized, binarisation)
                   : metrics::comparePair(resized, b, binarisation);
}

}  // namespace saliency::study
