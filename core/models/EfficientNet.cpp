#include "models/EfficientNet.h"

#include <algorithm>
#include <cmath>

#include <torch/nn/init.h>

#include "common/Error.h"
#include "models/ConvNormActivation.h"

namespace saliency::models {

namespace {

// torchvision.models._utils._make_divisible(v, 8)
std::int64_t makeDivisible(double v, std::int64_t divisor = 8) {
    std::int64_t newV = std::max<std::int64_t>(
        divisor, static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2) / divisor * divisor);
    if (static_cast<double>(newV) < 0.9 * v)
        newV += divisor;
    return newV;
}

std::int64_t adjustChannels(std::int64_t channels, double widthMult) {
    return makeDivisible(static_cast<double>(channels) * widthMult);
}

int adjustDepth(int layers, double depthMult) {
    return static_cast<int>(std::ceil(static_cast<double>(layers) * depthMult));
}

struct StageConfig {
    double expandRatio;
    std::int64_t kernel, stride, inputChannels, outChannels;
    int layers;
};

}  // namespace

EfficientNetVariant efficientNetVariant(int variant) {
    static const EfficientNetVariant table[] = {
        {1.0, 1.0, 0.2, 1e-5, 0.1},  {1.0, 1.1, 0.2, 1e-5, 0.1},  {1.1, 1.2, 0.3, 1e-5, 0.1},
        {1.2, 1.4, 0.3, 1e-5, 0.1},  {1.4, 1.8, 0.4, 1e-5, 0.1},  {1.6, 2.2, 0.4, 1e-3, 0.01},
        {1.8, 2.6, 0.5, 1e-3, 0.01}, {2.0, 3.1, 0.5, 1e-3, 0.01},
    };
    if (variant < 0 || variant > 7)
        throw Error("efficientnet: variant must be b0 .. b7, got b" + std::to_string(variant));
    return table[variant];
}

SqueezeExcitationImpl::SqueezeExcitationImpl(std::int64_t inputChannels, std::int64_t squeezeChannels) {
    fc1 = register_module("fc1",
                          torch::nn::Conv2d(torch::nn::Conv2dOptions(inputChannels, squeezeChannels, 1)));
    fc2 = register_module("fc2",
                          torch::nn::Conv2d(torch::nn::Conv2dOptions(squeezeChannels, inputChannels, 1)));
    activation = register_module("activation", GuidedActivation(ActivationKind::SiLU));
}

at::Tensor SqueezeExcitationImpl::forward(const at::Tensor& input) {
    const auto scale = at::sigmoid(fc2(activation(fc1(input.mean({2, 3}, /*keepdim=*/true)))));
    return scale * input;
}

MBConvImpl::MBConvImpl(const MBConvConfig& c, double stochasticDepthProb, double bnEps, double bnMomentum)
    : useResidual(c.stride == 1 && c.inputChannels == c.outChannels) {
    if (c.stride < 1 || c.stride > 2)
        throw Error("MBConv: illegal stride " + std::to_string(c.stride));
    torch::nn::Sequential layers;
    const auto expanded = adjustChannels(c.inputChannels, c.expandRatio);
    if (expanded != c.inputChannels)
        layers->push_back(makeConvNormActivation({.in = c.inputChannels,
                                                  .out = expanded,
                                                  .kernel = 1,
                                                  .eps = bnEps,
                                                  .momentum = bnMomentum,
                                                  .activation = ActivationKind::SiLU}));
    layers->push_back(makeConvNormActivation({.in = expanded,
                                              .out = expanded,
                                              .kernel = c.kernel,
                                              .stride = c.stride,
                                              .groups = expanded,
                                              .eps = bnEps,
                                              .momentum = bnMomentum,
                                              .activation = ActivationKind::SiLU}));
    layers->push_back(SqueezeExcitation(expanded, std::max<std::int64_t>(1, c.inputChannels / 4)));
    layers->push_back(makeConvNormActivation({.in = expanded,
                                              .out = c.outChannels,
                                              .kernel = 1,
                                              .eps = bnEps,
                                              .momentum = bnMomentum,
                                              .activation = std::nullopt}));
    block = register_module("block", layers);
    stochastic_depth = register_module("stochastic_depth", StochasticDepth(stochasticDepthProb));
}

at::Tensor MBConvImpl::forward(const at::Tensor& input) {
    auto result = block->forward(input);
    if (useResidual)
        result = stochastic_depth(result) + input;
    return result;
}

EfficientNetImpl::EfficientNetImpl(const EfficientNetOptions& opts) : options(opts) {
    const auto v = efficientNetVariant(options.variant());
    if (options.num_classes() < 1)
        throw Error("efficientnet: the number of classes must be positive");
    const StageConfig base[] = {
        {1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},   {6, 5, 2, 24, 40, 2},   {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1},
    };
    std::vector<StageConfig> stages;
    int totalBlocks = 0;
    for (auto s : base) {
        s.inputChannels = adjustChannels(s.inputChannels, v.widthMult);
        s.outChannels = adjustChannels(s.outChannels, v.widthMult);
        s.layers = adjustDepth(s.layers, v.depthMult);
        totalBlocks += s.layers;
        stages.push_back(s);
    }

    torch::nn::Sequential layers;
    layers->push_back(makeConvNormActivation({.in = 3,
                                              .out = stages.front().inputChannels,
                                              .kernel = 3,
                                              .stride = 2,
                                              .eps = v.bnEps,
                                              .momentum = v.bnMomentum,
                                              .activation = ActivationKind::SiLU}));
    int blockId = 0;
    for (const auto& s : stages) {
        NestedSequential stage;
        for (int i = 0; i < s.layers; ++i) {
            MBConvConfig c{s.expandRatio, s.kernel, s.stride, s.inputChannels, s.outChannels};
            if (i > 0) {
                c.inputChannels = c.outChannels;
                c.stride = 1;
            }
            const double sdProb = options.stochastic_depth_prob() * static_cast<double>(blockId) /
                                  static_cast<double>(totalBlocks);
            stage->push_back(MBConv(c, sdProb, v.bnEps, v.bnMomentum));
            ++blockId;
        }
        layers->push_back(stage);
    }
    const auto lastIn = stages.back().outChannels;
    const auto lastOut = 4 * lastIn;
    layers->push_back(makeConvNormActivation({.in = lastIn,
                                              .out = lastOut,
                                              .kernel = 1,
                                              .eps = v.bnEps,
                                              .momentum = v.bnMomentum,
                                              .activation = ActivationKind::SiLU}));
    features = register_module("features", layers);
    dropout = torch::nn::Dropout(torch::nn::DropoutOptions(options.dropout().value_or(v.dropout)));
    fc = torch::nn::Linear(lastOut, options.num_classes());
    classifier_ = register_module("classifier", torch::nn::Sequential(dropout, fc));

    initConvAndNorm(*this);
    torch::NoGradGuard noGrad;
    // torchvision draws the head from U(-1/sqrt(classes), +): fine for ImageNet's 1000 classes, but for
    // a new 2-class head it is U(-0.71, 0.71) over 1280 features, logits start with a spread of ~10 and
    // training from scratch stalls (seen on the demo data). PyTorch's default Linear bound,
    // 1/sqrt(in_features), starts near uniform probabilities. Imported weights replace it either way.
    const double range = 1.0 / std::sqrt(static_cast<double>(lastOut));
    torch::nn::init::uniform_(fc->weight, -range, range);
    fc->bias.zero_();
}

std::string EfficientNetImpl::architecture() const {
    return "efficientnet-b" + std::to_string(options.variant());
}

std::vector<std::string> EfficientNetImpl::targetLayers() const {
    std::vector<std::string> names;
    for (int i = 0; i <= 8; ++i)
        names.push_back("features." + std::to_string(i));
    return names;
}

at::Tensor EfficientNetImpl::forwardImpl(const at::Tensor& input, const std::string& targetLayer,
                                         at::Tensor& map) {
    const auto x = runCapturing(features, input, "features", targetLayer, map);
    return fc(dropout(x.mean({2, 3})));
}

}  // namespace saliency::models
