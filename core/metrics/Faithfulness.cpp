#include "metrics/Faithfulness.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "metrics/MapValidation.h"
#include "metrics/PixelRanking.h"

namespace saliency::metrics {

namespace {

// Images at k = 0..steps: `from` with the first round(k/steps N) pixels of `order` taken from `to`.
FaithfulnessCurve sweep(const char* context, const cv::Mat& image, const cv::Mat& map,
                        const ClassScore& score, const FaithfulnessOptions& options, const cv::Mat& from,
                        const cv::Mat& to) {
    const std::vector<int> order = rankedPixels(map);
    const auto n = static_cast<double>(order.size());
    const int steps = options.steps;
    const std::size_t batch = options.batchSize > 0 ? static_cast<std::size_t>(options.batchSize)
                                                    : static_cast<std::size_t>(steps) + 1;
    const std::size_t pixelBytes = image.elemSize();

    FaithfulnessCurve curve;
    curve.fractions.reserve(static_cast<std::size_t>(steps) + 1);
    curve.scores.reserve(static_cast<std::size_t>(steps) + 1);

    cv::Mat current = from.clone();  // continuous
    const cv::Mat source = to.isContinuous() ? to : to.clone();
    std::size_t applied = 0;
    std::vector<cv::Mat> pending;

    const auto flush = [&] {
        for (const double v : scoreInBatches(context, pending, score, 0))
            curve.scores.push_back(v);
        pending.clear();
    };

    for (int k = 0; k <= steps; ++k) {
        const double fraction = static_cast<double>(k) / steps;
        const auto count = static_cast<std::size_t>(std::llround(fraction * n));
        uchar* dst = current.data;
        const uchar* src = source.data;
        for (; applied < count; ++applied) {
            const auto offset = static_cast<std::size_t>(order[applied]) * pixelBytes;
            std::memcpy(dst + offset, src + offset, pixelBytes);
        }
        curve.fractions.push_back(fraction);
        pending.push_back(current.clone());
        if (pending.size() >= batch)
            flush();
    }
    flush();
    curve.auc = trapezoidArea(curve.fractions, curve.scores);
    return curve;
}

void checkInputs(const char* context, const cv::Mat& image, const cv::Mat& map, const ClassScore& score,
                 const FaithfulnessOptions& options) {
    requireColourImage(image, context);
    requireMap(map, context);
    requireSameSize(image, map, context);
    if (!score)
        throw Error(std::string(context) + ": no scoring callback");
    if (options.steps < 1)
        throw Error(std::string(context) + ": steps must be >= 1, got " + std::to_string(options.steps));
}

}  // namespace

cv::Mat faithfulnessBaseline(const cv::Mat& image, FaithfulnessBaseline baseline, double blurSigmaFraction) {
    requireColourImage(image, "faithfulness baseline");
    if (baseline == FaithfulnessBaseline::Zero)
        return cv::Mat::zeros(image.size(), image.type());
    if (!(std::isfinite(blurSigmaFraction) && blurSigmaFraction > 0.0))
        throw Error("faithfulness baseline: the blur sigma fraction must be > 0");
    const double sigma = blurSigmaFraction * std::max(image.cols, image.rows);
    cv::Mat blurred;
    cv::GaussianBlur(image, blurred, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT_101);
    return blurred;
}

FaithfulnessCurve deletionCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score,
                                const FaithfulnessOptions& options) {
    checkInputs("deletion curve", image, map, score, options);
    const cv::Mat baseline = faithfulnessBaseline(image, options.deletionBaseline, options.blurSigmaFraction);
    return sweep("deletion curve", image, map, score, options, image, baseline);
}

FaithfulnessCurve insertionCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score,
                                 const FaithfulnessOptions& options) {
    checkInputs("insertion curve", image, map, score, options);
    const cv::Mat baseline =
        faithfulnessBaseline(image, options.insertionBaseline, options.blurSigmaFraction);
    return sweep("insertion curve", image, map, score, options, baseline, image);
}

std::vector<double> scoreInBatches(std::string_view context, const std::vector<cv::Mat>& images,
                                   const ClassScore& score, int batch) {
    std::vector<double> out;
    const std::size_t step =
        batch > 0 ? static_cast<std::size_t>(batch) : std::max<std::size_t>(images.size(), 1);
    for (std::size_t start = 0; start < images.size(); start += step) {
        const std::vector<cv::Mat> part(
            images.begin() + static_cast<std::ptrdiff_t>(start),
            images.begin() + static_cast<std::ptrdiff_t>(std::min(images.size(), start + step)));
        const auto s = score(part);
        if (s.size() != part.size())
            throw Error(std::string(context) + ": the scoring callback returned " + std::to_string(s.size()) +
                        " scores for " + std::to_string(part.size()) + " images");
        for (const double v : s)
            if (!std::isfinite(v))
                throw Error(std::string(context) + ": the scoring callback returned a non-finite score");
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() != y.size())
        throw Error("trapezoid area: " + std::to_string(x.size()) + " x values but " +
                    std::to_string(y.size()) + " y values");
    double area = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i)
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    return area;
}

}  // namespace saliency::metrics
