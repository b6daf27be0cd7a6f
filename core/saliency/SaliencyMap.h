#pragma once
// The result of explaining one image: small value types (cv::Mat, no LibTorch) that the GUI,
// the CLI and the metrics take (DESIGN.md section 2).
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "saliency/Method.h"

namespace saliency::explain {

struct SaliencyMap {
    Method method = Method::GradCam;
    std::string layer;    // the target layer (CAM family, Guided Grad-CAM); "input" for isInputAttribution()
    int classIndex = -1;  // the target class c
    float logit = 0.f;    // y_c, raw (pre-softmax)
    float probability = 0.f;  // softmax(y)_c
    // CAM family (CAM, Grad-CAM, Grad-CAM++, Score-CAM, LayerCAM): CV_32FC1 (H,W) in [0,1] after
    // ReLU, upsampling and min-max.
    // isChannelMap() (Guided Backprop, Guided Grad-CAM, SmoothGrad, Integrated Gradients):
    // CV_32FC3 (H,W), the raw signed gradient or attribution; channel k is
    // the derivative with respect to input channel k (R, G, B as the model saw them), so a
    // (3,H,W) array is its channels split. Display with standardisedGradient / absMaxGradient.
    cv::Mat map;
    // CAM family: CV_32FC1 (h,w) at the target layer's resolution, before the ReLU
    // (sum_k w_k A_k). Empty for the channel maps.
    cv::Mat raw;
    bool empty = false;  // no spatial information: range <= 1e-7 (CAM family), all zero (channel maps)
    bool available =
        true;  // false: the method is not defined here (e.g. CAM on a layer that does not feed the head)
    std::string message;  // why unavailable or empty; empty otherwise
    // Integrated Gradients: sum of the attributions - (y_c(x) - y_c(baseline)); 0 for an exact
    // integral (completeness). Empty for the other methods.
    std::optional<double> convergenceDelta;
};

struct ImageExplanation {
    std::vector<float> logits;         // (numClasses)
    std::vector<float> probabilities;  // softmax of the logits
    int predictedClass = -1;           // argmax of the logits
    int targetClass = -1;              // the class the maps explain
    std::string layer;                 // the target layer
    std::vector<SaliencyMap> maps;     // in the order the methods were asked for

    const SaliencyMap* find(Method method) const;  // nullptr when not computed
};

}  // namespace saliency::explain
