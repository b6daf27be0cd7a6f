#pragma once
// The optimiser of a run (torch::optim's Adam or SGD, which follow torch.optim's update rules) and
// the learning rate set per epoch by the schedule (TrainConfig.h).
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/optim/optimizer.h>

#include "training/TrainConfig.h"

namespace saliency {

// Over `parameters` (those that require a gradient) with config's learning rate, momentum and
// weight decay. Throws Error when no parameter is trainable.
std::unique_ptr<torch::optim::Optimizer> makeOptimiser(const std::vector<at::Tensor>& parameters,
                                                       const TrainConfig& config);

void setLearningRate(torch::optim::Optimizer& optimiser, double learningRate);

}  // namespace saliency
