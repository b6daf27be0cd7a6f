#include "metrics/MaskAgreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/Error.h"
#include "metrics/MapValidation.h"
#include "metrics/Overlap.h"

namespace saliency::metrics {

cv::Mat maskAtSize(const cv::Mat& mask, cv::Size size) {
    requireMask(mask, "mask resize");
    if (size.width <= 0 || size.height <= 0)
        throw Error("mask resize: the target size " + std::to_string(size.width) + "x" +
                    std::to_string(size.height) + " is empty");
    // Nearest neighbour by pixel centres, computed exactly in integers: source index
    // floor((i + 0.5) * src / dst) = (2 i + 1) src / (2 dst). (OpenCV's INTER_NEAREST has no half-pixel
    // offset, and INTER_NEAREST_EXACT's fixed point rounds exact halves down, e.g. 4 -> 2 picks 0 and 2.)
    const auto sourceIndex = [](int i, int src, int dst) {
        const long long s = (2LL * i + 1) * src / (2LL * dst);
        return static_cast<int>(std::min<long long>(s, src - 1));
    };
    std::vector<int> columns(static_cast<std::size_t>(size.width));
    for (int x = 0; x < size.width; ++x)
        columns[static_cast<std::size_t>(x)] = sourceIndex(x, mask.cols, size.width);
    cv::Mat binary(size, CV_8UC1);
    for (int y = 0; y < size.height; ++y) {
        const uchar* in = mask.ptr<uchar>(sourceIndex(y, mask.rows, size.height));
        uchar* out = binary.ptr<uchar>(y);
        for (int x = 0; x < size.width; ++x)
            out[x] = in[columns[static_cast<std::size_t>(x)]] != 0 ? 255 : 0;
    }
    return binary;
}

std::optional<double> iouWithMask(const cv::Mat& map, const cv::Mat& mask, const Binarisation& binarisation) {
    requireMap(map, "IoU with mask");
    requireMask(mask, "IoU with mask");
    return maskIoU(binarise(map, binarisation), maskAtSize(mask, map.size()));
}

std::optional<PointingGameResult> pointingGame(const cv::Mat& map, const cv::Mat& mask,
                                               const PointingGameOptions& options) {
    requireMap(map, "pointing game");
    requireMask(mask, "pointing game");
    if (!(std::isfinite(options.toleranceRadius) && options.toleranceRadius >= 0.0))
        throw Error("pointing game: the tolerance radius must be a finite number >= 0");
    const cv::Mat target = maskAtSize(mask, map.size());
    if (cv::countNonZero(target) == 0)
        return std::nullopt;

    // First maximum in row-major order (strict > keeps the earliest of equal values).
    PointingGameResult result;
    float best = map.at<float>(0, 0), lowest = best;
    for (int y = 0; y < map.rows; ++y) {
        const float* row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x) {
            if (row[x] > best) {
                best = row[x];
                result.peak = {x, y};
            }
            if (row[x] < lowest)
                lowest = row[x];
        }
    }
    if (best == lowest)
        return std::nullopt;

    // Exact Euclidean distance to the nearest mask pixel (one point: a scan of the mask is enough).
    double nearest2 = std::numeric_limits<double>::infinity();
    for (int y = 0; y < target.rows && nearest2 > 0.0; ++y) {
        const uchar* row = target.ptr<uchar>(y);
        const double dy = y - result.peak.y;
        for (int x = 0; x < target.cols; ++x) {
            if (row[x] == 0)
                continue;
            const double dx = x - result.peak.x;
            nearest2 = std::min(nearest2, dx * dx + dy * dy);
        }
    }
    result.distance = std::sqrt(nearest2);
    result.hit = result.distance <= options.toleranceRadius;
    return result;
}

std::optional<double> energyInsideMask(const cv::Mat& map, const cv::Mat& mask) {
    requireWeightMap(map, "energy inside mask");
    requireMask(mask, "energy inside mask");
    const cv::Mat target = maskAtSize(mask, map.size());
    double inside = 0.0, total = 0.0;
    for (int y = 0; y < map.rows; ++y) {
        const float* p = map.ptr<float>(y);
        const uchar* m = target.ptr<uchar>(y);
        for (int x = 0; x < map.cols; ++x) {
            total += p[x];
            if (m[x] != 0)
                inside += p[x];
        }
    }
    if (!(total > 0.0))
        return std::nullopt;
    return inside / total;
}

}  // namespace saliency::metrics
