#include "training/Optimiser.h"

#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include "common/Error.h"

namespace saliency {

std::unique_ptr<torch::optim::Optimizer> makeOptimiser(const std::vector<at::Tensor>& parameters,
                                                       const TrainConfig& config) {
    std::vector<at::Tensor> trainable;
    for (const auto& p : parameters)
        if (p.requires_grad())
            trainable.push_back(p);
    if (trainable.empty())
        throw Error("the model has no trainable parameter");
    if (config.optimiser == OptimiserKind::Sgd) {
        return std::make_unique<torch::optim::SGD>(trainable, torch::optim::SGDOptions(config.learningRate)
                                                                  .momentum(config.momentum)
                                                                  .weight_decay(config.weightDecay));
    }
    return std::make_unique<torch::optim::Adam>(
        trainable, torch::optim::AdamOptions(config.learningRate).weight_decay(config.weightDecay));
}

void setLearningRate(torch::optim::Optimizer& optimiser, double learningRate) {
    for (auto& group : optimiser.param_groups())
        group.options().set_lr(learningRate);
}

}  // namespace saliency
