#pragma once
// EfficientNet-B0 .. B7 exactly as torchvision 0.14 builds them (_efficientnet_conf), with the
// common head:
//   features.0        stem Conv2dNormActivation(3, 32*w, 3x3, stride 2, SiLU): features.0.0 / .0.1
//   features.1 .. 7   stages of MBConv blocks features.N.M, each with
//                     block.K (expand 1x1 CNA if expand_ratio != 1, depthwise CNA,
//                     SqueezeExcitation fc1/fc2 with SiLU and a plain Sigmoid, project CNA without
//                     activation) and stochastic_depth (row mode, p = 0.2 * blockIndex / blocks)
//   features.8        Conv2dNormActivation(1x1, 4 * last channels, SiLU)
//   classifier.0      Dropout(p per variant: 0.2 0.2 0.3 0.3 0.4 0.4 0.5 0.5)
//   classifier.1      Linear(features, num_classes)
// Width/depth multipliers (1.0,1.0) (1.0,1.1) (1.1,1.2) (1.2,1.4) (1.4,1.8) (1.6,2.2) (1.8,2.6)
// (2.0,3.1). BatchNorm: eps 1e-5, momentum 0.1 for B0..B4; eps 1e-3, momentum 0.01 for B5..B7
// (torchvision sets the latter only there). Every SiLU is a GuidedActivation.
// Target layers: "features.0" .. "features.8"; default "features.8".
#include <cstdint>
#include <optional>

#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>

#include "models/Classifier.h"
#include "models/GuidedActivation.h"
#include "models/StochasticDepth.h"

namespace saliency::models {

struct EfficientNetOptions {
    explicit EfficientNetOptions(int variant = 0) : variant_(variant) {}
    TORCH_ARG(int, variant);  // 0 .. 7
    TORCH_ARG(std::int64_t, num_classes) = 2;
    TORCH_ARG(std::optional<double>, dropout);  // empty: torchvision's value for the variant
    TORCH_ARG(double, stochastic_depth_prob) = 0.2;
};

// torchvision's per-variant settings.
struct EfficientNetVariant {
    double widthMult, depthMult, dropout, bnEps, bnMomentum;
};
EfficientNetVariant efficientNetVariant(int variant);

class SqueezeExcitationImpl : public torch::nn::Module {
  public:
    SqueezeExcitationImpl(std::int64_t inputChannels, std::int64_t squeezeChannels);
    at::Tensor forward(const at::Tensor& input);

    torch::nn::Conv2d fc1{nullptr}, fc2{nullptr};
    GuidedActivation activation{nullptr};  // SiLU; the scale activation is a plain sigmoid
};
TORCH_MODULE(SqueezeExcitation);

struct MBConvConfig {
    double expandRatio;
    std::int64_t kernel, stride, inputChannels, outChannels;
};

class MBConvImpl : public torch::nn::Module {
  public:
    MBConvImpl(const MBConvConfig& config, double stochasticDepthProb, double bnEps, double bnMomentum);
    at::Tensor forward(const at::Tensor& input);

    bool useResidual;
    torch::nn::Sequential block{nullptr};
    StochasticDepth stochastic_depth{nullptr};
};
TORCH_MODULE(MBConv);

class EfficientNetImpl : public ClassifierImpl {
  public:
    explicit EfficientNetImpl(const EfficientNetOptions& options = EfficientNetOptions(0));

    std::string architecture() const override;
    std::vector<std::string> targetLayers() const override;
    std::string defaultTargetLayer() const override { return "features.8"; }
    torch::nn::Linear headLinear() const override { return fc; }
    std::string headName() const override { return "classifier.1"; }

    EfficientNetOptions options;
    torch::nn::Sequential features{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear fc{nullptr};

  protected:
    at::Tensor forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) override;

  private:
    torch::nn::Sequential classifier_{nullptr};
};
TORCH_MODULE(EfficientNet);

}  // namespace saliency::models
