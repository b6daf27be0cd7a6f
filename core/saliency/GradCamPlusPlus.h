#pragma once
// Grad-CAM++ (Chattopadhay et al. 2018) in pytorch-grad-cam's closed form, which assumes an
// exponential of the score (Y = exp(S)) so that the higher derivatives are powers of g:
//   g = dy_c/dA,  alpha = g^2 / (2 g^2 + sum_ab(A) g^3 + 1e-6), alpha = 0 where g = 0,
//   w_k = sum_hw(alpha * ReLU(g)),  M = ReLU(sum_k w_k A_k), then the CAM post-processing.
// It needs A and dy_c/dA only, so it shares Grad-CAM's pass (Explainer). Internal (LibTorch).
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "saliency/MethodMaps.h"
#include "saliency/Normalise.h"

namespace saliency::explain {

// features A and gradient g: (N,K,h,w), detached. Raw (N,h,w) before the ReLU.
at::Tensor gradCamPlusPlusRaw(const at::Tensor& features, const at::Tensor& gradient);

MethodMaps gradCamPlusPlus(const at::Tensor& features, const at::Tensor& gradient, std::int64_t height,
                           std::int64_t width, CamScaling scaling);

}  // namespace saliency::explain
