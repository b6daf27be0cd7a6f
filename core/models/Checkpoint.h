#pragma once
// A checkpoint is one file: the model's weights and its model card, readable from Python too:
//   ckpt = torch.load("model.pt"); ckpt["state_dict"], json.loads(ckpt["model_card"])
// A copy of the card is written beside it as "<file>.json" for people (ignored on load).
// Writes go to a temporary file that is renamed over the target, so a kill never leaves a
// broken checkpoint and the previous one survives until the new one is complete.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/Classifier.h"

namespace saliency::models {

struct ModelCard {
    std::string architecture;          // "resnet50", ...
    std::vector<std::string> classes;  // in label order
    int inputSize = 224;               // square input, pixels
    std::string channelOrder = "RGB";
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
    std::string targetLayer;                             // default layer for CAM / Grad-CAM
    nlohmann::json training = nlohmann::json::object();  // configuration: epochs, lr, optimiser, seed, ...
    nlohmann::json metrics = nlohmann::json::object();   // e.g. {"test": {"accuracy": 0.97, ...}}
    std::string datasetFingerprint;
    std::string weightsSource;  // imported torchvision file, or "random init"
    std::string command;        // the command line that produced it, for reproduction
    std::string created;        // ISO 8601 UTC
    nlohmann::json versions = nlohmann::json::object();  // saliency-studio, libtorch, opencv

    nlohmann::json toJson() const;
    static ModelCard fromJson(const nlohmann::json& json);  // throws Error naming the missing field
};

struct Checkpoint {
    ModelCard card;
    Classifier model;  // on the CPU, in eval mode
};

// Throws FileError (cannot write, disk full); the target is untouched then.
void saveCheckpoint(const std::filesystem::path& file, ClassifierImpl& model, const ModelCard& card);

// Throws FileError with a clear reason: not a checkpoint (e.g. a torchvision weights file: use
// import instead), truncated, unknown architecture, class count or tensor shapes that do not match
// the card.
Checkpoint loadCheckpoint(const std::filesystem::path& file);

// Only the card (cheap: no model is built), for model panels and `model-info`.
ModelCard readModelCard(const std::filesystem::path& file);

}  // namespace saliency::models
