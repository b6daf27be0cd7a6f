#pragma once
// The entry point of the saliency engine (DESIGN.md section 4): any set of the methods for a
// batch, sharing passes.
//
//   saliency::explain::Explainer explainer(*model);
//   auto images = explainer.explain(inputTensor(rgbImages, card));     // all four, predicted class
//   const cv::Mat& gradCam = images[0].find(Method::GradCam)->map;     // (H,W) CV_32F in [0,1]
//
// Passes. When the target layer is the one that feeds the head (global average pooling ->
// dropout -> linear: the model's default target layer), nothing but linear operations lies
// between A and the logits, so the guided rule (which changes only the backward of the
// activations *before* A) does not change dy_c/dA. Then all four maps come from ONE forward pass
// in guided mode and ONE backward pass that returns dy_c/dA (CAM needs none, Grad-CAM uses it)
// and dy_c/dx (Guided Backprop) together. For any other layer, CAM is unavailable and Grad-CAM
// needs the plain gradient: one plain forward + backward for Grad-CAM, one guided forward +
// backward for Guided Backprop (two of each). CAM alone runs one forward without gradients.
//
// The extras: Grad-CAM++ and LayerCAM use A and dy_c/dA, so they ride on Grad-CAM's pass (no pass
// of their own). Score-CAM takes A from that pass too and then runs K masked forwards per image
// (no gradients). SmoothGrad runs n noisy forward + backward passes (batched), Integrated
// Gradients m or m + 1 (batched). Asking only for SmoothGrad / Integrated Gradients adds one
// forward without gradients for the logits and target classes.
//
// Threading: grad mode is per thread, so it is switched on here (the GUI calls this from a
// worker). The model is put in eval mode and, for the guided pass, in guided mode; both are
// restored on every exit, exceptions included. One explainer (or model) must not be used by two
// threads at once.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <opencv2/core/mat.hpp>

#include "models/Checkpoint.h"
#include "models/Classifier.h"
#include "saliency/GuidedRule.h"
#include "saliency/IntegratedGradients.h"
#include "saliency/Method.h"
#include "saliency/MethodMaps.h"
#include "saliency/Normalise.h"
#include "saliency/SaliencyMap.h"
#include "saliency/ScoreCam.h"
#include "saliency/SmoothGrad.h"

namespace saliency::explain {

struct ExplainOptions {
    std::vector<Method> methods = allMethods();
    // Empty: each image's predicted class (argmax of its logits). One entry: that class for every
    // image. N entries: one per image. Out of range throws saliency::Error.
    std::vector<std::int64_t> targetClasses;
    std::string layer;  // empty: the model's defaultTargetLayer()
    GuidedRule guidedRule = GuidedRule::ReluAndSilu;
    CamScaling scaling = CamScaling::ResizeThenNormalise;  // every CAM-family map
    ScoreCamOptions scoreCam;
    SmoothGradOptions smoothGrad;                    // its guided base uses guidedRule
    IntegratedGradientsOptions integratedGradients;  // also SmoothGrad's base when it is IG
};

struct BatchExplanation {
    std::string layer;
    at::Tensor logits;                // (N,C), detached, on the CPU
    at::Tensor probabilities;         // (N,C) softmax
    at::Tensor predicted;             // (N) int64 argmax
    at::Tensor target;                // (N) int64: the classes explained
    std::vector<MethodMaps> methods;  // in the order asked for
    PassCount passes;                 // run for this batch

    const MethodMaps* find(Method method) const;  // nullptr when not asked for
    // The maps of `method`; throws saliency::Error when it was not asked for or is unavailable.
    const at::Tensor& maps(Method method) const;
    // Per image, as cv::Mat (copies; see SaliencyMap for the layouts).
    std::vector<ImageExplanation> images() const;
};

class Explainer {
  public:
    explicit Explainer(models::ClassifierImpl& model);

    // input: (N,3,H,W) preprocessed as the model expects (moved to the model's device and dtype).
    BatchExplanation explainTensors(const at::Tensor& input, const ExplainOptions& options = {});
    std::vector<ImageExplanation> explain(const at::Tensor& input, const ExplainOptions& options = {});
    // RGB CV_8UC3 images, preprocessed as the card says; the card's target layer is used when
    // options.layer is empty.
    std::vector<ImageExplanation> explain(const std::vector<cv::Mat>& rgbImages,
                                          const models::ModelCard& card, const ExplainOptions& options = {});

    // Empty when CAM is defined for `layer` (empty: the default); otherwise the reason, for a user.
    std::optional<std::string> camUnavailableReason(const std::string& layer = {}) const;

    const PassCount& passes() const noexcept { return passes_; }  // since construction

  private:
    models::ClassifierImpl& model_;
    PassCount passes_;
};

}  // namespace saliency::explain
