#include "study/FaithfulnessMeasures.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "metrics/Faithfulness.h"
#include "metrics/FaithfulnessCorrelation.h"
#include "metrics/Road.h"
#include "models/Inference.h"

namespace saliency::study {

namespace {

// Perturbed images per forward pass. Not more: on a 2-core machine a ResNet50 forward of 16 or 21
// images at 224 px costs 2-3x as much per image as one of 8 (measured in PyTorch and LibTorch alike;
// the activations outgrow the caches), and small networks gain nothing from larger batches either.
constexpr std::size_t kBatch = 8;

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
    metrics::RoadOptions road;
    road.seed = seed;
    measures.roadMorf = metrics::roadCurve(seen, analysis, score, metrics::RoadOrder::MostRelevantFirst, road).mean;
    measures.roadLerf = metrics::roadCurve(seen, analysis, score, metrics::RoadOrder::LeastRelevantFirst, road).mean;
}

}  // namespace saliency::study
