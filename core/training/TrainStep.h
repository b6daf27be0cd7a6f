#pragma once
// One optimisation step, shared by the trainer, the parity test against torch.optim and the bench.
#include <cstdint>

#include <ATen/core/Tensor.h>
#include <torch/optim/optimizer.h>

#include "models/Classifier.h"

namespace saliency {

struct StepResult {
    double loss = 0.0;         // mean cross-entropy of the batch, before the update
    std::int64_t correct = 0;  // argmax == label, before the update
    std::int64_t images = 0;
};

// zero_grad, forward, cross-entropy (mean over the batch), backward, optimiser step. `images` and
// `labels` are on the model's device; the model is left as it was (training mode is the caller's).
StepResult trainStep(models::ClassifierImpl& model, torch::optim::Optimizer& optimiser,
                     const at::Tensor& images, const at::Tensor& labels);

// model.train(); with a frozen backbone, its BatchNorm layers (running statistics and batch
// statistics both) and its stochastic depth go back to eval mode, so the frozen part computes
// exactly what it computes at inference (Keras' base_model(training=False)); the head's dropout
// stays active.
void setTrainingMode(models::ClassifierImpl& model, bool frozenBackbone);

// Stores the model's 4-D weights channels-last (NHWC). With channels-last inputs too
// (toChannelsLast), oneDNN's CPU convolutions run without layout conversions: cnn4 trains about
// 30% faster on the CPU (docs/benchmarks.md). The values are unchanged; a checkpoint stores them
// contiguous as always. Call before making the optimiser.
void useChannelsLast(models::ClassifierImpl& model);
at::Tensor toChannelsLast(const at::Tensor& images);

}  // namespace saliency
