#include "saliency/ScoreCam.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "saliency/Targets.h"

namespace saliency::explain {

namespace {

constexpr double kMaskEps = 1e-8;  // pytorch-grad-cam's eps in the per-channel min-max

// (R,1,h,w) activations -> (R,1,H,W) masks in [0,1].
at::Tensor channelMasks(const at::Tensor& activations, std::int64_t height, std::int64_t width) {
    const auto up = at::upsample_bilinear2d(activations, {height, width}, /*align_corners=*/true);
    const auto flat = up.reshape({up.size(0), -1});
    const auto lo = flat.amin(1).reshape({-1, 1, 1, 1});
    const auto hi = flat.amax(1).reshape({-1, 1, 1, 1});
    return (up - lo) / (hi - lo + kMaskEps);
}

}  // namespace

MethodMaps scoreCam(models::ClassifierImpl& model, const at::Tensor& x, const at::Tensor& features,
                    const at::Tensor& target, const ScoreCamOptions& options, CamScaling scaling,
                    PassCount& passes) {
    if (options.batchSize < 1)
        throw Error("Score-CAM: the batch size must be at least 1");
    torch::NoGradGuard noGrad;
    const auto n = features.size(0), k = features.size(1);
    const auto height = x.size(2), width = x.size(3);
    const auto rows = n * k;  // one masked input per (image, channel), image-major
    const auto activations = features.reshape({rows, 1, features.size(2), features.size(3)});
    const auto targetOnDevice = target.to(x.device());
    auto scores = at::empty({rows}, features.options());
    for (std::int64_t start = 0; start < rows; start += options.batchSize) {
        const auto count = std::min(options.batchSize, rows - start);
        const auto image = at::arange(start, start + count, target.options().device(x.device()))
                               .div(k, /*rounding_mode=*/"floor");
        const auto masked =
            x.index_select(0, image) * channelMasks(activations.narrow(0, start, count), height, width);
        scores.narrow(0, start, count)
            .copy_(targetScores(model.logits(masked), targetOnDevice.index_select(0, image)));
        ++passes.forwards;
    }
    const auto weights = at::softmax(scores.reshape({n, k}), 1);
    return camMethodMaps(Method::ScoreCam, weightedChannelSum(weights, features), height, width, scaling);
}

}  // namespace saliency::explain
