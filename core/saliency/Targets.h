#pragma once
// The classes a batch is explained for, and the score whose gradient gives every image's map.
// Internal to core/saliency (LibTorch).
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace saliency::explain {

// (N) int64 on the CPU: `given` empty: argmax of each row of `logits`; one entry: that class for
// every image; N entries: one per image. Throws saliency::Error for a wrong count or a class out
// of range.
at::Tensor resolveTargets(const at::Tensor& logits, const std::vector<std::int64_t>& given);

// (R) y_{r, c_r}: each row's logit of its own target class, still in the graph.
at::Tensor targetScores(const at::Tensor& logits, const at::Tensor& target);

// sum_r y_{r, c_r}: its gradient gives every row's dy_c/d(.) at once, since the rows do not
// interact in eval mode.
at::Tensor targetScore(const at::Tensor& logits, const at::Tensor& target);

}  // namespace saliency::explain
