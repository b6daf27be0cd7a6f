#include "saliency/IntegratedGradients.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "saliency/InputGradient.h"
#include "saliency/Targets.h"

namespace saliency::explain {

namespace {

struct Step {
    double alpha;
    double weight;
};

std::vector<Step> steps(const IntegratedGradientsOptions& options) {
    const int m = options.steps;
    std::vector<Step> out;
    const int first = options.rule == IntegrationRule::Trapezoid ? 0 : 1;
    for (int i = first; i <= m; ++i) {
        const bool end = options.rule == IntegrationRule::Trapezoid && (i == 0 || i == m);
        out.push_back({static_cast<double>(i) / m, (end ? 0.5 : 1.0) / m});
    }
    return out;
}

at::Tensor baselineFor(const at::Tensor& x, const at::Tensor& given) {
    if (!given.defined())
        return at::zeros_like(x);
    try {
        return given.to(x.device(), x.scalar_type()).expand_as(x).contiguous();
    } catch (const std::exception&) {
        throw Error("Integrated Gradients: the baseline does not broadcast to the input's shape (N,3,H,W)");
    }
}

std::vector<double> toVector(const at::Tensor& t) {
    const auto c = t.to(at::kCPU, at::kDouble).contiguous();
    return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

const char* integrationRuleName(IntegrationRule rule) {
    return rule == IntegrationRule::Trapezoid ? "trapezoid" : "right-sum";
}

IntegratedGradientsResult integratedGradients(models::ClassifierImpl& model, const at::Tensor& x,
                                              const at::Tensor& target,
                                              const IntegratedGradientsOptions& options, PassCount& passes) {
    if (options.steps < 1)
        throw Error("Integrated Gradients: the number of steps must be at least 1");
    if (options.batchSize < 1)
        throw Error("Integrated Gradients: the batch size must be at least 1");
    const auto n = x.size(0);
    const auto baseline = baselineFor(x, options.baseline);
    const auto path = x - baseline;
    const auto targetOnDevice = target.to(x.device());
    const auto all = steps(options);
    const auto perPass = repeatsPerPass(options.batchSize, n);

    auto integral = at::zeros_like(x);
    at::Tensor atInput, atBaseline;  // y_c(x), y_c(x') when a step lands there
    for (std::size_t first = 0; first < all.size(); first += static_cast<std::size_t>(perPass)) {
        const auto last = std::min(all.size(), first + static_cast<std::size_t>(perPass));
        std::vector<at::Tensor> points;
        for (auto i = first; i < last; ++i)
            points.push_back(baseline + all[i].alpha * path);
        const auto count = static_cast<std::int64_t>(last - first);
        const auto result = inputGradient(model, at::cat(points), targetOnDevice.repeat({count}), passes);
        const auto gradients = result.gradients.reshape({count, n, x.size(1), x.size(2), x.size(3)});
        const auto scores = result.scores.reshape({count, n});
        for (auto i = first; i < last; ++i) {
            const auto j = static_cast<std::int64_t>(i - first);
            integral.add_(gradients[j], all[i].weight);
            if (all[i].alpha == 1.0)
                atInput = scores[j];
            if (all[i].alpha == 0.0)
                atBaseline = scores[j];
        }
    }
    torch::NoGradGuard noGrad;
    if (!atBaseline.defined()) {  // the right sum never evaluates the baseline itself
        atBaseline = targetScores(model.logits(baseline), targetOnDevice);
        ++passes.forwards;
    }
    IntegratedGradientsResult out;
    out.attributions = path * integral;
    const auto sums = out.attributions.reshape({n, -1}).to(at::kDouble).sum(1);
    out.convergenceDelta = toVector(sums - (atInput - atBaseline).to(at::kDouble));
    return out;
}

}  // namespace saliency::explain
