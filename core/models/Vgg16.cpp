#include "models/Vgg16.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/pooling.h>

#include "common/Error.h"
#include "models/ConvNormActivation.h"
#include "models/GuidedActivation.h"

namespace saliency::models {

namespace {
constexpr int kLastOnPath = 29;  // features.29: the last conv's ReLU; features.30 is the last pool
}

Vgg16Impl::Vgg16Impl(const Vgg16Options& opts) : options(opts) {
    if (options.num_classes() < 1)
        throw Error("vgg16: the number of classes must be positive");
    constexpr int kPool = 0;
    const int config[] = {64,    64,  kPool, 128, 128,   kPool, 256, 256, 256,
                          kPool, 512, 512,   512, kPool, 512,   512, 512, kPool};
    torch::nn::Sequential layers;
    std::int64_t in = 3;
    for (const int v : config) {
        if (v == kPool) {
            layers->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
        } else {
            layers->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, v, 3).padding(1)));
            layers->push_back(GuidedActivation(ActivationKind::ReLU));
            in = v;
        }
    }
    features = register_module("features", layers);
    dropout = torch::nn::Dropout(torch::nn::DropoutOptions(options.dropout()));
    fc = torch::nn::Linear(in, options.num_classes());
    classifier_ = register_module("classifier", torch::nn::Sequential(dropout, fc));
    initConvAndNorm(*this);
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(fc->weight, 0.0, 0.01);  // torchvision's VGG Linear initialisation
    fc->bias.zero_();
}

std::vector<std::string> Vgg16Impl::targetLayers() const {
    std::vector<std::string> names;
    for (int i = 0; i <= kLastOnPath; ++i)
        names.push_back("features." + std::to_string(i));
    return names;
}

at::Tensor Vgg16Impl::forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) {
    auto x = input;
    int index = 0;
    for (auto& child : *features) {
        if (index > kLastOnPath)
            break;
        x = child.forward(x);
        if (targetLayer == "features." + std::to_string(index))
            map = x;
        ++index;
    }
    return fc(dropout(x.mean({2, 3})));
}

}  // namespace saliency::models
