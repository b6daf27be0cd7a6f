#pragma once
// ResNet-50 (torchvision's, V1.5: the stride sits on the 3x3 conv) with the common head.
//   conv1, bn1, relu, maxpool, layer1 .. layer4 of Bottleneck blocks named
//   layerX.Y.conv1/bn1/conv2/bn2/conv3/bn3/relu and layerX.0.downsample.0 (conv) / .1 (bn)
//   dropout  Dropout (no parameters)
//   fc       Linear(2048, num_classes)  (torchvision's name; its 1000-class fc is skipped on import)
// Target layers: "layer1" .. "layer4"; default "layer4".
#include <cstdint>

#include <torch/arg.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/pooling.h>

#include "models/Classifier.h"
#include "models/GuidedActivation.h"

namespace saliency::models {

struct ResNet50Options {
    TORCH_ARG(std::int64_t, num_classes) = 2;
    TORCH_ARG(double, dropout) = 0.5;
};

class BottleneckImpl : public torch::nn::Module {
  public:
    static constexpr std::int64_t kExpansion = 4;
    BottleneckImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride);
    at::Tensor forward(const at::Tensor& x);

    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    GuidedActivation relu{nullptr};
    torch::nn::Sequential downsample{nullptr};  // null when the shapes already match
};
TORCH_MODULE(Bottleneck);

class ResNet50Impl : public ClassifierImpl {
  public:
    explicit ResNet50Impl(const ResNet50Options& options = {});

    std::string architecture() const override { return "resnet50"; }
    std::vector<std::string> targetLayers() const override;
    std::string defaultTargetLayer() const override { return "layer4"; }
    torch::nn::Linear headLinear() const override { return fc; }
    std::string headName() const override { return "fc"; }

    ResNet50Options options;
    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    GuidedActivation relu{nullptr};
    torch::nn::MaxPool2d maxpool{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear fc{nullptr};

  protected:
    at::Tensor forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) override;
};
TORCH_MODULE(ResNet50);

}  // namespace saliency::models
