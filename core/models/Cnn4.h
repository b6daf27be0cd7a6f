#pragma once
// The seed thesis's small network trained from scratch: four blocks of
// conv3x3 (no bias) -> BatchNorm -> ReLU -> maxpool 2x2, with 16/32/64/128 channels, then the
// common head. 97,938 parameters for two classes (the thesis's Keras model had 97,458).
//   features.0 .. features.3   blocks; features.N.0 conv, .1 bn, .2 relu, .3 maxpool
//   classifier.0               Dropout (no parameters)
//   classifier.1               Linear(128, num_classes)
// Target layers: "features.0" .. "features.3" (block outputs); default "features.3".
#include <cstdint>
#include <vector>

#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "models/Classifier.h"

namespace saliency::models {

struct Cnn4Options {
    TORCH_ARG(std::int64_t, num_classes) = 2;
    TORCH_ARG(std::vector<std::int64_t>, channels) = std::vector<std::int64_t>{16, 32, 64, 128};
    TORCH_ARG(double, dropout) = 0.3;
};

class Cnn4Impl : public ClassifierImpl {
  public:
    explicit Cnn4Impl(const Cnn4Options& options = {});

    std::string architecture() const override { return "cnn4"; }
    std::vector<std::string> targetLayers() const override;
    std::string defaultTargetLayer() const override { return "features.3"; }
    torch::nn::Linear headLinear() const override { return fc; }
    std::string headName() const override { return "classifier.1"; }

    Cnn4Options options;
    torch::nn::Sequential features{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear fc{nullptr};

  protected:
    at::Tensor forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) override;

  private:
    torch::nn::Sequential classifier_{nullptr};
};
TORCH_MODULE(Cnn4);

}  // namespace saliency::models
