#include "study/FaithfulnessMeasures.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "metrics/Faithfulness.h"
#include "metrics/FaithfulnessCorrelation.h"
#include "models/Inference.h"

namespace saliency::study {

namespace {

constexpr std::size_t kBatch = 32;  // perturbed images per forward pass

}  // namespace

void measureFaithfulness(models::Checkpoint& network, const cv::Mat& image, const cv::Mat& analysis,
                         int targetClass, std::uint64_t seed, MapMeasures& measures) {
    if (analysis.empty())
        return;
    cv::Mat seen = image;
    if (seen.size() != analysis.size())
        cv::resize(image, seen, analysis.size(), 0, 0, cv::INTER_AREA);
    const metrics::ClassScore score = [&](const std::vector<cv::Mat>& images) {
        std::vector<double> out;
        for (std::size_t start = 0; start < images.size(); start += kBatch) {
            const std::vector<cv::Mat> batch(images.begin() + static_cast<std::ptrdiff_t>(start),
                                             images.begin() + static_cast<std::ptrdiff_t>(std::min(images.size(), start + kBatch)));
            for (const auto& p : models::predict(*network.model, network.card, batch))
                out.push_back(p.probabilities.at(static_cast<std::size_t>(targetClass)));
        }
        return out;
    };
    measures.deletionAuc = metrics::deletionCurve(seen, analysis, score).auc;
    measures.insertionAuc = metrics::insertionCurve(seen, analysis, score).auc;
    metrics::FaithfulnessCorrelationOptions options;
    options.seed = seed;
    measures.faithfulnessCorrelation = metrics::faithfulnessCorrelation(seen, analysis, score, options).correlation;
}

}  // namespace saliency::study
