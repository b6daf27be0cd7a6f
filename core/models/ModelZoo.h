#pragma once
// The model zoo: every architecture by name, built with the common head (DESIGN.md section 5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/Classifier.h"

namespace saliency::models {

struct ModelOptions {
    std::int64_t numClasses = 2;
    std::optional<double> dropout;      // empty: the architecture's default
    std::optional<std::uint64_t> seed;  // set: torch::manual_seed(seed) before initialisation
};

// "cnn4", "vgg16", "resnet50", "efficientnet-b0" .. "efficientnet-b7".
std::vector<std::string> architectures();
// Accepts the names above (also "efficientnet_b0" spellings, any case); empty when unknown.
std::optional<std::string> canonicalArchitecture(const std::string& name);

// A new model on the CPU in training mode, randomly initialised as torchvision initialises it.
// Throws saliency::Error for an unknown architecture (the message lists the known ones).
Classifier makeModel(const std::string& architecture, const ModelOptions& options = {});
Classifier makeModel(const std::string& architecture, std::int64_t numClasses);

}  // namespace saliency::models
