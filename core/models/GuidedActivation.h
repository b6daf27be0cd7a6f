#pragma once
// The activation module every zoo model uses where torchvision uses ReLU or SiLU. In normal mode
// it is plain relu/silu (same values, same gradients). In guided mode its backward is the guided
// rule of Guided Backpropagation (DESIGN.md section 4), through a custom autograd function,
// because LibTorch modules have no backward hooks:
//   ReLU: grad_in = grad_out * [input > 0] * [grad_out > 0]          (Springenberg et al. 2014)
//   SiLU: grad_in = max(grad_out * silu'(input), 0) * [input > 0]    (our rule for EfficientNet)
// where silu'(x) = s(x) * (1 + x * (1 - s(x))), s the logistic sigmoid. The forward values are
// the same in both modes; only the backward differs.
#include <string>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace saliency::models {

enum class ActivationKind { ReLU, SiLU };

std::string activationName(ActivationKind kind);

// The guided rules as functions (also usable without a module).
at::Tensor guidedRelu(const at::Tensor& input);
at::Tensor guidedSilu(const at::Tensor& input);

class GuidedActivationImpl : public torch::nn::Module {
  public:
    explicit GuidedActivationImpl(ActivationKind kind = ActivationKind::ReLU) : kind_(kind) {}

    at::Tensor forward(const at::Tensor& input);

    ActivationKind kind() const noexcept { return kind_; }
    bool guided() const noexcept { return guided_; }
    void setGuided(bool on) noexcept { guided_ = on; }

    void pretty_print(std::ostream& stream) const override;

  private:
    ActivationKind kind_;
    bool guided_ = false;
};
TORCH_MODULE(GuidedActivation);

}  // namespace saliency::models
