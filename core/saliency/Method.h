#pragma once
// The saliency methods by name (DESIGN.md section 4). No LibTorch here: the GUI uses these names.
#include <optional>
#include <string>
#include <vector>

namespace saliency::explain {

enum class Method {
    // The four of the seed thesis ("all").
    Cam,             // Zhou et al. 2016: sum_k W[c,k] A_k
    GradCam,         // Selvaraju et al. 2017: ReLU(sum_k mean_hw(dy_c/dA_k) A_k)
    GuidedBackprop,  // Springenberg et al. 2014: dy_c/dx through the guided rule
    GuidedGradCam,   // guided gradient x upsampled, normalised Grad-CAM
    // Beyond the seed ("extras"); docs/saliency.md gives each one's conventions.
    GradCamPlusPlus,      // Chattopadhay et al. 2018: sum_hw(alpha * ReLU(g)) weights
    ScoreCam,             // Wang et al. 2020: softmax of the masked inputs' scores as weights
    LayerCam,             // Jiang et al. 2021: sum_k ReLU(dy_c/dA_k) * A_k
    SmoothGrad,           // Smilkov et al. 2017: mean of a gradient method over noisy copies of x
    IntegratedGradients,  // Sundararajan et al. 2017: (x - x') * mean of dy_c/dx along x' -> x
};

// The CLI's names: "cam", "gradcam", "guided-backprop", "guided-gradcam", "gradcam++",
// "scorecam", "layercam", "smoothgrad", "integrated-gradients".
std::string methodName(Method method);
// For people: "CAM", "Grad-CAM", "Guided Backprop", "Guided Grad-CAM", "Grad-CAM++", "Score-CAM",
// "LayerCAM", "SmoothGrad", "Integrated Gradients".
std::string methodTitle(Method method);
// Accepts the CLI names, any case, '_' or '-' or nothing between words ("grad-cam", "GradCAM",
// "guided_backprop", "gbp", "guided-gradcam", "gradcampp", "ig"); empty when unknown.
std::optional<Method> parseMethod(const std::string& name);
// A comma-separated list; "all" stands for the seed's four, "extras" for the five others.
// Throws saliency::Error naming the unknown entry. Duplicates are dropped; the order is the
// order given.
std::vector<Method> parseMethods(const std::string& list);
std::vector<Method> allMethods();    // the seed's four, in the order above
std::vector<Method> extraMethods();  // Grad-CAM++ .. Integrated Gradients, in the order above

// (H,W) map in [0,1] (the CAM family) or (3,H,W) signed attribution (Guided Backprop, Guided
// Grad-CAM, SmoothGrad, Integrated Gradients).
bool isChannelMap(Method method);
// The map is a derivative (or integral of one) with respect to the input, not a target-layer
// map: Guided Backprop, SmoothGrad, Integrated Gradients. Their SaliencyMap::layer reads "input".
bool isInputAttribution(Method method);

}  // namespace saliency::explain
