#include "models/ConvNormActivation.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>

namespace saliency::models {

NestedSequential makeConvNormActivation(const ConvNormActivationOptions& o) {
    NestedSequential seq;
    seq->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in, o.out, o.kernel)
                                         .stride(o.stride)
                                         .padding((o.kernel - 1) / 2)
                                         .groups(o.groups)
                                         .bias(false)));
    seq->push_back(
        torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.out).eps(o.eps).momentum(o.momentum)));
    if (o.activation)
        seq->push_back(GuidedActivation(*o.activation));
    return seq;
}

void initConvAndNorm(torch::nn::Module& root) {
    torch::NoGradGuard noGrad;
    for (const auto& module : root.modules(/*include_self=*/false)) {
        if (auto* conv = dynamic_cast<torch::nn::Conv2dImpl*>(module.get())) {
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
            if (conv->bias.defined())
                conv->bias.zero_();
        } else if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(module.get())) {
            if (bn->weight.defined())
                bn->weight.fill_(1.0);
            if (bn->bias.defined())
                bn->bias.zero_();
        }
    }
}

}  // namespace saliency::models
