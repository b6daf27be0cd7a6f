#include "saliency/Explainer.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "models/Inference.h"
#include "saliency/GradCamPlusPlus.h"
#include "saliency/LayerCam.h"
#include "saliency/ModelModeGuard.h"
#include "saliency/Targets.h"

namespace saliency::explain {

namespace {

using models::ClassifierImpl;

bool wants(const std::vector<Method>& methods, Method m) {
    return std::find(methods.begin(), methods.end(), m) != methods.end();
}

// What the asked methods need from the passes at the target layer.
struct Needs {
    bool guided = false;         // the guided input gradient (Guided Backprop, Guided Grad-CAM)
    bool layerGradient = false;  // A and dy_c/dA (Grad-CAM, Guided Grad-CAM, Grad-CAM++, LayerCAM)
    bool features = false;       // A (the above, CAM, Score-CAM)

    explicit Needs(const std::vector<Method>& m)
        : guided(wants(m, Method::GuidedBackprop) || wants(m, Method::GuidedGradCam)),
          layerGradient(wants(m, Method::GradCam) || wants(m, Method::GuidedGradCam) ||
                        wants(m, Method::GradCamPlusPlus) || wants(m, Method::LayerCam)),
          features(layerGradient || wants(m, Method::Cam) || wants(m, Method::ScoreCam)) {}
};

// What the passes at the target layer produced.
struct LayerPass {
    at::Tensor logits;     // (N,C)
    at::Tensor target;     // (N) int64 on the CPU
    at::Tensor features;   // A, detached; undefined unless needed
    at::Tensor dFeatures;  // dy_c/dA; undefined unless needed
    at::Tensor dInput;     // guided dy_c/dx; undefined unless needed
};

// One guided forward + backward for the guided maps; when the layer feeds the head, A and dy_c/dA
// come from the same pass (see Explainer.h), otherwise from a plain pass of their own.
LayerPass runLayerPasses(ClassifierImpl& model, ModelModeGuard& mode, const at::Tensor& x,
                         const std::string& layer, const Needs& needs, bool feedsHead,
                         const ExplainOptions& options, PassCount& passes) {
    LayerPass out;
    const bool shared = needs.guided && needs.features && feedsHead;
    if (needs.guided) {
        mode.setGuided(true, options.guidedRule);
        const auto xg = x.clone().requires_grad_(true);
        auto result = model.forward(xg, layer);
        ++passes.forwards;
        ++passes.guidedForwards;
        out.logits = result.logits;
        out.target = resolveTargets(out.logits, options.targetClasses);
        std::vector<at::Tensor> wrt{xg};
        if (shared && needs.layerGradient)
            wrt.push_back(result.features);
        const auto grads = torch::autograd::grad({targetScore(out.logits, out.target)}, wrt);
        ++passes.backwards;
        out.dInput = grads[0];
        if (shared) {
            out.features = result.features.detach();
            if (needs.layerGradient)
                out.dFeatures = grads[1];
        }
        mode.setGuided(false, options.guidedRule);
    }
    if (needs.features && !shared) {
        if (needs.layerGradient) {
            // The input asks for gradients so that A is in the graph even with a frozen backbone;
            // the backward stops at A.
            auto result = model.forward(x.clone().requires_grad_(true), layer);
            ++passes.forwards;
            if (!out.target.defined())
                out.target = resolveTargets(result.logits, options.targetClasses);
            if (!out.logits.defined())
                out.logits = result.logits;
            out.dFeatures =
                torch::autograd::grad({targetScore(result.logits, out.target)}, {result.features})[0];
            ++passes.backwards;
            out.features = result.features.detach();
        } else {
            torch::NoGradGuard noGrad;
            auto result = model.forward(x, layer);
            ++passes.forwards;
            if (!out.logits.defined()) {
                out.logits = result.logits;
                out.target = resolveTargets(out.logits, options.targetClasses);
            }
            out.features = result.features.detach();
        }
    }
    if (!out.logits.defined()) {  // only input attributions asked: their target classes
        torch::NoGradGuard noGrad;
        out.logits = model.logits(x);
        ++passes.forwards;
        out.target = resolveTargets(out.logits, options.targetClasses);
    }
    return out;
}

// CAM after checking that it is defined: the layer feeds a GAP -> (dropout) -> linear head.
MethodMaps camMaps(ClassifierImpl& model, const LayerPass& pass, const std::string& layer, std::string reason,
                   std::int64_t height, std::int64_t width, CamScaling scaling) {
    const auto weight = model.classifierWeight().detach();
    if (reason.empty() && pass.features.size(1) != weight.size(1))
        reason = "CAM needs as many channels in layer " + layer + " (" +
                 std::to_string(pass.features.size(1)) + ") as the head's linear layer has inputs (" +
                 std::to_string(weight.size(1)) + ")";
    if (reason.empty()) {
        // The head must be GAP -> (dropout) -> linear on A: check logits = W mean_hw(A) + b.
        const auto again = at::linear(pass.features.mean({2, 3}), weight, model.classifierBias().detach());
        const double gap = (again - pass.logits.detach()).abs().max().item<double>();
        const double scale = 1.0 + pass.logits.detach().abs().max().item<double>();
        if (!(gap <= 1e-4 * scale))
            reason = "CAM needs a head of global average pooling and one linear layer on layer " + layer +
                     ", and this model's logits are not W mean(A) + b there";
    }
    if (!reason.empty()) {
        MethodMaps cam{.method = Method::Cam};
        cam.available = false;
        cam.message = reason;
        return cam;
    }
    const auto wc = weight.index_select(0, pass.target.to(weight.device()));  // (N,K)
    return camMethodMaps(Method::Cam, weightedChannelSum(wc, pass.features), height, width, scaling);
}

MethodMaps guidedGradCam(const MethodMaps& guided, const MethodMaps& gradCam) {
    MethodMaps ggc{.method = Method::GuidedGradCam};
    ggc.maps = guided.maps * gradCam.maps.unsqueeze(1);
    ggc.empty = zeroPerImage(ggc.maps);
    for (std::size_t i = 0; i < ggc.empty.size(); ++i)
        ggc.empty[i] = ggc.empty[i] || gradCam.empty[i];
    return ggc;
}

cv::Mat toMat(const at::Tensor& t) {  // (h,w) -> CV_32FC1; (C,h,w) -> CV_32FC(C), channels last
    if (!t.defined())
        return {};
    if (t.dim() == 2) {
        const auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
        return cv::Mat(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)), CV_32FC1,
                       c.data_ptr<float>())
            .clone();
    }
    const auto c = t.detach().to(at::kCPU, at::kFloat).permute({1, 2, 0}).contiguous();
    return cv::Mat(static_cast<int>(c.size(0)), static_cast<int>(c.size(1)),
                   CV_32FC(static_cast<int>(c.size(2))), c.data_ptr<float>())
        .clone();
}

std::string emptyMessage(Method method, std::int64_t target, const std::string& layer) {
    if (isChannelMap(method)) {
        const bool guided = method == Method::GuidedBackprop || method == Method::GuidedGradCam;
        return methodTitle(method) + " is zero everywhere for class " + std::to_string(target) +
               ": nothing reaches the input" + (guided ? " through the guided rule" : "");
    }
    return methodTitle(method) + " is empty for class " + std::to_string(target) + " at layer " + layer +
           ": after the ReLU the map is zero (or constant) everywhere";
}

}  // namespace

const MethodMaps* BatchExplanation::find(Method method) const {
    for (const auto& m : methods)
        if (m.method == method)
            return &m;
    return nullptr;
}

const at::Tensor& BatchExplanation::maps(Method method) const {
    const auto* m = find(method);
    if (!m)
        throw Error(methodTitle(method) + " was not computed");
    if (!m->available)
        throw Error(m->message);
    return m->maps;
}

std::vector<ImageExplanation> BatchExplanation::images() const {
    const auto n = logits.size(0);
    const auto l = logits.to(at::kFloat).contiguous();
    const auto p = probabilities.to(at::kFloat).contiguous();
    const auto classes = l.size(1);
    std::vector<ImageExplanation> out(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const auto index = static_cast<std::size_t>(i);
        auto& image = out[index];
        const float* li = l.data_ptr<float>() + i * classes;
        const float* pi = p.data_ptr<float>() + i * classes;
        image.logits.assign(li, li + classes);
        image.probabilities.assign(pi, pi + classes);
        image.predictedClass = static_cast<int>(predicted[i].item<std::int64_t>());
        image.targetClass = static_cast<int>(target[i].item<std::int64_t>());
        image.layer = layer;
        for (const auto& m : methods) {
            SaliencyMap map;
            map.method = m.method;
            map.layer = isInputAttribution(m.method) ? "input" : layer;
            map.classIndex = image.targetClass;
            map.logit = image.logits[static_cast<std::size_t>(map.classIndex)];
            map.probability = image.probabilities[static_cast<std::size_t>(map.classIndex)];
            map.available = m.available;
            map.message = m.message;
            if (m.available) {
                map.map = toMat(m.maps[i]);
                if (m.raw.defined())
                    map.raw = toMat(m.raw[i]);
                map.empty = m.empty[index];
                if (map.empty)
                    map.message = emptyMessage(m.method, image.targetClass, layer);
                if (index < m.convergenceDelta.size())
                    map.convergenceDelta = m.convergenceDelta[index];
            }
            image.maps.push_back(std::move(map));
        }
    }
    return out;
}

Explainer::Explainer(models::ClassifierImpl& model) : model_(model) {}

std::optional<std::string> Explainer::camUnavailableReason(const std::string& layer) const {
    const std::string name = layer.empty() ? model_.defaultTargetLayer() : layer;
    if (name == model_.defaultTargetLayer())
        return std::nullopt;
    const std::string head = model_.defaultTargetLayer() + " in " + model_.architecture();
    return "CAM is defined only for the layer that feeds the head's global average pooling and linear "
           "layer (" +
           head + "); layer " + name + " does not: use Grad-CAM for it";
}

BatchExplanation Explainer::explainTensors(const at::Tensor& input, const ExplainOptions& options) {
    if (!input.defined() || input.dim() != 4 || input.size(1) != 3 || input.size(0) < 1)
        throw Error("explain: the input must be a batch of images of shape (N,3,H,W)");
    if (options.methods.empty())
        throw Error("explain: no saliency method asked for");
    const std::string layer = options.layer.empty() ? model_.defaultTargetLayer() : options.layer;
    if (!model_.hasTargetLayer(layer)) {
        std::string known;
        for (const auto& name : model_.targetLayers())
            known += (known.empty() ? "" : ", ") + name;
        throw Error("explain: " + model_.architecture() + " has no layer \"" + layer +
                    "\" (choose one of: " + known + ")");
    }
    const auto& methods = options.methods;
    const Needs needs(methods);
    const auto camReason = camUnavailableReason(layer);

    c10::InferenceMode notInference(false);
    torch::AutoGradMode gradMode(true);
    ModelModeGuard mode(model_);

    const auto parameters = model_.parameters();
    const auto x = parameters.empty()
                       ? input.detach()
                       : input.detach().to(parameters.front().device(), parameters.front().scalar_type());

    BatchExplanation out;
    out.layer = layer;
    const LayerPass pass =
        runLayerPasses(model_, mode, x, layer, needs, !camReason.has_value(), options, out.passes);
    out.target = pass.target;

    torch::NoGradGuard noGrad;  // the input attributions switch gradients back on for their passes
    out.logits = pass.logits.detach().cpu();
    models::requireFinite(out.logits, "the network's output (logits)");
    out.probabilities = at::softmax(out.logits, 1);
    out.predicted = out.logits.argmax(1).to(at::kLong);
    const auto height = x.size(2), width = x.size(3);

    MethodMaps gradCam{.method = Method::GradCam};
    if (wants(methods, Method::GradCam) || wants(methods, Method::GuidedGradCam))
        gradCam =
            camMethodMaps(Method::GradCam, weightedChannelSum(pass.dFeatures.mean({2, 3}), pass.features),
                          height, width, options.scaling);
    MethodMaps guided{.method = Method::GuidedBackprop};
    if (needs.guided) {
        guided.maps = pass.dInput.detach().cpu();
        guided.empty = zeroPerImage(guided.maps);
    }

    for (const auto method : methods) {
        switch (method) {
            case Method::Cam:
                out.methods.push_back(
                    camMaps(model_, pass, layer, camReason.value_or(""), height, width, options.scaling));
                break;
            case Method::GradCam:
                out.methods.push_back(gradCam);
                break;
            case Method::GuidedBackprop:
                out.methods.push_back(guided);
                break;
            case Method::GuidedGradCam:
                out.methods.push_back(guidedGradCam(guided, gradCam));
                break;
            case Method::GradCamPlusPlus:
                out.methods.push_back(
                    gradCamPlusPlus(pass.features, pass.dFeatures, height, width, options.scaling));
                break;
            case Method::LayerCam:
                out.methods.push_back(
                    layerCam(pass.features, pass.dFeatures, height, width, options.scaling));
                break;
            case Method::ScoreCam:
                out.methods.push_back(scoreCam(model_, x, pass.features, out.target, options.scoreCam,
                                               options.scaling, out.passes));
                break;
            case Method::SmoothGrad:
                out.methods.push_back(smoothGrad(model_, mode, x, out.target, options.smoothGrad,
                                                 options.guidedRule, options.integratedGradients,
                                                 out.passes));
                break;
            case Method::IntegratedGradients: {
                auto ig = integratedGradients(model_, x, out.target, options.integratedGradients, out.passes);
                MethodMaps maps{.method = Method::IntegratedGradients};
                maps.maps = ig.attributions.detach().cpu();
                maps.empty = zeroPerImage(maps.maps);
                maps.convergenceDelta = std::move(ig.convergenceDelta);
                out.methods.push_back(std::move(maps));
                break;
            }
        }
    }
    for (const auto& m : out.methods) {
        if (m.available)
            models::requireFinite(m.maps, "the " + methodTitle(m.method) + " map");
    }
    passes_ += out.passes;
    return out;
}

std::vector<ImageExplanation> Explainer::explain(const at::Tensor& input, const ExplainOptions& options) {
    return explainTensors(input, options).images();
}

std::vector<ImageExplanation> Explainer::explain(const std::vector<cv::Mat>& rgbImages,
                                                 const models::ModelCard& card,
                                                 const ExplainOptions& options) {
    if (rgbImages.empty())
        return {};
    ExplainOptions o = options;
    if (o.layer.empty())
        o.layer = card.targetLayer;
    return explain(models::inputTensor(rgbImages, card), o);
}

}  // namespace saliency::explain
