#pragma once
// The common interface of every zoo model, so that training, saliency and import treat the
// models uniformly. LibTorch modules have no forward hooks (DESIGN.md section 2), so a model's
// forward returns the logits together with the output of one named target layer: the tensor A
// that CAM and Grad-CAM use, still in the autograd graph (gradients come from
// torch::autograd::grad(logits, A)).
//
// Every model ends in the transfer-learning head  global average pooling -> dropout -> linear,
// so CAM is exact for the default target layer: logits = W * mean_hw(A) + b.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace saliency::models {

struct ModelOutput {
    at::Tensor logits;    // (N, numClasses), raw (pre-softmax)
    at::Tensor features;  // (N, K, h, w): output of `layer`, part of the graph of `logits`
    std::string layer;    // the target layer's name, e.g. "layer4"
};

class ClassifierImpl : public torch::nn::Module {
  public:
    ~ClassifierImpl() override = default;

    // Logits and the feature map of `targetLayer` (empty: defaultTargetLayer()). An unknown
    // name throws saliency::Error listing the valid ones.
    ModelOutput forward(const at::Tensor& input, const std::string& targetLayer = {});
    // Logits only (the default layer's map is not returned).
    at::Tensor logits(const at::Tensor& input);

    // "cnn4", "vgg16", "resnet50", "efficientnet-b0" .. "efficientnet-b7".
    virtual std::string architecture() const = 0;
    // Selectable target layers, in forward order, named as the modules are (e.g. "layer4").
    virtual std::vector<std::string> targetLayers() const = 0;
    // The last convolutional block (DESIGN.md section 4).
    virtual std::string defaultTargetLayer() const = 0;
    bool hasTargetLayer(const std::string& name) const;

    // The head's linear layer and its registered name ("fc" or "classifier.1").
    virtual torch::nn::Linear headLinear() const = 0;
    virtual std::string headName() const = 0;
    // W (numClasses, K) and b (numClasses) of the head, for CAM.
    at::Tensor classifierWeight() const;
    at::Tensor classifierBias() const;
    std::int64_t numClasses() const;
    std::int64_t featureChannels() const;  // K: channels of the default target layer

    // Parameter split for freezing: the head is the linear layer, the backbone all the rest.
    std::vector<at::Tensor> headParameters() const;
    std::vector<at::Tensor> backboneParameters() const;
    bool isHeadParameter(const std::string& name) const;
    void setBackboneTrainable(bool trainable);

    // Switches every GuidedActivation of the model (DESIGN.md section 4).
    void setGuided(bool on);
    bool guided() const noexcept { return guided_; }

    // Name prefixes taken from a torchvision weights file; keys outside them (and outside the
    // head) are ignored, not reported as unexpected. Empty: everything (vgg16: "features.").
    virtual std::vector<std::string> importPrefixes() const { return {}; }

    std::int64_t parameterCount() const;

  protected:
    // `targetLayer` is a valid name here; write its output into `features`.
    virtual at::Tensor forwardImpl(const at::Tensor& input, const std::string& targetLayer,
                                   at::Tensor& map) = 0;

    // Runs `sequence` child by child; when "<prefix>.<index>" equals `targetLayer` that child's
    // output goes into `features`.
    static at::Tensor runCapturing(torch::nn::Sequential& sequence, at::Tensor x, const std::string& prefix,
                                   const std::string& targetLayer, at::Tensor& features);

  private:
    bool guided_ = false;
};
TORCH_MODULE(Classifier);

}  // namespace saliency::models
