#include "saliency/SmoothGrad.h"

#include <algorithm>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "common/Error.h"
#include "saliency/InputGradient.h"

namespace saliency::explain {

const char* smoothGradBaseName(SmoothGradBase base) {
    switch (base) {
        case SmoothGradBase::Gradient:
            return "gradient";
        case SmoothGradBase::GuidedBackprop:
            return "guided-backprop";
        case SmoothGradBase::IntegratedGradients:
            return "integrated-gradients";
    }
    return "unknown";
}

at::Tensor smoothGradSigma(const at::Tensor& x, double noiseLevel) {
    const auto flat = x.detach().reshape({x.size(0), -1});
    return (noiseLevel * (flat.amax(1) - flat.amin(1))).reshape({-1, 1, 1, 1});
}

MethodMaps smoothGrad(models::ClassifierImpl& model, ModelModeGuard& mode, const at::Tensor& x,
                      const at::Tensor& target, const SmoothGradOptions& options, GuidedRule rule,
                      const IntegratedGradientsOptions& integrated, PassCount& passes) {
    if (options.samples < 1)
        throw Error("SmoothGrad: the number of samples must be at least 1");
    if (options.batchSize < 1)
        throw Error("SmoothGrad: the batch size must be at least 1");
    if (!(options.noiseLevel >= 0.0))
        throw Error("SmoothGrad: the noise level must be zero or positive");
    const auto n = x.size(0);
    const auto sigma = smoothGradSigma(x, options.noiseLevel);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    const auto noiseOptions = at::TensorOptions().dtype(x.scalar_type());
    auto nextNoisy = [&]() {  // the next sample's noisy copy of x, in sample order
        return x + at::randn({1, x.size(1), x.size(2), x.size(3)}, generator, noiseOptions).to(x.device()) *
                       sigma;
    };

    const bool guided = options.base == SmoothGradBase::GuidedBackprop;
    mode.setGuided(guided, rule);
    auto sum = at::zeros_like(x);
    if (options.base == SmoothGradBase::IntegratedGradients) {
        for (int s = 0; s < options.samples; ++s)
            sum.add_(integratedGradients(model, nextNoisy(), target, integrated, passes).attributions);
    } else {
        const auto perPass = static_cast<int>(repeatsPerPass(options.batchSize, n));
        for (int first = 0; first < options.samples; first += perPass) {
            const int count = std::min(perPass, options.samples - first);
            std::vector<at::Tensor> rows;
            for (int s = 0; s < count; ++s)
                rows.push_back(nextNoisy());
            const auto result =
                inputGradient(model, at::cat(rows), target.to(x.device()).repeat({count}), passes);
            sum.add_(result.gradients.reshape({count, n, x.size(1), x.size(2), x.size(3)}).sum(0));
        }
    }
    mode.setGuided(false, rule);

    MethodMaps out{.method = Method::SmoothGrad};
    out.maps = (sum / options.samples).detach().cpu();
    out.empty = zeroPerImage(out.maps);
    return out;
}

}  // namespace saliency::explain
