#pragma once
// What one method produced for a batch, as tensors, and the passes it ran (the explainer's
// internal currency; SaliencyMap.h is the LibTorch-free form for the GUI).
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "saliency/Method.h"
#include "saliency/Normalise.h"

namespace saliency::explain {

// Passes run (counted where they are run, for tests and benchmarks).
struct PassCount {
    int forwards = 0;        // all forward passes, guided ones included
    int guidedForwards = 0;  // of which for an input gradient (in guided mode unless GuidedRule::None)
    int backwards = 0;       // torch::autograd::grad calls
    PassCount& operator+=(const PassCount& other);
};

// One method for the whole batch, as tensors (on the CPU, float or double as the model).
struct MethodMaps {
    Method method = Method::GradCam;
    // CAM family: (N,H,W) in [0,1]; guided ones, SmoothGrad, Integrated Gradients: (N,3,H,W) raw.
    at::Tensor maps;
    at::Tensor raw;           // CAM family: (N,h,w) before the ReLU; undefined for the others
    std::vector<bool> empty;  // per image
    bool available = true;
    std::string message;  // why unavailable; empty otherwise
    // Integrated Gradients: sum of the attributions - (y_c(x) - y_c(baseline)) per image (Captum's
    // convergence delta; 0 for an exact integral). Empty for the other methods.
    std::vector<double> convergenceDelta;
};

// A CAM-family result from its raw map (N,h,w) before the ReLU: postProcessCam to (N,height,width),
// with the empty flags; both tensors moved to the CPU.
MethodMaps camMethodMaps(Method method, const at::Tensor& raw, std::int64_t height, std::int64_t width,
                         CamScaling scaling);

// Per image of (N,...): true when every value is zero (an attribution that carries nothing).
std::vector<bool> zeroPerImage(const at::Tensor& maps);

// (N,K,h,w) features weighted per channel by (N,K) weights and summed over K: (N,h,w).
at::Tensor weightedChannelSum(const at::Tensor& weights, const at::Tensor& features);

}  // namespace saliency::explain
