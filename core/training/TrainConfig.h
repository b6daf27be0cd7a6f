#pragma once
// What a training run is asked to do: model, optimiser, schedule, data pipeline, device, seed,
// early stopping and where the best checkpoint goes. No LibTorch here: the GUI fills it in.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "data/Augment.h"
#include "data/Preprocess.h"

namespace saliency {

enum class OptimiserKind { Adam, Sgd };
enum class LrSchedule { None, Step, Cosine };
enum class DeviceChoice { Auto, Cpu, Cuda };

struct TrainConfig {
    std::string architecture = "cnn4";  // a zoo name (models/ModelZoo.h)
    // A torchvision weights file to import before training (transfer learning); empty: random init.
    std::filesystem::path weights;
    // Train the head only: the backbone's parameters get requires_grad false and its BatchNorm
    // layers stay in eval mode (running statistics frozen), as Keras and most fine-tuning recipes do.
    bool freezeBackbone = false;

    int epochs = 10;
    int batchSize = 16;
    double learningRate = 1e-3;
    OptimiserKind optimiser = OptimiserKind::Adam;
    double momentum = 0.9;     // SGD only
    double weightDecay = 0.0;  // L2 added to the gradient (both optimisers, as torch.optim does)
    // The learning rate of epoch e (0-based): None: lr; Step: lr * gamma^(e / stepSize);
    // Cosine: lr * (1 + cos(pi * e / epochs)) / 2 (torch's CosineAnnealingLR, T_max = epochs, eta_min 0).
    LrSchedule schedule = LrSchedule::None;
    int stepSize = 5;
    double gamma = 0.1;

    int imageSize = 150;
    AugmentOptions augment;         // training images only; validation and test never
    std::optional<double> dropout;  // empty: the architecture's default
    // Empty: ImageNet's mean/std for every architecture. For torchvision imports it is required;
    // for cnn4 trained from scratch it is a choice (its first conv is followed by BatchNorm, so the
    // scale hardly matters): one pipeline for all models lets a study feed every model the same
    // tensors. The model card records what was used.
    std::optional<Normalisation> normalisation;

    DeviceChoice device = DeviceChoice::Auto;  // Auto: CUDA when available, else the CPU
    int threads = 0;         // CPU threads; 0: all the cores this process may use (set once per process)
    int prefetch = 2;        // batches decoded ahead on a worker thread
    std::uint64_t seed = 0;  // model initialisation, shuffling, augmentation, dropout

    // Early stopping on the validation loss: stop after `patience` epochs without an improvement
    // of more than minDelta; 0 = off. Without a validation part the training loss is watched.
    int patience = 0;
    double minDelta = 0.0;

    // The best model (lowest validation loss) as a checkpoint with its model card; empty: none is
    // written. Beside it "<output>.state" holds what a resume needs (written after every epoch).
    std::filesystem::path output;
    // Continue from "<output>.state"; throws if there is none or if the run differs in anything
    // but epochs, patience, minDelta and device (so a finished run can be given more epochs).
    bool resume = false;

    std::string command;  // the command line, recorded in the model card
};

std::string toString(OptimiserKind kind);   // "adam", "sgd"
std::string toString(LrSchedule schedule);  // "none", "step", "cosine"
std::string toString(DeviceChoice device);  // "auto", "cpu", "cuda"
// Parse the names above (any case); throw Error listing the valid ones.
OptimiserKind parseOptimiser(const std::string& name);
LrSchedule parseSchedule(const std::string& name);
DeviceChoice parseDevice(const std::string& name);

// Checks ranges (epochs, batch size, learning rate, ...) and throws Error naming the bad value.
void validate(const TrainConfig& config);

// The learning rate of `epoch` (0-based) under the schedule.
double scheduledLearningRate(const TrainConfig& config, int epoch);

// The normalisation the run uses (config.normalisation or ImageNet's).
Normalisation effectiveNormalisation(const TrainConfig& config);

// Everything that defines the run, for the model card and the resume check.
nlohmann::json toJson(const TrainConfig& config);
// The inverse, for continuing a run from its checkpoint's card ("training"): keys that are missing
// keep their defaults; the device is Auto (the card records the device that was resolved, not the
// choice). Throws Error for a value of the wrong type or an unknown optimiser or schedule.
TrainConfig trainConfigFromJson(const nlohmann::json& training);

std::filesystem::path trainingStatePath(const std::filesystem::path& checkpoint);  // "<checkpoint>.state"

// True when this LibTorch build sees a CUDA device: the GUI offers CUDA only then (defined in
// Device.cpp, so this header stays free of LibTorch).
bool cudaAvailable();

}  // namespace saliency
