#include "saliency/SanityCheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>
#include <set>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "common/Error.h"
#include "models/ModelZoo.h"
#include "saliency/MapSimilarity.h"
#include "saliency/SanityStrip.h"

namespace saliency::explain {

namespace {

// makeModel initialises from (and, with a seed, reseeds) the global CPU generator: put it back.
class GlobalRandomStateGuard {
  public:
    GlobalRandomStateGuard() : generator_(at::detail::getDefaultCPUGenerator()) {
        std::lock_guard<std::mutex> lock(generator_.mutex());
        state_ = generator_.get_state();
    }
    ~GlobalRandomStateGuard() {
        try {
            std::lock_guard<std::mutex> lock(generator_.mutex());
            generator_.set_state(state_);
        } catch (...) {  // a destructor must not throw; set_state only copies bytes back
        }
    }
    GlobalRandomStateGuard(const GlobalRandomStateGuard&) = delete;
    GlobalRandomStateGuard& operator=(const GlobalRandomStateGuard&) = delete;

  private:
    at::Generator generator_;
    at::Tensor state_;
};

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// A new model of the same architecture; with `seed`, freshly initialised from it.
models::Classifier sameArchitecture(const models::ClassifierImpl& model, std::optional<std::uint64_t> seed) {
    const GlobalRandomStateGuard keep;
    models::ModelOptions options;
    options.numClasses = model.numClasses();
    options.seed = seed;
    auto copy = models::makeModel(model.architecture(), options);
    const auto parameters = model.parameters();
    if (!parameters.empty())
        copy->to(parameters.front().device(), parameters.front().scalar_type());
    copy->eval();
    return copy;
}

// Copies the named parameters (all, or only `names`) and, with `buffers`, every buffer.
void copyState(const models::ClassifierImpl& from, models::ClassifierImpl& to,
               const std::set<std::string>* names, bool buffers) {
    torch::NoGradGuard noGrad;
    const auto source = from.named_parameters();
    for (auto& p : to.named_parameters())
        if (!names || names->count(p.key()))
            p.value().copy_(source[p.key()]);
    if (!buffers)
        return;
    const auto sourceBuffers = from.named_buffers();
    for (auto& b : to.named_buffers())
        b.value().copy_(sourceBuffers[b.key()]);
}

std::vector<MethodAgreement> compare(const std::vector<ImageExplanation>& original,
                                     const std::vector<ImageExplanation>& randomised,
                                     const std::vector<Method>& methods) {
    std::vector<MethodAgreement> out;
    for (const auto method : methods) {
        const auto* first = original.front().find(method);
        if (!first || !first->available)
            continue;
        MethodAgreement agreement{.method = method};
        for (std::size_t i = 0; i < original.size(); ++i) {
            const auto* a = original[i].find(method);
            const auto* b = randomised[i].find(method);
            if (!b->available)
                throw Error("sanity check: " + methodTitle(method) +
                            " became unavailable on the randomised model");
            const cv::Mat ma = comparedMap(*a), mb = comparedMap(*b);
            agreement.spearman.push_back(spearmanCorrelation(ma, mb));
            agreement.ssim.push_back(structuralSimilarity(ma, mb));
        }
        out.push_back(std::move(agreement));
    }
    return out;
}

}  // namespace

double MethodAgreement::meanSpearman() const {
    return meanDefined(spearman);
}

double MethodAgreement::meanSsim() const {
    return meanDefined(ssim);
}

const MethodAgreement* RandomisationStage::find(Method method) const {
    for (const auto& m : methods)
        if (m.method == method)
            return &m;
    return nullptr;
}

std::vector<RandomisationBlock> randomisationBlocks(const models::ClassifierImpl& model) {
    std::vector<std::string> names;
    for (const auto& p : model.named_parameters())
        names.push_back(p.key());
    std::set<std::string> taken;
    std::vector<RandomisationBlock> blocks;
    auto take = [&](const std::string& blockName, const std::string& prefix) {
        RandomisationBlock block{.name = blockName};
        for (const auto& n : names)
            if (!taken.count(n) && startsWith(n, prefix)) {
                block.parameters.push_back(n);
                taken.insert(n);
            }
        if (!block.parameters.empty())
            blocks.push_back(std::move(block));
    };
    take(model.headName(), model.headName() + ".");
    const auto layers = model.targetLayers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        take(*it, *it + ".");
    RandomisationBlock rest;  // named after its top-level modules: "conv1, bn1"
    std::vector<std::string> modules;
    for (const auto& n : names)
        if (!taken.count(n)) {
            rest.parameters.push_back(n);
            const auto module = n.substr(0, n.find('.'));
            if (std::find(modules.begin(), modules.end(), module) == modules.end()) {
                rest.name += (modules.empty() ? "" : ", ") + module;
                modules.push_back(module);
            }
        }
    if (!rest.parameters.empty())
        blocks.push_back(std::move(rest));
    return blocks;
}

SanityCheckResult modelRandomisationCheck(const models::ClassifierImpl& model, const at::Tensor& input,
                                          const SanityCheckOptions& options) {
    auto copy = sameArchitecture(model, std::nullopt);
    copyState(model, *copy, nullptr, true);
    const auto fresh = sameArchitecture(model, options.seed);

    SanityCheckResult result;
    result.original = Explainer(*copy).explainTensors(input, options.explain);
    const auto originalImages = result.original.images();
    // Every stage explains the classes the original model was explained for.
    ExplainOptions explain = options.explain;
    explain.targetClasses.clear();
    for (std::int64_t i = 0; i < result.original.target.numel(); ++i)
        explain.targetClasses.push_back(result.original.target[i].item<std::int64_t>());

    for (const auto& block : randomisationBlocks(model)) {
        if (!options.cascading)
            copyState(model, *copy, nullptr, true);
        const std::set<std::string> names(block.parameters.begin(), block.parameters.end());
        copyState(*fresh, *copy, &names, false);
        RandomisationStage stage{.name = block.name, .parameters = block.parameters};
        stage.explanation = Explainer(*copy).explainTensors(input, explain);
        stage.methods = compare(originalImages, stage.explanation.images(), explain.methods);
        result.stages.push_back(std::move(stage));
    }
    return result;
}

const MethodAgreement* RandomLogitResult::find(Method method) const {
    for (const auto& m : methods)
        if (m.method == method)
            return &m;
    return nullptr;
}

RandomLogitResult randomLogitCheck(const models::ClassifierImpl& model, const at::Tensor& input,
                                   const SanityCheckOptions& options) {
    const std::int64_t classes = model.numClasses();
    if (classes < 2)
        throw Error("the random-logit test needs a model of two or more classes");
    auto copy = sameArchitecture(model, std::nullopt);
    copyState(model, *copy, nullptr, true);
    RandomLogitResult result;
    result.original = Explainer(*copy).explainTensors(input, options.explain);
    std::mt19937_64 random(options.seed);
    ExplainOptions other = options.explain;
    other.targetClasses.clear();
    for (std::int64_t i = 0; i < result.original.target.numel(); ++i) {
        const std::int64_t explained = result.original.target[i].item<std::int64_t>();
        const auto offset = static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(classes - 1));
        other.targetClasses.push_back((explained + 1 + offset) % classes);
    }
    result.otherClasses = other.targetClasses;
    result.other = Explainer(*copy).explainTensors(input, other);
    result.methods = compare(result.original.images(), result.other.images(), options.explain.methods);
    return result;
}

SanityTable sanityTable(const std::vector<SanityCheckResult>& batches, bool cascading) {
    SanityTable table{.cascading = cascading};
    if (batches.empty())
        return table;
    for (const auto& stage : batches.front().stages)
        table.stages.push_back(stage.name);
    if (!batches.front().stages.empty())
        for (const auto& m : batches.front().stages.front().methods)
            table.methods.push_back(
                SanitySeries{.method = m.method,
                             .spearman = std::vector<std::vector<double>>(table.stages.size()),
                             .ssim = std::vector<std::vector<double>>(table.stages.size())});
    for (const auto& batch : batches) {
        if (batch.stages.size() != table.stages.size())
            throw Error("sanity check: the batches have different stages");
        for (std::size_t s = 0; s < batch.stages.size(); ++s)
            for (auto& series : table.methods) {
                const auto* agreement = batch.stages[s].find(series.method);
                if (!agreement)
                    throw Error("sanity check: " + methodTitle(series.method) + " is missing from a batch");
                series.spearman[s].insert(series.spearman[s].end(), agreement->spearman.begin(),
                                          agreement->spearman.end());
                series.ssim[s].insert(series.ssim[s].end(), agreement->ssim.begin(), agreement->ssim.end());
            }
    }
    return table;
}

std::vector<std::string> sanityStripColumns(const SanityCheckResult& result) {
    std::vector<std::string> columns = {"trained"};
    for (const auto& stage : result.stages)
        columns.push_back(stage.name);
    return columns;
}

std::vector<SanityStripRow> sanityStripRows(const SanityCheckResult& result, std::size_t image) {
    std::vector<SanityStripRow> rows;
    if (result.stages.empty())
        return rows;
    const auto original = result.original.images().at(image);
    std::vector<ImageExplanation> stages;
    for (const auto& stage : result.stages)
        stages.push_back(stage.explanation.images().at(image));
    for (const auto& m : result.stages.front().methods) {
        SanityStripRow row{.title = methodTitle(m.method)};
        row.maps.push_back(comparedMap(*original.find(m.method)));
        for (const auto& explanation : stages)
            row.maps.push_back(comparedMap(*explanation.find(m.method)));
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace saliency::explain
