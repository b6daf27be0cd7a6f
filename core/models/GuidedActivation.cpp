#include "models/GuidedActivation.h"

#include <ostream>

#include <torch/csrc/autograd/custom_function.h>

namespace saliency::models {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct GuidedReluFunction : torch::autograd::Function<GuidedReluFunction> {
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input) {
        ctx->save_for_backward({input});
        return at::relu(input);
    }
    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        const auto input = ctx->get_saved_variables()[0];
        const auto& g = gradOutputs[0];
        // grad_out * [input > 0] * [grad_out > 0]
        return {at::clamp_min(g, 0) * (input > 0).to(g.scalar_type())};
    }
};

struct GuidedSiluFunction : torch::autograd::Function<GuidedSiluFunction> {
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input) {
        ctx->save_for_backward({input});
        return at::silu(input);
    }
    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs) {
        const auto input = ctx->get_saved_variables()[0];
        const auto& g = gradOutputs[0];
        const auto s = at::sigmoid(input);
        const auto derivative = s * (1 + input * (1 - s));
        // max(grad_out * silu'(input), 0) * [input > 0]
        return {at::clamp_min(g * derivative, 0) * (input > 0).to(g.scalar_type())};
    }
};

}  // namespace

std::string activationName(ActivationKind kind) {
    return kind == ActivationKind::ReLU ? "ReLU" : "SiLU";
}

at::Tensor guidedRelu(const at::Tensor& input) {
    return GuidedReluFunction::apply(input);
}
at::Tensor guidedSilu(const at::Tensor& input) {
    return GuidedSiluFunction::apply(input);
}

at::Tensor GuidedActivationImpl::forward(const at::Tensor& input) {
    if (kind_ == ActivationKind::ReLU)
        return guided_ ? guidedRelu(input) : at::relu(input);
    return guided_ ? guidedSilu(input) : at::silu(input);
}

void GuidedActivationImpl::pretty_print(std::ostream& stream) const {
    stream << "saliency::models::GuidedActivation(" << activationName(kind_) << (guided_ ? ", guided" : "")
           << ")";
}

}  // namespace saliency::models
