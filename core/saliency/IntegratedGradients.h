#pragma once
// Integrated Gradients (Sundararajan et al. 2017): along the straight path from a baseline x' to x,
//   IG(x) = (x - x') * integral_0^1 dy_c/dx (x' + a (x - x')) da,
// the integral as a Riemann sum over m steps:
//   Trapezoid (default): a_i = i/m, i = 0..m, weights 1/m, halved at both ends (m + 1 gradients);
//   RightSum:            a_i = i/m, i = 1..m, weights 1/m (Captum's riemann_right; m gradients).
// (Captum's riemann_trapezoid with n points uses a_i = i/(n-1) but weights 1/n, which sum to
// 1 - 1/n; ours sum to 1 so that completeness holds as m grows.)
// Plain gradients (no guided rule: completeness needs true derivatives). The steps of all
// images run `batchSize` rows per pass. Internal (LibTorch).
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

#include "models/Classifier.h"
#include "saliency/MethodMaps.h"

namespace saliency::explain {

enum class IntegrationRule { Trapezoid, RightSum };
const char* integrationRuleName(IntegrationRule rule);  // "trapezoid", "right-sum"

struct IntegratedGradientsOptions {
    int steps = 50;  // m (Captum's default count)
    IntegrationRule rule = IntegrationRule::Trapezoid;
    // Undefined: zeros in the model's input space, i.e. after normalisation (Captum's default
    // baseline); with ImageNet's mean/std that is the mean colour, not black. Otherwise a tensor
    // that broadcasts to (N,3,H,W), e.g. (1,3,1,1) holding (0 - mean) / std for black.
    at::Tensor baseline;
    std::int64_t batchSize = 16;  // rows (image x step) per pass; the result does not depend on it
};

struct IntegratedGradientsResult {
    at::Tensor attributions;               // (N,3,H,W)
    std::vector<double> convergenceDelta;  // per image: sum(attributions) - (y_c(x) - y_c(x'))
};

// x (N,3,H,W) as the model takes it; target (N). The model is in eval mode and not guided (the
// caller's guard).
IntegratedGradientsResult integratedGradients(models::ClassifierImpl& model, const at::Tensor& x,
                                              const at::Tensor& target,
                                              const IntegratedGradientsOptions& options, PassCount& passes);

}  // namespace saliency::explain
