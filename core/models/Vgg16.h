#pragma once
// VGG-16 (torchvision configuration "D", no batch norm) with the common head.
//   features.0 .. features.30  exactly torchvision's indices: Conv2d at 0,2,5,7,10,12,14,17,19,21,
//                              24,26,28; ReLU (GuidedActivation) after each; MaxPool2d at
//                              4,9,16,23,30
//   classifier.0               Dropout (no parameters)
//   classifier.1               Linear(512, num_classes)  (torchvision's own classifier.0/3/6
//                              are not imported: only features.* come from a torchvision file)
// The head pools the output of features.29 (the last conv's ReLU) directly, so CAM is exact at
// the default target layer "features.29" and its map is twice as fine as after the last pool.
// features.30 (that last MaxPool2d) is kept so that the indices read as torchvision's, but it is
// not on the path to the logits and so is not a target layer.
// Target layers: "features.0" .. "features.29"; default "features.29".
#include <cstdint>

#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "models/Classifier.h"

namespace saliency::models {

struct Vgg16Options {
    TORCH_ARG(std::int64_t, num_classes) = 2;
    TORCH_ARG(double, dropout) = 0.5;
};

class Vgg16Impl : public ClassifierImpl {
  public:
    explicit Vgg16Impl(const Vgg16Options& options = {});

    std::string architecture() const override { return "vgg16"; }
    std::vector<std::string> targetLayers() const override;
    std::string defaultTargetLayer() const override { return "features.29"; }
    torch::nn::Linear headLinear() const override { return fc; }
    std::string headName() const override { return "classifier.1"; }
    std::vector<std::string> importPrefixes() const override { return {"features."}; }

    Vgg16Options options;
    torch::nn::Sequential features{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear fc{nullptr};

  protected:
    at::Tensor forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) override;

  private:
    torch::nn::Sequential classifier_{nullptr};
};
TORCH_MODULE(Vgg16);

}  // namespace saliency::models
