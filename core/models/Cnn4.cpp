#include "models/Cnn4.h"

#include <torch/nn/modules/pooling.h>

#include "common/Error.h"
#include "models/ConvNormActivation.h"

namespace saliency::models {

Cnn4Impl::Cnn4Impl(const Cnn4Options& opts) : options(opts) {
    if (options.channels().size() != 4)
        throw Error("cnn4 needs exactly 4 channel counts, got " + std::to_string(options.channels().size()));
    if (options.num_classes() < 1)
        throw Error("cnn4: the number of classes must be positive");
    torch::nn::Sequential blocks;
    std::int64_t in = 3;
    for (const auto out : options.channels()) {
        auto block = makeConvNormActivation({.in = in, .out = out, .kernel = 3});
        block->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
        blocks->push_back(block);
        in = out;
    }
    features = register_module("features", blocks);
    dropout = torch::nn::Dropout(torch::nn::DropoutOptions(options.dropout()));
    fc = torch::nn::Linear(in, options.num_classes());
    classifier_ = register_module("classifier", torch::nn::Sequential(dropout, fc));
    initConvAndNorm(*this);
}

std::vector<std::string> Cnn4Impl::targetLayers() const {
    return {"features.0", "features.1", "features.2", "features.3"};
}

at::Tensor Cnn4Impl::forwardImpl(const at::Tensor& input, const std::string& targetLayer, at::Tensor& map) {
    auto x = runCapturing(features, input, "features", targetLayer, map);
    return fc(dropout(x.mean({2, 3})));
}

}  // namespace saliency::models
