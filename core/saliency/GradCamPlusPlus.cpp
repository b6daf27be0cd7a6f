#include "saliency/GradCamPlusPlus.h"

#include <ATen/ATen.h>

namespace saliency::explain {

namespace {
constexpr double kAlphaEps = 1e-6;  // pytorch-grad-cam's eps in alpha's denominator
}

at::Tensor gradCamPlusPlusRaw(const at::Tensor& features, const at::Tensor& gradient) {
    const auto g2 = gradient * gradient;
    const auto g3 = g2 * gradient;
    const auto sumA = features.sum({2, 3}, /*keepdim=*/true);
    auto alpha = g2 / (2 * g2 + sumA * g3 + kAlphaEps);
    // The library zeroes alpha where g = 0; 0 / eps is 0 already, unless A's sum is inf or NaN.
    alpha = at::where(gradient != 0, alpha, at::zeros_like(alpha));
    const auto weights = (at::relu(gradient) * alpha).sum({2, 3});  // (N,K)
    return weightedChannelSum(weights, features);
}

MethodMaps gradCamPlusPlus(const at::Tensor& features, const at::Tensor& gradient, std::int64_t height,
                           std::int64_t width, CamScaling scaling) {
    return camMethodMaps(Method::GradCamPlusPlus, gradCamPlusPlusRaw(features, gradient), height, width,
                         scaling);
}

}  // namespace saliency::explain
