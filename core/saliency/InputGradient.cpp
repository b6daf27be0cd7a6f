#include "saliency/InputGradient.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "saliency/Targets.h"

namespace saliency::explain {

RowGradients inputGradient(models::ClassifierImpl& model, const at::Tensor& rows, const at::Tensor& targets,
                           PassCount& passes) {
    c10::InferenceMode notInference(false);
    torch::AutoGradMode gradMode(true);
    // A fresh leaf: the rows may be a view of the caller's tensor, which must stay untouched.
    const auto x = rows.detach().clone().requires_grad_(true);
    const auto scores = targetScores(model.logits(x), targets);
    ++passes.forwards;
    ++passes.guidedForwards;
    auto gradient = torch::autograd::grad({scores.sum()}, {x})[0];
    ++passes.backwards;
    return {std::move(gradient), scores.detach()};
}

std::int64_t repeatsPerPass(std::int64_t batchSize, std::int64_t images) {
    return std::max<std::int64_t>(1, batchSize / std::max<std::int64_t>(1, images));
}

}  // namespace saliency::explain
