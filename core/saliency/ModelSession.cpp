#include "saliency/ModelSession.h"

#include <mutex>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "models/Checkpoint.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"
#include "saliency/Explainer.h"

namespace saliency::explain {

struct ModelSession::Impl {
    models::Classifier model = nullptr;
    models::ModelCard card;
    ModelInfo info;
    std::mutex mutex;  // one pass at a time through the module
};

namespace {

ModelInfo describe(const models::ClassifierImpl& model, const models::ModelCard& card,
                   const std::filesystem::path& source) {
    ModelInfo info;
    info.source = source;
    info.name = source.stem().string();
    info.architecture = card.architecture;
    info.classes = card.classes;
    info.inputSize = card.inputSize;
    info.targetLayer = card.targetLayer.empty() ? model.defaultTargetLayer() : card.targetLayer;
    info.targetLayers = model.targetLayers();
    info.cardJson = card.toJson().dump(2);
    for (const auto& p : model.parameters())
        info.parameters += p.numel();
    return info;
}

}  // namespace

ModelSession::ModelSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelSession::~ModelSession() = default;

std::shared_ptr<ModelSession> ModelSession::openCheckpoint(const std::filesystem::path& file) {
    auto impl = std::make_unique<Impl>();
    models::Checkpoint loaded = models::loadCheckpoint(file);
    impl->model = std::move(loaded.model);
    impl->card = std::move(loaded.card);
    impl->model->eval();
    impl->info = describe(*impl->model, impl->card, file);
    return std::shared_ptr<ModelSession>(new ModelSession(std::move(impl)));
}

std::shared_ptr<ModelSession> ModelSession::importWeights(const std::string& architecture,
                                                          const std::filesystem::path& weights,
                                                          std::vector<std::string> classes, int inputSize) {
    const auto canonical = models::canonicalArchitecture(architecture);
    if (!canonical)
        throw Error("unknown architecture \"" + architecture + "\"");
    if (classes.size() < 2)
        throw Error("name at least two classes, e.g. tumour,healthy");
    const models::TensorDict tensors = models::readTensorDict(weights);
    auto impl = std::make_unique<Impl>();
    impl->model = models::makeModel(*canonical, static_cast<std::int64_t>(classes.size()));
    const models::ImportReport report = models::importWeights(*impl->model, tensors, weights.string());
    if (!report.headLoaded)
        throw Error("the head in " + weights.string() + " does not fit " + std::to_string(classes.size()) +
                    " classes, so predictions would be random (fine-tune it first): " + report.summary());
    impl->model->eval();
    impl->card = models::cardForImport(*canonical, std::move(classes), inputSize, weights.string());
    impl->info = describe(*impl->model, impl->card, weights);
    return std::shared_ptr<ModelSession>(new ModelSession(std::move(impl)));
}

const ModelInfo& ModelSession::info() const noexcept {
    return impl_->info;
}

ImageExplanation ModelSession::explain(const cv::Mat& rgb, const ExplainRequest& request) const {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("explain: the scan must be an 8-bit RGB image");
    ExplainOptions options;
    options.methods = request.methods;
    if (request.targetClass >= 0)
        options.targetClasses = {request.targetClass};
    options.layer = request.layer.empty() ? impl_->info.targetLayer : request.layer;
    const std::scoped_lock lock(impl_->mutex);
    Explainer explainer(*impl_->model);
    auto images = explainer.explain(models::inputTensor({rgb}, impl_->card), options);
    return std::move(images.front());
}

ImagePrediction ModelSession::predict(const cv::Mat& rgb) const {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("predict: the scan must be an 8-bit RGB image");
    const std::scoped_lock lock(impl_->mutex);
    auto predictions = models::predict(*impl_->model, impl_->card, {rgb});
    return {std::move(predictions.front().probabilities), predictions.front().classIndex};
}

std::vector<std::string> knownArchitectures() {
    return models::architectures();
}

}  // namespace saliency::explain
