#pragma once
// What a resume needs, beside the checkpoint as "<checkpoint>.state": the model's parameters and
// buffers, the optimiser's state (Adam's moments, SGD's momentum buffers) and a JSON record of the
// run (configuration, epochs done, history, best loss). A torch::serialize archive, written to a
// temporary file and renamed, so a kill leaves the previous state whole.
#include <filesystem>
#include <functional>

#include <c10/core/Device.h>
#include <torch/optim/optimizer.h>
#include <nlohmann/json.hpp>

#include "models/Classifier.h"

namespace saliency {

// Throws FileError when the file cannot be written (the previous one is then untouched).
void saveTrainingState(const std::filesystem::path& file, const models::ClassifierImpl& model,
                       const torch::optim::Optimizer& optimiser, const nlohmann::json& record);

// Loads the weights into `model` and the state into `optimiser` (built as for the saved run, on
// `device`) and returns the record. `check`, when given, sees the record before any tensor is
// loaded and throws to refuse it (e.g. a run with another configuration). Throws FileError for a
// missing, truncated or foreign file or one whose tensors do not fit the model.
nlohmann::json loadTrainingState(const std::filesystem::path& file, models::ClassifierImpl& model,
                                 torch::optim::Optimizer& optimiser, const c10::Device& device,
                                 const std::function<void(const nlohmann::json&)>& check = {});

}  // namespace saliency
