#include "models/Inference.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "data/Preprocess.h"

namespace saliency::models {

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

}  // namespace saliency::models
