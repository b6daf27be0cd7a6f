#pragma once
// The saliency methods by name (DESIGN.md section 4). No LibTorch here: the GUI uses these names.
#include <optional>
#include <string>
#include <vector>

namespace saliency::explain {

enum class Method {
    Cam,             // Zhou et al. 2016: sum_k W[c,k] A_k
    GradCam,         // Selvaraju et al. 2017: ReLU(sum_k mean_hw(dy_c/dA_k) A_k)
    GuidedBackprop,  // Springenberg et al. 2014: dy_c/dx through the guided rule
    GuidedGradCam,   // guided gradient x upsampled, normalised Grad-CAM
};

// The CLI's names: "cam", "gradcam", "guided-backprop", "guided-gradcam".
std::string methodName(Method method);
// For people: "CAM", "Grad-CAM", "Guided Backprop", "Guided Grad-CAM".
std::string methodTitle(Method method);
// Accepts the CLI names, any case, '_' or '-' or nothing between words ("grad-cam", "GradCAM",
// "guided_backprop", "gbp", "guided-gradcam"); empty when unknown.
std::optional<Method> parseMethod(const std::string& name);
// A comma-separated list or "all"; throws saliency::Error naming the unknown entry. Duplicates
// are dropped; the order is the order given.
std::vector<Method> parseMethods(const std::string& list);
std::vector<Method> allMethods();  // in the order above

// (H,W) map in [0,1] (CAM, Grad-CAM) or (3,H,W) signed gradient (the two guided ones).
bool isChannelMap(Method method);

}  // namespace saliency::explain
