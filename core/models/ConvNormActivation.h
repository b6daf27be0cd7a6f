#pragma once
// torchvision.ops.Conv2dNormActivation as a Sequential: "0" Conv2d (no bias), "1" BatchNorm2d,
// "2" activation (a GuidedActivation, left out when `activation` is empty), padding
// (kernel - 1) / 2, so that its parameters are named as torchvision's.
#include <cstdint>
#include <optional>

#include "models/GuidedActivation.h"
#include "models/NestedSequential.h"

namespace saliency::models {

struct ConvNormActivationOptions {
    std::int64_t in = 0, out = 0;
    std::int64_t kernel = 3, stride = 1, groups = 1;
    double eps = 1e-5, momentum = 0.1;  // BatchNorm2d
    std::optional<ActivationKind> activation = ActivationKind::ReLU;
};

NestedSequential makeConvNormActivation(const ConvNormActivationOptions& options);

// torchvision's initialisations: Conv2d kaiming_normal_(mode="fan_out", nonlinearity="relu"),
// zero bias; BatchNorm weight 1, bias 0.
void initConvAndNorm(torch::nn::Module& root);

}  // namespace saliency::models
