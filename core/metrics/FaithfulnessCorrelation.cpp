#include "metrics/FaithfulnessCorrelation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "common/Error.h"
#include "metrics/MapValidation.h"

namespace saliency::metrics {

std::optional<double> pearsonCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        throw Error("pearson correlation: the series differ in length");
    if (a.size() < 2)
        return std::nullopt;
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa <= 0 || sbb <= 0)
        return std::nullopt;
    return sab / std::sqrt(saa * sbb);
}

FaithfulnessCorrelation faithfulnessCorrelation(const cv::Mat& image, const cv::Mat& map,
                                                const ClassScore& score,
                                                const FaithfulnessCorrelationOptions& options) {
    requireMap(map, "faithfulness correlation");
    requireColourImage(image, "faithfulness correlation");
    requireSameSize(image, map, "faithfulness correlation");
    if (!score)
        throw Error("faithfulness correlation: no score callback");
    if (options.runs < 2 || options.subsetSize < 1)
        throw Error("faithfulness correlation: runs must be at least 2 and the subset at least 1 pixel");
    const int pixels = static_cast<int>(map.total());
    const int size = std::min(options.subsetSize, pixels);
    const cv::Mat baseline = faithfulnessBaseline(image, options.baseline);
    const cv::Mat relevance = map.isContinuous() ? map : map.clone();

    std::mt19937_64 engine(options.seed);
    std::vector<int> order(static_cast<std::size_t>(pixels));
    FaithfulnessCorrelation result;
    std::vector<cv::Mat> images = {image};
    for (int run = 0; run < options.runs; ++run) {
        std::iota(order.begin(), order.end(), 0);
        for (int i = 0; i < size; ++i) {  // the first `size` of a Fisher-Yates shuffle
            const auto j = static_cast<int>(static_cast<std::uint64_t>(i) +
                                            engine() % static_cast<std::uint64_t>(pixels - i));
            std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
        }
        cv::Mat perturbed = image.clone();
        double sum = 0;
        for (int i = 0; i < size; ++i) {
            const int p = order[static_cast<std::size_t>(i)];
            const int y = p / map.cols, x = p % map.cols;
            sum += relevance.ptr<float>()[p];
            if (image.type() == CV_8UC3)
                perturbed.at<cv::Vec3b>(y, x) = baseline.at<cv::Vec3b>(y, x);
            else
                perturbed.at<cv::Vec3f>(y, x) = baseline.at<cv::Vec3f>(y, x);
        }
        result.relevance.push_back(sum);
        images.push_back(std::move(perturbed));
    }
    const auto scores = scoreInBatches("faithfulness correlation", images, score, options.batchSize);
    for (std::size_t i = 1; i < scores.size(); ++i)
        result.scoreDrop.push_back(scores[0] - scores[i]);
    result.correlation = pearsonCorrelation(result.relevance, result.scoreDrop);
    return result;
}

}  // namespace saliency::metrics
