#include "models/Inference.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "data/Preprocess.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"

namespace saliency::models {

void requireFinite(const at::Tensor& values, const std::string& what) {
    if (values.defined() && values.is_floating_point() && values.numel() > 0 &&
        !at::isfinite(values).all().item<bool>()) {
        throw Error(what +
                    " holds NaN or infinite values: the network's weights or the input are broken, so "
                    "there is no result");
    }
}

at::Tensor inputTensor(const std::vector<cv::Mat>& rgbImages, const ModelCard& card) {
    const int s = card.inputSize;
    at::Tensor batch = at::empty({static_cast<std::int64_t>(rgbImages.size()), 3, s, s}, at::kFloat);
    const Normalisation norm{card.mean, card.std};
    for (size_t i = 0; i < rgbImages.size(); ++i) {
        hwcToChw(preprocess(rgbImages[i], s, norm),
                 batch.data_ptr<float>() + static_cast<std::int64_t>(i) * 3 * s * s);
    }
    return batch;
}

std::vector<Prediction> predict(ClassifierImpl& model, const ModelCard& card,
                                const std::vector<cv::Mat>& rgbImages) {
    if (rgbImages.empty())
        return {};
    if (static_cast<std::int64_t>(card.classes.size()) != model.numClasses())
        throw Error("the model card names " + std::to_string(card.classes.size()) +
                    " classes but the model has " + std::to_string(model.numClasses()));
    torch::NoGradGuard noGrad;
    model.eval();
    const at::Tensor logits = model.logits(inputTensor(rgbImages, card)).contiguous();
    requireFinite(logits, "the network's output (logits)");
    const at::Tensor probabilities = at::softmax(logits, 1).contiguous();
    const auto classes = logits.size(1);
    std::vector<Prediction> out(rgbImages.size());
    for (size_t i = 0; i < out.size(); ++i) {
        const float* l = logits.data_ptr<float>() + static_cast<std::int64_t>(i) * classes;
        const float* p = probabilities.data_ptr<float>() + static_cast<std::int64_t>(i) * classes;
        out[i].logits.assign(l, l + classes);
        out[i].probabilities.assign(p, p + classes);
        out[i].classIndex = static_cast<int>(std::max_element(p, p + classes) - p);
        out[i].className = card.classes[static_cast<size_t>(out[i].classIndex)];
    }
    return out;
}

ModelCard cardForImport(const std::string& architecture, std::vector<std::string> classes, int inputSize,
                        const std::string& weightsSource) {
    ModelCard card;  // ImageNet mean/std are the defaults
    card.architecture = architecture;
    card.classes = std::move(classes);
    card.inputSize = inputSize;
    card.weightsSource = weightsSource;
    return card;
}

Checkpoint importForInference(const std::string& architecture, const std::filesystem::path& weights,
                              std::vector<std::string> classes, int inputSize) {
    return importForInference(architecture, readTensorDict(weights), weights.string(), std::move(classes),
                              inputSize);
}

Checkpoint importForInference(const std::string& architecture, const TensorDict& tensors,
                              const std::string& source, std::vector<std::string> classes, int inputSize) {
    const auto canonical = canonicalArchitecture(architecture);
    if (!canonical)
        throw Error("unknown architecture \"" + architecture + "\"");
    if (classes.size() < 2)
        throw Error("name at least two classes, e.g. tumour,healthy");
    Classifier model = makeModel(*canonical, static_cast<std::int64_t>(classes.size()));
    const ImportReport report = importWeights(*model, tensors, source);
    if (!report.headLoaded)
        throw Error("the head in " + source + " does not fit " + std::to_string(classes.size()) +
                    " classes, so predictions would be random: " + report.summary());
    model->eval();
    return {cardForImport(*canonical, std::move(classes), inputSize, source), std::move(model)};
}

}  // namespace saliency::models
