#include "training/ModelEvaluation.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "data/BatchLoader.h"
#include "models/Inference.h"
#include "training/TrainStep.h"

namespace saliency {

EvaluationResult evaluate(models::ClassifierImpl& model, const Dataset& dataset,
                          const std::vector<int>& indices, const EvaluateOptions& options) {
    model.eval();
    torch::NoGradGuard noGrad;
    BatchOptions batchOptions{.batchSize = options.batchSize,
                              .imageSize = options.imageSize,
                              .normalisation = options.normalisation,
                              .augment = {.enabled = false},
                              .shuffle = false,
                              .prefetch = options.prefetch};
    BatchLoader loader(dataset, indices, batchOptions);
    const std::int64_t batches = loader.batchCount();
    const int classes = static_cast<int>(model.numClasses());

    EvaluationResult result;
    std::vector<int> labels;
    std::vector<std::vector<float>> probabilities;
    double lossSum = 0.0;
    std::int64_t done = 0;
    while (auto batch = loader.next()) {
        const at::Tensor labelsOnDevice = batch->labels.to(options.device);
        const at::Tensor images = options.channelsLast ? toChannelsLast(batch->images) : batch->images;
        const at::Tensor logits = model.logits(images.to(options.device));
        models::requireFinite(logits, "the network's output (logits)");
        lossSum += at::cross_entropy_loss(logits, labelsOnDevice, {}, at::Reduction::Sum).item<double>();
        const at::Tensor probs = at::softmax(logits, 1).to(at::kCPU, at::kFloat).contiguous();
        const auto n = probs.size(0);
        const float* p = probs.data_ptr<float>();
        const auto* l = batch->labels.data_ptr<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            ImagePrediction prediction;
            const auto index = static_cast<size_t>(batch->indices[static_cast<size_t>(i)]);
            prediction.file = dataset.items[index].relativePath;
            prediction.trueClass = static_cast<int>(l[i]);
            prediction.probabilities.assign(p + i * classes, p + (i + 1) * classes);
            int best = 0;
            for (int c = 1; c < classes; ++c)
                if (prediction.probabilities[static_cast<size_t>(c)] >
                    prediction.probabilities[static_cast<size_t>(best)])
                    best = c;
            prediction.predictedClass = best;
            labels.push_back(prediction.trueClass);
            probabilities.push_back(prediction.probabilities);
            result.predictions.push_back(std::move(prediction));
        }
        ++done;
        if (options.onBatch && !options.onBatch(done, batches))
            throw Cancelled();
    }
    result.evaluation = evaluateClassifier(labels, probabilities, classes);
    result.loss = labels.empty() ? 0.0 : lossSum / static_cast<double>(labels.size());
    return result;
}

EvaluationResult evaluate(models::ClassifierImpl& model, const Dataset& dataset,
                          const std::vector<int>& indices, int imageSize, const Normalisation& normalisation,
                          const c10::Device& device, Progress* progress, int batchSize) {
    EvaluateOptions options{
        .imageSize = imageSize, .normalisation = normalisation, .device = device, .batchSize = batchSize};
    if (!progress)
        return evaluate(model, dataset, indices, options);
    ProgressScope scope(*progress, "Evaluating " + model.architecture(),
                        (static_cast<std::int64_t>(indices.size()) + batchSize - 1) / batchSize);
    options.onBatch = [&scope](std::int64_t done, std::int64_t) { return scope.update(done); };
    return evaluate(model, dataset, indices, options);
}

}  // namespace saliency
