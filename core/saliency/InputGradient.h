#pragma once
// The gradient of each row's target logit with respect to the input: the primitive of Guided
// Backprop's pass in SmoothGrad and of Integrated Gradients' steps. Internal (LibTorch).
#include <ATen/core/Tensor.h>

#include "models/Classifier.h"
#include "saliency/MethodMaps.h"

namespace saliency::explain {

struct RowGradients {
    at::Tensor gradients;  // (R,3,H,W): dy_{c_r}/dx_r
    at::Tensor scores;     // (R): y_{c_r}(x_r), detached
};

// One forward and one backward over all rows of `rows` (R,3,H,W), row r explained for class
// targets[r]. The model's modes (eval; guided or not) are the caller's; grad mode is switched on
// here. Counts one forward (as an input-gradient forward) and one backward in `passes`.
RowGradients inputGradient(models::ClassifierImpl& model, const at::Tensor& rows, const at::Tensor& targets,
                           PassCount& passes);

// Rows per pass when `images` images are repeated for several samples or steps: batchSize / images,
// at least 1 (a batch larger than batchSize still runs in one pass per sample).
std::int64_t repeatsPerPass(std::int64_t batchSize, std::int64_t images);

}  // namespace saliency::explain
