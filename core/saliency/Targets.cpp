#include "saliency/Targets.h"

#include <string>

#include <ATen/ATen.h>

#include "common/Error.h"

namespace saliency::explain {

at::Tensor resolveTargets(const at::Tensor& logits, const std::vector<std::int64_t>& given) {
    const auto n = logits.size(0);
    const auto classes = logits.size(1);
    if (given.empty())
        return logits.detach().argmax(1).to(at::kCPU, at::kLong);
    if (given.size() != 1 && static_cast<std::int64_t>(given.size()) != n)
        throw Error("explain: " + std::to_string(given.size()) + " target classes for a batch of " +
                    std::to_string(n) + " images (give none, one, or one per image)");
    for (const auto c : given)
        if (c < 0 || c >= classes)
            throw Error("explain: target class " + std::to_string(c) + " is out of range (the model has " +
                        std::to_string(classes) + " classes)");
    auto target = at::empty({n}, at::kLong);
    auto* t = target.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i)
        t[i] = given.size() == 1 ? given[0] : given[static_cast<std::size_t>(i)];
    return target;
}

at::Tensor targetScores(const at::Tensor& logits, const at::Tensor& target) {
    return logits.gather(1, target.to(logits.device()).unsqueeze(1)).squeeze(1);
}

at::Tensor targetScore(const at::Tensor& logits, const at::Tensor& target) {
    return targetScores(logits, target).sum();
}

}  // namespace saliency::explain
