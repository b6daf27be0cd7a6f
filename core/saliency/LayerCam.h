#pragma once
// LayerCAM (Jiang et al. 2021): every position weighted by its own positive gradient,
//   M = ReLU(sum_k ReLU(dy_c/dA_k) * A_k), then the CAM post-processing (pytorch-grad-cam's
// LayerCAM without eigen-smoothing). Shares Grad-CAM's pass (Explainer). Internal (LibTorch).
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "saliency/MethodMaps.h"
#include "saliency/Normalise.h"

namespace saliency::explain {

// features A and gradient g: (N,K,h,w), detached. Raw (N,h,w) before the ReLU.
at::Tensor layerCamRaw(const at::Tensor& features, const at::Tensor& gradient);

MethodMaps layerCam(const at::Tensor& features, const at::Tensor& gradient, std::int64_t height,
                    std::int64_t width, CamScaling scaling);

}  // namespace saliency::explain
