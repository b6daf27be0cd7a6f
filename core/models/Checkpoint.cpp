#include "models/Checkpoint.h"

#include <ctime>
#include <fstream>
#include <iterator>
#include <map>

#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <c10/util/Exception.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/version.h>

#include <opencv2/core/version.hpp>

#include "common/AtomicFile.h"
#include "common/BoundedJson.h"
#include "common/Error.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace saliency::models {

namespace {

constexpr const char* kFormat = "saliency-studio-checkpoint";
constexpr std::int64_t kVersion = 1;
constexpr std::size_t kMaxClasses = 100000;  // a head this wide is a hostile card, not a classifier

std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string nowIso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

c10::impl::GenericDict readCheckpointDict(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw FileError(file, "no such file");
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty())
        throw FileError(file, "empty file");
    if (bytes.size() < 4 || bytes[0] != 'P' || bytes[1] != 'K')
        throw FileError(file, "not a Saliency Studio checkpoint (not a PyTorch zip file)");
    const c10::IValue value = readVerifiedPickle(file, std::move(bytes), "checkpoint");
    if (!value.isGenericDict())
        throw FileError(file, "not a Saliency Studio checkpoint");
    auto dict = value.toGenericDict();
    const auto format = dict.find(std::string("format"));
    if (format == dict.end() || !format->value().isString() || format->value().toStringRef() != kFormat) {
        throw FileError(file,
                        "not a Saliency Studio checkpoint (a torchvision weights file? import it with "
                        "--arch ARCH --weights FILE instead)");
    }
    const auto version = dict.find(std::string("version"));
    if (version == dict.end() || !version->value().isInt() || version->value().toInt() > kVersion)
        throw FileError(file, "checkpoint written by a newer Saliency Studio (format version too new)");
    return dict;
}

ModelCard cardFrom(const c10::impl::GenericDict& dict, const fs::path& file) {
    const auto card = dict.find(std::string("model_card"));
    if (card == dict.end() || !card->value().isString())
        throw FileError(file, "the checkpoint has no model card");
    try {
        return ModelCard::fromJson(parseBoundedJson(card->value().toStringRef()));
    } catch (const json::exception& e) {
        throw FileError(file, std::string("malformed model card: ") + e.what());
    } catch (const Error& e) {
        throw FileError(file, std::string("malformed model card: ") + e.what());
    }
}

}  // namespace

json ModelCard::toJson() const {
    return {{"architecture", architecture},
            {"classes", classes},
            {"input_size", inputSize},
            {"channel_order", channelOrder},
            {"normalisation", {{"mean", mean}, {"std", std}}},
            {"target_layer", targetLayer},
            {"training", training},
            {"metrics", metrics},
            {"dataset_fingerprint", datasetFingerprint},
            {"weights_source", weightsSource},
            {"command", command},
            {"created", created},
            {"versions", versions}};
}

ModelCard ModelCard::fromJson(const json& j) {
    ModelCard card;
    auto need = [&j](const char* key) -> const json& {
        if (!j.contains(key))
            throw Error(std::string("the model card has no \"") + key + "\"");
        return j.at(key);
    };
    card.architecture = need("architecture").get<std::string>();
    card.classes = need("classes").get<std::vector<std::string>>();
    card.inputSize = need("input_size").get<int>();
    card.channelOrder = j.value("channel_order", "RGB");
    const json& norm = need("normalisation");
    card.mean = norm.at("mean").get<std::array<float, 3>>();
    card.std = norm.at("std").get<std::array<float, 3>>();
    card.targetLayer = j.value("target_layer", "");
    card.training = j.value("training", json::object());
    card.metrics = j.value("metrics", json::object());
    card.datasetFingerprint = j.value("dataset_fingerprint", "");
    card.weightsSource = j.value("weights_source", "");
    card.command = j.value("command", "");
    card.created = j.value("created", "");
    card.versions = j.value("versions", json::object());
    if (card.classes.size() < 2)
        throw Error("the model card names fewer than two classes");
    if (card.classes.size() > kMaxClasses)
        throw Error("the model card names " + std::to_string(card.classes.size()) + " classes (at most " +
                    std::to_string(kMaxClasses) + ")");
    if (card.inputSize < 8 || card.inputSize > 4096)
        throw Error("the model card's input size is out of range");
    return card;
}

void saveCheckpoint(const fs::path& file, ClassifierImpl& model, const ModelCard& card) {
    if (static_cast<std::int64_t>(card.classes.size()) != model.numClasses())
        throw Error("model card names " + std::to_string(card.classes.size()) +
                    " classes but the model has " + std::to_string(model.numClasses()));
    ModelCard stamped = card;
    if (stamped.created.empty())
        stamped.created = nowIso8601();
    stamped.versions["saliency-studio"] = SALIENCY_VERSION;
    stamped.versions["libtorch"] = TORCH_VERSION;
    stamped.versions["opencv"] = CV_VERSION;
    if (stamped.targetLayer.empty())
        stamped.targetLayer = model.defaultTargetLayer();

    c10::Dict<std::string, at::Tensor> weights;
    for (const auto& [name, tensor] : stateDict(model))
        weights.insert(name, tensor.detach().cpu().contiguous());
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert(std::string("format"), std::string(kFormat));
    root.insert(std::string("version"), kVersion);
    root.insert(std::string("model_card"), stamped.toJson().dump());
    root.insert(std::string("state_dict"), weights);
    std::vector<char> bytes;
    try {
        bytes = torch::jit::pickle_save(c10::IValue(root));
    } catch (const c10::Error& e) {
        throw FileError(file, "cannot serialise the checkpoint: " + firstLine(e.what_without_backtrace()));
    }
    writeFileAtomically(file, std::string_view(bytes.data(), bytes.size()));
    // A copy of the card for people browsing the folder; the checkpoint itself is authoritative.
    const std::string text = stamped.toJson().dump(2) + "\n";
    fs::path cardFile = file;
    cardFile += ".json";
    writeFileAtomically(cardFile, text);
}

ModelCard readModelCard(const fs::path& file) {
    return cardFrom(readCheckpointDict(file), file);
}

Checkpoint loadCheckpoint(const fs::path& file) {
    const auto dict = readCheckpointDict(file);
    ModelCard card = cardFrom(dict, file);
    if (!canonicalArchitecture(card.architecture))
        throw FileError(file, "unknown architecture \"" + card.architecture + "\" in the model card");
    Classifier model = makeModel(card.architecture, static_cast<std::int64_t>(card.classes.size()));

    const auto stored = dict.find(std::string("state_dict"));
    if (stored == dict.end() || !stored->value().isGenericDict())
        throw FileError(file, "the checkpoint has no weights");
    std::map<std::string, at::Tensor> tensors;
    for (const auto& entry : stored->value().toGenericDict()) {
        if (entry.key().isString() && entry.value().isTensor())
            tensors.emplace(entry.key().toStringRef(), entry.value().toTensor());
    }
    at::NoGradGuard noGrad;
    for (auto& [name, target] : stateDict(*model)) {
        const auto it = tensors.find(name);
        if (it == tensors.end())
            throw FileError(file, "weights for \"" + name + "\" are missing (truncated checkpoint?)");
        if (it->second.sizes() != target.sizes()) {
            throw FileError(file, "\"" + name + "\" has shape " + shapeString(it->second) + " but " +
                                      card.architecture + " with " + std::to_string(card.classes.size()) +
                                      " classes needs " + shapeString(target));
        }
        target.copy_(it->second);
        tensors.erase(it);
    }
    if (!tensors.empty())
        throw FileError(file,
                        "unexpected weights \"" + tensors.begin()->first + "\" for " + card.architecture);
    model->eval();
    if (card.targetLayer.empty() || !model->hasTargetLayer(card.targetLayer))
        card.targetLayer = model->defaultTargetLayer();
    return {std::move(card), std::move(model)};
}

}  // namespace saliency::models
