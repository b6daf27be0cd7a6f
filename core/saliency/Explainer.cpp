#include "saliency/Explainer.h"

#include <algorithm>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "models/GuidedActivation.h"
#include "models/Inference.h"

namespace saliency::explain {

namespace {

using models::ActivationKind;
using models::ClassifierImpl;
using models::GuidedActivationImpl;

// Eval mode for the whole call, guided mode for the guided pass; the model's previous state
// comes back on every exit, exceptions included.
class ModelModeGuard {
  public:
    explicit ModelModeGuard(ClassifierImpl& model)
        : model_(model), wasTraining_(model.is_training()), wasGuided_(model.guided()) {
        model_.eval();
    }
    ~ModelModeGuard() {
        try {
            model_.setGuided(wasGuided_);
            if (wasTraining_)
                model_.train(true);
        } catch (...) {  // a destructor must not throw; setGuided/train only flip flags
        }
    }
    ModelModeGuard(const ModelModeGuard&) = delete;
    ModelModeGuard& operator=(const ModelModeGuard&) = delete;

    void setGuided(bool on, GuidedRule rule) {
        model_.setGuided(on && rule != GuidedRule::None);
        if (on && rule == GuidedRule::ReluOnly) {
            // The libraries' rule: SiLU keeps its plain backward.
            for (const auto& module : model_.modules(/*include_self=*/false))
                if (auto* activation = dynamic_cast<GuidedActivationImpl*>(module.get()))
                    if (activation->kind() == ActivationKind::SiLU)
                        activation->setGuided(false);
        }
    }

  private:
    ClassifierImpl& model_;
    bool wasTraining_;
    bool wasGuided_;
};

bool wants(const std::vector<Method>& methods, Method m) {
    return std::find(methods.begin(), methods.end(), m) != methods.end();
}

at::Tensor resolveTargets(const at::Tensor& logits, const std::vector<std::int64_t>& given) {
    const auto n = logits.size(0);
    const auto classes = logits.size(1);
    if (given.empty())
        return logits.detach().argmax(1).to(at::kCPU, at::kLong);
    if (given.size() != 1 && static_cast<std::int64_t>(given.size()) != n)
        throw Error("explain: " + std::to_string(given.size()) + " target classes for a batch of " +
                    std::to_string(n) + " images (give none, one, or one per image)");
    for (const auto c : given)
        if (c < 0 || c >= classes)
            throw Error("explain: target class " + std::to_string(c) + " is out of range (the model has " +
                        std::to_string(classes) + " classes)");
    auto target = at::empty({n}, at::kLong);
    auto* t = target.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i)
        t[i] = given.size() == 1 ? given[0] : given[static_cast<std::size_t>(i)];
    return target;
}

// sum over the batch of y_{n, c_n}: its gradient gives every image's dy_c/d(.) at once, since
// the images do not interact in eval mode.
at::Tensor targetScore(const at::Tensor& logits, const at::Tensor& target) {
    return logits.gather(1, target.to(logits.device()).unsqueeze(1)).sum();
}

std::vector<bool> zeroGradient(const at::Tensor& g) {
    const auto peak = g.detach().abs().reshape({g.size(0), -1}).amax(1).to(at::kDouble).cpu().contiguous();
    std::vector<bool> out;
    for (std::int64_t i = 0; i < peak.numel(); ++i)
        out.push_back(!(peak.data_ptr<double>()[i] > 0.0));
    return out;
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
    if (isChannelMap(method))
        return methodTitle(method) + " is zero everywhere for class " + std::to_string(target) +
               ": nothing reaches the input through the guided rule";
    return methodTitle(method) + " is empty for class " + std::to_string(target) + " at layer " + layer +
           ": after the ReLU the map is zero (or constant) everywhere";
}

}  // namespace

std::string guidedRuleName(GuidedRule rule) {
    switch (rule) {
        case GuidedRule::ReluAndSilu:
            return "relu+silu";
        case GuidedRule::ReluOnly:
            return "relu-only";
        case GuidedRule::None:
            return "none";
    }
    return "unknown";
}

PassCount& PassCount::operator+=(const PassCount& other) {
    forwards += other.forwards;
    guidedForwards += other.guidedForwards;
    backwards += other.backwards;
    return *this;
}

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
        auto& image = out[static_cast<std::size_t>(i)];
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
            map.layer = m.method == Method::GuidedBackprop ? "input" : layer;
            map.classIndex = image.targetClass;
            map.logit = image.logits[static_cast<std::size_t>(map.classIndex)];
            map.probability = image.probabilities[static_cast<std::size_t>(map.classIndex)];
            map.available = m.available;
            map.message = m.message;
            if (m.available) {
                map.map = toMat(m.maps[i]);
                if (m.raw.defined())
                    map.raw = toMat(m.raw[i]);
                map.empty = m.empty[static_cast<std::size_t>(i)];
                if (map.empty)
                    map.message = emptyMessage(m.method, image.targetClass, layer);
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
    const bool wantCam = wants(methods, Method::Cam);
    const bool wantGuided = wants(methods, Method::GuidedBackprop) || wants(methods, Method::GuidedGradCam);
    const bool wantGradCam = wants(methods, Method::GradCam) || wants(methods, Method::GuidedGradCam);
    const auto camReason = camUnavailableReason(layer);
    const bool feedsHead = !camReason.has_value();
    // CAM and Grad-CAM ride on the guided pass when nothing but the linear head lies after A.
    const bool shared = wantGuided && (wantCam || wantGradCam) && feedsHead;

    c10::InferenceMode notInference(false);
    torch::AutoGradMode gradMode(true);
    ModelModeGuard mode(model_);

    const auto parameters = model_.parameters();
    const auto x = parameters.empty()
                       ? input.detach()
                       : input.detach().to(parameters.front().device(), parameters.front().scalar_type());

    BatchExplanation out;
    out.layer = layer;
    at::Tensor logits, features, dFeatures, dInput;

    if (wantGuided) {
        mode.setGuided(true, options.guidedRule);
        const auto xg = x.clone().requires_grad_(true);
        auto result = model_.forward(xg, layer);
        ++out.passes.forwards;
        ++out.passes.guidedForwards;
        logits = result.logits;
        out.target = resolveTargets(logits, options.targetClasses);
        std::vector<at::Tensor> wrt{xg};
        if (shared && wantGradCam)
            wrt.push_back(result.features);
        const auto grads = torch::autograd::grad({targetScore(logits, out.target)}, wrt);
        ++out.passes.backwards;
        dInput = grads[0];
        if (shared) {
            features = result.features.detach();
            if (wantGradCam)
                dFeatures = grads[1];
        }
        mode.setGuided(false, options.guidedRule);
    }
    if ((wantCam || wantGradCam) && !shared) {
        if (wantGradCam) {
            // The input asks for gradients so that A is in the graph even with a frozen backbone;
            // the backward stops at A.
            auto result = model_.forward(x.clone().requires_grad_(true), layer);
            ++out.passes.forwards;
            if (!out.target.defined())
                out.target = resolveTargets(result.logits, options.targetClasses);
            if (!logits.defined())
                logits = result.logits;
            dFeatures = torch::autograd::grad({targetScore(result.logits, out.target)}, {result.features})[0];
            ++out.passes.backwards;
            features = result.features.detach();
        } else {
            torch::NoGradGuard noGrad;
            auto result = model_.forward(x, layer);
            ++out.passes.forwards;
            logits = result.logits;
            out.target = resolveTargets(logits, options.targetClasses);
            features = result.features.detach();
        }
    }

    torch::NoGradGuard noGrad;
    out.logits = logits.detach().cpu();
    out.probabilities = at::softmax(out.logits, 1);
    out.predicted = out.logits.argmax(1).to(at::kLong);
    const auto height = x.size(2), width = x.size(3);

    MethodMaps cam{.method = Method::Cam};
    if (wantCam) {
        const auto weight = model_.classifierWeight().detach();
        std::string reason = camReason.value_or("");
        if (reason.empty() && features.size(1) != weight.size(1))
            reason = "CAM needs as many channels in layer " + layer + " (" +
                     std::to_string(features.size(1)) + ") as the head's linear layer has inputs (" +
                     std::to_string(weight.size(1)) + ")";
        if (reason.empty()) {
            // The head must be GAP -> (dropout) -> linear on A: check logits = W mean_hw(A) + b.
            const auto again = at::linear(features.mean({2, 3}), weight, model_.classifierBias().detach());
            const double gap = (again - logits.detach()).abs().max().item<double>();
            const double scale = 1.0 + logits.detach().abs().max().item<double>();
            if (!(gap <= 1e-4 * scale))
                reason = "CAM needs a head of global average pooling and one linear layer on layer " + layer +
                         ", and this model's logits are not W mean(A) + b there";
        }
        if (!reason.empty()) {
            cam.available = false;
            cam.message = reason;
        } else {
            const auto wc = weight.index_select(0, out.target.to(weight.device()));  // (N,K)
            cam.raw = (wc.unsqueeze(-1).unsqueeze(-1) * features).sum(1);
            auto processed = postProcessCam(cam.raw, height, width, options.scaling);
            cam.maps = processed.maps.cpu();
            cam.raw = cam.raw.cpu();
            cam.empty = std::move(processed.empty);
        }
    }

    MethodMaps gradCam{.method = Method::GradCam};
    if (wantGradCam) {
        const auto alpha = dFeatures.mean({2, 3});  // (N,K)
        gradCam.raw = (alpha.unsqueeze(-1).unsqueeze(-1) * features).sum(1);
        auto processed = postProcessCam(gradCam.raw, height, width, options.scaling);
        gradCam.maps = processed.maps.cpu();
        gradCam.raw = gradCam.raw.cpu();
        gradCam.empty = std::move(processed.empty);
    }

    MethodMaps guided{.method = Method::GuidedBackprop};
    if (wantGuided) {
        guided.maps = dInput.detach().cpu();
        guided.empty = zeroGradient(guided.maps);
    }

    for (const auto method : methods) {
        switch (method) {
            case Method::Cam:
                out.methods.push_back(cam);
                break;
            case Method::GradCam:
                out.methods.push_back(gradCam);
                break;
            case Method::GuidedBackprop:
                out.methods.push_back(guided);
                break;
            case Method::GuidedGradCam: {
                MethodMaps ggc{.method = Method::GuidedGradCam};
                ggc.maps = guided.maps * gradCam.maps.unsqueeze(1);
                ggc.empty = zeroGradient(ggc.maps);
                for (std::size_t i = 0; i < ggc.empty.size(); ++i)
                    ggc.empty[i] = ggc.empty[i] || gradCam.empty[i];
                out.methods.push_back(std::move(ggc));
                break;
            }
        }
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
