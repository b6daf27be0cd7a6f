#include "saliency/ModelSession.h"

#include <mutex>

#include <ATen/ATen.h>

#include "common/Error.h"
#include "models/Checkpoint.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "saliency/Explainer.h"
#include "saliency/SanityCheck.h"

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
    auto impl = std::make_unique<Impl>();
    models::Checkpoint loaded =
        models::importForInference(architecture, weights, std::move(classes), inputSize);
    impl->model = std::move(loaded.model);
    impl->card = std::move(loaded.card);
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

SanityReport ModelSession::sanityCheck(const cv::Mat& rgb, const SanityRequest& request) const {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("sanity check: the scan must be an 8-bit RGB image");
    SanityCheckOptions options;
    options.explain.methods = request.methods;
    options.explain.layer = impl_->info.targetLayer;
    options.cascading = request.cascading;
    options.seed = request.seed;
    const std::scoped_lock lock(impl_->mutex);
    const at::Tensor input = models::inputTensor({rgb}, impl_->card);
    const auto result = modelRandomisationCheck(*impl_->model, input, options);
    SanityReport report{.table = sanityTable({result}, request.cascading),
                        .columns = sanityStripColumns(result),
                        .rows = sanityStripRows(result),
                        .randomLogit = {}};
    for (const auto& m : randomLogitCheck(*impl_->model, input, options).methods)
        report.randomLogit.push_back({m.method, m.ssim, m.spearman});
    return report;
}

std::vector<std::string> knownArchitectures() {
    return models::architectures();
}

}  // namespace saliency::explain
