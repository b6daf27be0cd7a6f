#pragma once
// SmoothGrad (Smilkov et al. 2017): the mean of a gradient method over n noisy copies of x,
//   M = 1/n sum_s E(x + e_s),  e_s ~ N(0, sigma^2) per value,  sigma = noiseLevel * (max x - min x)
// with the range taken per image over the preprocessed input. E is the plain gradient dy_c/dx,
// Guided Backprop (with the call's GuidedRule) or Integrated Gradients (with the call's options,
// baseline unchanged). Reproducible: the noise comes from a generator of its own seeded with
// `seed` (the global random state is neither used nor changed), drawn on the CPU in the input's
// dtype, one at::randn({1,3,H,W}) per sample s = 0..n-1 in order: e_s = that draw * sigma_n.
// Every image of a batch gets the same draws (scaled by its own sigma), so an image's map does
// not depend on the batch it is explained in. Internal (LibTorch).
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "models/Classifier.h"
#include "saliency/GuidedRule.h"
#include "saliency/IntegratedGradients.h"
#include "saliency/MethodMaps.h"
#include "saliency/ModelModeGuard.h"

namespace saliency::explain {

enum class SmoothGradBase { Gradient, GuidedBackprop, IntegratedGradients };
const char* smoothGradBaseName(SmoothGradBase base);  // "gradient", "guided-backprop", "integrated-gradients"

struct SmoothGradOptions {
    SmoothGradBase base = SmoothGradBase::Gradient;
    int samples = 25;          // n (Smilkov et al. found 50 enough; 25 is close at half the cost)
    double noiseLevel = 0.15;  // sigma / (max x - min x); Smilkov et al. recommend 10-20%
    std::uint64_t seed = 0;
    std::int64_t batchSize = 16;  // noisy rows per pass (gradient bases); the result does not depend on it
};

// sigma per image, (N,1,1,1): noiseLevel * (max x_n - min x_n).
at::Tensor smoothGradSigma(const at::Tensor& x, double noiseLevel);

// x (N,3,H,W) as the model takes it; target (N). `mode` switches the guided rule for the guided base.
MethodMaps smoothGrad(models::ClassifierImpl& model, ModelModeGuard& mode, const at::Tensor& x,
                      const at::Tensor& target, const SmoothGradOptions& options, GuidedRule rule,
                      const IntegratedGradientsOptions& integrated, PassCount& passes);

}  // namespace saliency::explain
