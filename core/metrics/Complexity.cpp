#include "metrics/Complexity.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/Error.h"

namespace saliency::metrics {

namespace {

// |R| of every value of every channel, as doubles; throws for an empty, non-float or non-finite map.
std::vector<double> absoluteValues(const cv::Mat& map, const char* context) {
    if (map.empty() || map.depth() != CV_32F)
        throw Error(std::string(context) + ": the map must be a non-empty float (CV_32F) image");
    cv::Mat d;
    map.reshape(1, 1).convertTo(d, CV_64F);
    std::vector<double> values(d.begin<double>(), d.end<double>());
    for (auto& v : values) {
        if (!std::isfinite(v))
            throw Error(std::string(context) + ": the map has a non-finite value");
        v = std::abs(v);
    }
    return values;
}

}  // namespace

std::optional<double> sparseness(const cv::Mat& map) {
    auto a = absoluteValues(map, "sparseness");
    std::sort(a.begin(), a.end());
    const double n = static_cast<double>(a.size());
    double weighted = 0, sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * a[i];
        sum += a[i];
    }
    if (sum <= 0)
        return std::nullopt;
    return weighted / (n * sum);
}

double effectiveComplexity(const cv::Mat& map, double eps) {
    if (!std::isfinite(eps) || eps < 0)
        throw Error("effective complexity: eps must be a finite value >= 0");
    const auto a = absoluteValues(map, "effective complexity");
    const auto above = std::count_if(a.begin(), a.end(), [eps](double v) { return v > eps; });
    return static_cast<double>(above) / static_cast<double>(a.size());
}

}  // namespace saliency::metrics
