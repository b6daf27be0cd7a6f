#pragma once
// A Sequential that can sit inside another Sequential. LibTorch's AnyModule cannot hold a plain
// nn::Sequential (its forward is a template), so nested ones (a Conv2dNormActivation inside
// features, an EfficientNet stage, a cnn4 block) use this, as torchvision's own C++ models do.
// Its children are named "0", "1", ... like any Sequential's.
#include <ATen/core/Tensor.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace saliency::models {

class NestedSequentialImpl : public torch::nn::SequentialImpl {
  public:
    using SequentialImpl::SequentialImpl;
    at::Tensor forward(const at::Tensor& x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(NestedSequential);

}  // namespace saliency::models
