#pragma once
// Score-CAM (Wang et al. 2020) as pytorch-grad-cam computes it (no gradients):
//   for every channel k: U_k = A_k upsampled to (H,W) bilinearly with align_corners=true (the
//   library's nn.UpsamplingBilinear2d), min-max to [0,1] with eps 1e-8; s_k = y_c(x * U_k), the
//   raw logit of the masked input; w = softmax_k(s); M = ReLU(sum_k w_k A_k), then the CAM
//   post-processing. K forward passes per image, run `batchSize` masked inputs at a time.
// Internal (LibTorch).
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "models/Classifier.h"
#include "saliency/MethodMaps.h"
#include "saliency/Normalise.h"

namespace saliency::explain {

struct ScoreCamOptions {
    // Masked inputs per forward pass (pytorch-grad-cam's default 16). Only speed and memory
    // depend on it; channels of different images may share a pass.
    std::int64_t batchSize = 16;
};

// x (N,3,H,W) as the model takes it; features A (N,K,h,w) of x at the target layer; target (N).
// The model is in eval mode (the caller's guard). Counts one forward per pass in `passes`.
MethodMaps scoreCam(models::ClassifierImpl& model, const at::Tensor& x, const at::Tensor& features,
                    const at::Tensor& target, const ScoreCamOptions& options, CamScaling scaling,
                    PassCount& passes);

}  // namespace saliency::explain
