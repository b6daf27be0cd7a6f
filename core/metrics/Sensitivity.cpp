#include "metrics/Sensitivity.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "common/Error.h"
#include "metrics/MapValidation.h"

namespace saliency::metrics {

namespace {

double uniform(std::mt19937_64& engine) {
    return static_cast<double>(engine() >> 11) * (1.0 / 9007199254740992.0);  // [0,1)
}

// x + d, d uniform in [-amplitude, amplitude] per value; 8-bit rounded and clipped.
cv::Mat perturbed(const cv::Mat& image, double amplitude, std::mt19937_64& engine) {
    cv::Mat noisy;
    image.convertTo(noisy, CV_64F);
    noisy = noisy.reshape(1, 1);
    for (auto it = noisy.begin<double>(); it != noisy.end<double>(); ++it)
        *it += amplitude * (2.0 * uniform(engine) - 1.0);
    noisy = noisy.reshape(image.channels(), image.rows);
    cv::Mat out;
    noisy.convertTo(out, image.type());  // saturate_cast: rounds and clips to 0..255 for 8-bit
    return out;
}

void requireMapLike(const cv::Mat& map, const cv::Mat& reference) {
    if (map.empty() || (map.depth() != CV_32F && map.depth() != CV_64F))
        throw Error("sensitivity: the explanation must be a non-empty float map");
    if (!reference.empty() && (map.size() != reference.size() || map.type() != reference.type()))
        throw Error("sensitivity: the explanation's size or type changed with the input");
    if (!cv::checkRange(map))
        throw Error("sensitivity: the explanation has a non-finite value");
}

}  // namespace

Sensitivity sensitivity(const cv::Mat& image, const ExplainImage& explain,
                        const SensitivityOptions& options) {
    requireColourImage(image, "sensitivity");
    if (!explain)
        throw Error("sensitivity: no explanation callback");
    if (options.samples < 1 || !(options.radius > 0.0 && options.radius <= 1.0))
        throw Error("sensitivity: samples must be at least 1 and the radius in (0, 1]");
    const double amplitude = options.radius * (image.depth() == CV_8U ? 255.0 : 1.0);
    const cv::Mat original = explain(image);
    requireMapLike(original, {});
    const double base = cv::norm(original, cv::NORM_L2);
    std::mt19937_64 engine(options.seed);
    Sensitivity result;
    for (int i = 0; i < options.samples; ++i) {
        const cv::Mat map = explain(perturbed(image, amplitude, engine));
        requireMapLike(map, original);
        result.perSample.push_back(base > 0 ? cv::norm(map, original, cv::NORM_L2) / base : 0.0);
    }
    if (base > 0) {
        result.maximum = *std::max_element(result.perSample.begin(), result.perSample.end());
        result.average = std::accumulate(result.perSample.begin(), result.perSample.end(), 0.0) /
                         static_cast<double>(result.perSample.size());
    }
    return result;
}

}  // namespace saliency::metrics
