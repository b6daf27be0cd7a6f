#pragma once
// torchvision.ops.StochasticDepth in "row" mode: in training, each sample (row of the batch) of a
// residual branch is zeroed with probability p and the survivors are scaled by 1/(1-p); in
// evaluation it is the identity. No parameters.
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace saliency::models {

class StochasticDepthImpl : public torch::nn::Module {
  public:
    explicit StochasticDepthImpl(double p = 0.0);
    at::Tensor forward(const at::Tensor& input);
    double p() const noexcept { return p_; }
    void pretty_print(std::ostream& stream) const override;

  private:
    double p_;
};
TORCH_MODULE(StochasticDepth);

}  // namespace saliency::models
