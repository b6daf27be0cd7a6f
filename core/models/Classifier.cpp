#include "models/Classifier.h"

#include <algorithm>

#include "common/Error.h"
#include "models/GuidedActivation.h"

namespace saliency::models {

ModelOutput ClassifierImpl::forward(const at::Tensor& input, const std::string& targetLayer) {
    const std::string layer = targetLayer.empty() ? defaultTargetLayer() : targetLayer;
    if (!hasTargetLayer(layer)) {
        std::string known;
        for (const auto& name : targetLayers())
            known += (known.empty() ? "" : ", ") + name;
        throw Error("model " + architecture() + " has no target layer \"" + layer +
                    "\" (choose one of: " + known + ")");
    }
    if (input.dim() != 4 || input.size(1) != 3)
        throw Error("model " + architecture() + " expects an input of shape (N,3,H,W), got " +
                    std::to_string(input.dim()) + " dimensions");
    ModelOutput out;
    out.layer = layer;
    out.logits = forwardImpl(input, layer, out.features);
    return out;
}

at::Tensor ClassifierImpl::logits(const at::Tensor& input) {
    return forward(input).logits;
}

bool ClassifierImpl::hasTargetLayer(const std::string& name) const {
    const auto layers = targetLayers();
    return std::find(layers.begin(), layers.end(), name) != layers.end();
}

at::Tensor ClassifierImpl::classifierWeight() const {
    return headLinear()->weight;
}
at::Tensor ClassifierImpl::classifierBias() const {
    return headLinear()->bias;
}
std::int64_t ClassifierImpl::numClasses() const {
    return headLinear()->options.out_features();
}
std::int64_t ClassifierImpl::featureChannels() const {
    return headLinear()->options.in_features();
}

bool ClassifierImpl::isHeadParameter(const std::string& name) const {
    const std::string prefix = headName() + ".";
    return name.rfind(prefix, 0) == 0;
}

std::vector<at::Tensor> ClassifierImpl::headParameters() const {
    std::vector<at::Tensor> out;
    for (const auto& p : named_parameters())
        if (isHeadParameter(p.key()))
            out.push_back(p.value());
    return out;
}

std::vector<at::Tensor> ClassifierImpl::backboneParameters() const {
    std::vector<at::Tensor> out;
    for (const auto& p : named_parameters())
        if (!isHeadParameter(p.key()))
            out.push_back(p.value());
    return out;
}

void ClassifierImpl::setBackboneTrainable(bool trainable) {
    for (auto& p : backboneParameters())
        p.set_requires_grad(trainable);
}

void ClassifierImpl::setGuided(bool on) {
    for (const auto& module : modules(/*include_self=*/false))
        if (auto* activation = dynamic_cast<GuidedActivationImpl*>(module.get()))
            activation->setGuided(on);
    guided_ = on;
}

std::int64_t ClassifierImpl::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : parameters())
        n += p.numel();
    return n;
}

at::Tensor ClassifierImpl::runCapturing(torch::nn::Sequential& sequence, at::Tensor x,
                                        const std::string& prefix, const std::string& targetLayer,
                                        at::Tensor& features) {
    // Cheap test first: only compare names when the target lies inside this sequence.
    const bool inside = targetLayer.size() > prefix.size() + 1 &&
                        targetLayer.compare(0, prefix.size(), prefix) == 0 &&
                        targetLayer[prefix.size()] == '.';
    std::size_t index = 0;
    for (auto& child : *sequence) {
        x = child.forward(x);
        if (inside && targetLayer.compare(prefix.size() + 1, std::string::npos, std::to_string(index)) == 0)
            features = x;
        ++index;
    }
    return x;
}

}  // namespace saliency::models
