#pragma once
// Runs a classifier over part of a data set (no augmentation, eval mode, no gradients) and
// collects the metrics, the mean loss and the per-image predictions (training/EvaluationReport.h).
#include <cstdint>
#include <functional>
#include <vector>

#include <c10/core/Device.h>

#include "common/Progress.h"
#include "data/Dataset.h"
#include "data/Preprocess.h"
#include "models/Classifier.h"
#include "training/EvaluationReport.h"

namespace saliency {

struct EvaluateOptions {
    int imageSize = 150;
    Normalisation normalisation;
    c10::Device device = c10::Device(c10::DeviceType::CPU);  // where the model is
    int batchSize = 32;
    int prefetch = 2;
    bool channelsLast = false;  // inputs NHWC (for a model prepared with useChannelsLast)
    // Called after each batch with (batches done, batches); returning false stops the pass and
    // evaluate() throws Cancelled.
    std::function<bool(std::int64_t, std::int64_t)> onBatch;
};

// indices into dataset.items. The model is put in eval mode (and left so). Throws Cancelled,
// FileError (an image that no longer decodes) or Error.
EvaluationResult evaluate(models::ClassifierImpl& model, const Dataset& dataset,
                          const std::vector<int>& indices, const EvaluateOptions& options);

// The same, reporting to `progress` (start/update/finish; a cancel throws Cancelled).
EvaluationResult evaluate(models::ClassifierImpl& model, const Dataset& dataset,
                          const std::vector<int>& indices, int imageSize, const Normalisation& normalisation,
                          const c10::Device& device, Progress* progress = nullptr, int batchSize = 32);

}  // namespace saliency
