#include "metrics/Localisation.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "common/Error.h"
#include "metrics/MapValidation.h"
#include "metrics/MaskAgreement.h"
#include "metrics/PixelRanking.h"

namespace saliency::metrics {

namespace {

// Of the first k ranked pixels, how many lie inside the mask (mask at the map's size).
int insideAmongTop(const cv::Mat& map, const cv::Mat& maskAtMapSize, int k) {
    const auto order = rankedPixels(map);
    const cv::Mat inside = maskAtMapSize.isContinuous() ? maskAtMapSize : maskAtMapSize.clone();
    const unsigned char* m = inside.ptr<unsigned char>();
    int count = 0;
    for (int i = 0; i < k; ++i)
        count += m[order[static_cast<std::size_t>(i)]] != 0 ? 1 : 0;
    return count;
}

}  // namespace

std::optional<double> relevanceMassAccuracy(const cv::Mat& map, const cv::Mat& mask) {
    return energyInsideMask(map, mask);
}

std::optional<double> relevanceRankAccuracy(const cv::Mat& map, const cv::Mat& mask) {
    requireMap(map, "relevance rank accuracy");
    requireMask(mask, "relevance rank accuracy");
    const cv::Mat gt = maskAtSize(mask, map.size());
    const int k = cv::countNonZero(gt);
    if (k == 0)
        return std::nullopt;
    return static_cast<double>(insideAmongTop(map, gt, k)) / k;
}

double topKIntersection(const cv::Mat& map, const cv::Mat& mask, int k) {
    requireMap(map, "top-k intersection");
    requireMask(mask, "top-k intersection");
    if (k < 1)
        throw Error("top-k intersection: k must be at least 1");
    k = std::min(k, static_cast<int>(map.total()));
    return static_cast<double>(insideAmongTop(map, maskAtSize(mask, map.size()), k)) / k;
}

cv::Mat topPixels(const cv::Mat& map, int k) {
    requireMap(map, "top pixels");
    k = std::clamp(k, 0, static_cast<int>(map.total()));
    cv::Mat out = cv::Mat::zeros(map.size(), CV_8UC1);
    const auto order = rankedPixels(map);
    for (int i = 0; i < k; ++i)
        out.ptr<unsigned char>()[order[static_cast<std::size_t>(i)]] = 255;
    return out;
}

std::vector<Binarisation> standardThresholdSweep() {
    std::vector<Binarisation> sweep = {Binarisation::otsu()};
    for (int level = 1; level <= 9; ++level)
        sweep.push_back(Binarisation::atLevel(level / 10.0));
    for (const double percent : {5.0, 10.0, 20.0, 30.0})
        sweep.push_back(Binarisation::top(percent));
    return sweep;
}

std::vector<ThresholdHit> thresholdHits(const cv::Mat& map, const cv::Mat& mask,
                                        const std::vector<Binarisation>& sweep, double hitIou) {
    std::vector<ThresholdHit> out;
    for (const auto& b : sweep) {
        ThresholdHit h{.threshold = describe(b), .iou = iouWithMask(map, mask, b)};
        h.hit = h.iou && *h.iou >= hitIou;
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<double> hitRates(const std::vector<std::vector<ThresholdHit>>& perMap) {
    if (perMap.empty())
        return {};
    const std::size_t thresholds = perMap.front().size();
    std::vector<double> rates;
    for (std::size_t t = 0; t < thresholds; ++t) {
        int defined = 0, hits = 0;
        for (const auto& map : perMap) {
            if (map.size() != thresholds)
                throw Error("hit rates: the maps were swept over different thresholds");
            if (map[t].iou) {
                ++defined;
                hits += map[t].hit ? 1 : 0;
            }
        }
        rates.push_back(defined > 0 ? static_cast<double>(hits) / defined
                                    : std::numeric_limits<double>::quiet_NaN());
    }
    return rates;
}

}  // namespace saliency::metrics
