#pragma once
// Which activations use the guided rule in the guided pass (DESIGN.md section 4). No LibTorch.
#include <string>

namespace saliency::explain {

enum class GuidedRule {
    // DESIGN.md: every GuidedActivation guided. ReLU: grad_out * [x > 0] * [grad_out > 0];
    // SiLU: max(grad_out * silu'(x), 0) * [x > 0].
    ReluAndSilu,
    // What pytorch-grad-cam and Captum do: only ReLU is guided, SiLU keeps its plain gradient.
    // EfficientNet has no ReLU, so there this is the plain gradient dy_c/dx.
    ReluOnly,
    // No guided rule: "Guided Backprop" is then the plain gradient dy_c/dx (the vanilla saliency
    // of Simonyan et al. 2014), the baseline the guided rules are compared with.
    None,
};
std::string guidedRuleName(GuidedRule rule);  // "relu+silu", "relu-only", "none"

}  // namespace saliency::explain
