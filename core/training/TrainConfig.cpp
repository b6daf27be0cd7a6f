#include "training/TrainConfig.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include "common/Error.h"

namespace saliency {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void require(bool ok, const std::string& message) {
    if (!ok)
        throw Error("training configuration: " + message);
}

}  // namespace

std::string toString(OptimiserKind kind) {
    return kind == OptimiserKind::Adam ? "adam" : "sgd";
}

std::string toString(LrSchedule schedule) {
    switch (schedule) {
        case LrSchedule::Step:
            return "step";
        case LrSchedule::Cosine:
            return "cosine";
        case LrSchedule::None:
            break;
    }
    return "none";
}

std::string toString(DeviceChoice device) {
    switch (device) {
        case DeviceChoice::Cpu:
            return "cpu";
        case DeviceChoice::Cuda:
            return "cuda";
        case DeviceChoice::Auto:
            break;
    }
    return "auto";
}

OptimiserKind parseOptimiser(const std::string& name) {
    const auto s = lower(name);
    if (s == "adam")
        return OptimiserKind::Adam;
    if (s == "sgd")
        return OptimiserKind::Sgd;
    throw Error("unknown optimiser \"" + name + "\" (choose adam or sgd)");
}

LrSchedule parseSchedule(const std::string& name) {
    const auto s = lower(name);
    if (s == "none" || s == "constant")
        return LrSchedule::None;
    if (s == "step")
        return LrSchedule::Step;
    if (s == "cosine")
        return LrSchedule::Cosine;
    throw Error("unknown learning-rate schedule \"" + name + "\" (choose none, step or cosine)");
}

DeviceChoice parseDevice(const std::string& name) {
    const auto s = lower(name);
    if (s == "auto")
        return DeviceChoice::Auto;
    if (s == "cpu")
        return DeviceChoice::Cpu;
    if (s == "cuda" || s == "gpu")
        return DeviceChoice::Cuda;
    throw Error("unknown device \"" + name + "\" (choose auto, cpu or cuda)");
}

void validate(const TrainConfig& c) {
    require(!c.architecture.empty(), "no architecture given");
    require(c.epochs >= 1, "epochs must be at least 1, got " + std::to_string(c.epochs));
    require(c.batchSize >= 1, "batch size must be at least 1, got " + std::to_string(c.batchSize));
    require(std::isfinite(c.learningRate) && c.learningRate >= 0.0,
            "the learning rate must be a finite number >= 0, got " + std::to_string(c.learningRate));
    require(c.momentum >= 0.0 && c.momentum < 1.0,
            "momentum must lie in [0, 1), got " + std::to_string(c.momentum));
    require(c.weightDecay >= 0.0, "weight decay must be >= 0, got " + std::to_string(c.weightDecay));
    require(c.stepSize >= 1, "the step schedule's step size must be at least 1 epoch");
    require(c.gamma > 0.0, "the step schedule's gamma must be positive");
    require(c.imageSize >= 8 && c.imageSize <= 4096,
            "image size must lie in [8, 4096], got " + std::to_string(c.imageSize));
    require(c.patience >= 0, "patience must be >= 0 (0 turns early stopping off)");
    require(c.minDelta >= 0.0, "min delta must be >= 0");
    require(c.threads >= 0, "threads must be >= 0 (0: all cores)");
    require(c.prefetch >= 0, "prefetch must be >= 0");
    require(!c.resume || !c.output.empty(), "resuming needs the output checkpoint path (its .state file)");
}

double scheduledLearningRate(const TrainConfig& c, int epoch) {
    switch (c.schedule) {
        case LrSchedule::Step:
            return c.learningRate * std::pow(c.gamma, epoch / c.stepSize);
        case LrSchedule::Cosine:
            return c.learningRate * (1.0 + std::cos(std::numbers::pi * epoch / std::max(1, c.epochs))) / 2.0;
        case LrSchedule::None:
            break;
    }
    return c.learningRate;
}

Normalisation effectiveNormalisation(const TrainConfig& c) {
    return c.normalisation.value_or(Normalisation::imagenet());
}

nlohmann::json toJson(const TrainConfig& c) {
    const Normalisation norm = effectiveNormalisation(c);
    nlohmann::json j;
    j["architecture"] = c.architecture;
    j["weights"] = c.weights.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.weights.string());
    j["freeze_backbone"] = c.freezeBackbone;
    j["epochs"] = c.epochs;
    j["batch_size"] = c.batchSize;
    j["learning_rate"] = c.learningRate;
    j["optimiser"] = toString(c.optimiser);
    if (c.optimiser == OptimiserKind::Sgd)
        j["momentum"] = c.momentum;
    j["weight_decay"] = c.weightDecay;
    j["schedule"] = toString(c.schedule);
    if (c.schedule == LrSchedule::Step) {
        j["step_size"] = c.stepSize;
        j["gamma"] = c.gamma;
    }
    j["image_size"] = c.imageSize;
    j["augment"] = c.augment.enabled ? nlohmann::json{{"flip_probability", c.augment.flipProbability},
                                                      {"max_rotation_degrees", c.augment.maxRotationDegrees},
                                                      {"brightness", c.augment.brightness},
                                                      {"contrast", c.augment.contrast}}
                                     : nlohmann::json(false);
    j["dropout"] = c.dropout ? nlohmann::json(*c.dropout) : nlohmann::json(nullptr);
    j["normalisation"] = {{"mean", norm.mean}, {"std", norm.std}};
    j["device"] = toString(c.device);
    j["seed"] = c.seed;
    j["patience"] = c.patience;
    if (c.patience > 0)
        j["min_delta"] = c.minDelta;
    return j;
}

TrainConfig trainConfigFromJson(const nlohmann::json& j) {
    TrainConfig c;
    try {
        c.architecture = j.value("architecture", c.architecture);
        if (j.contains("weights") && j["weights"].is_string())
            c.weights = j["weights"].get<std::string>();
        c.freezeBackbone = j.value("freeze_backbone", c.freezeBackbone);
        c.epochs = j.value("epochs", c.epochs);
        c.batchSize = j.value("batch_size", c.batchSize);
        c.learningRate = j.value("learning_rate", c.learningRate);
        c.optimiser = parseOptimiser(j.value("optimiser", toString(c.optimiser)));
        c.momentum = j.value("momentum", c.momentum);
        c.weightDecay = j.value("weight_decay", c.weightDecay);
        c.schedule = parseSchedule(j.value("schedule", toString(c.schedule)));
        c.stepSize = j.value("step_size", c.stepSize);
        c.gamma = j.value("gamma", c.gamma);
        c.imageSize = j.value("image_size", c.imageSize);
        if (j.contains("augment")) {
            const auto& a = j["augment"];
            c.augment.enabled = !a.is_boolean() || a.get<bool>();
            if (a.is_object()) {
                c.augment.flipProbability = a.value("flip_probability", c.augment.flipProbability);
                c.augment.maxRotationDegrees = a.value("max_rotation_degrees", c.augment.maxRotationDegrees);
                c.augment.brightness = a.value("brightness", c.augment.brightness);
                c.augment.contrast = a.value("contrast", c.augment.contrast);
            }
        }
        if (j.contains("dropout") && j["dropout"].is_number())
            c.dropout = j["dropout"].get<double>();
        if (j.contains("normalisation") && j["normalisation"].is_object()) {
            Normalisation n;
            n.mean = j["normalisation"].at("mean").get<decltype(n.mean)>();
            n.std = j["normalisation"].at("std").get<decltype(n.std)>();
            c.normalisation = n;
        }
        c.seed = j.value("seed", c.seed);
        c.patience = j.value("patience", c.patience);
        c.minDelta = j.value("min_delta", c.minDelta);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("the training record is not as expected: ") + e.what());
    }
    return c;
}

std::filesystem::path trainingStatePath(const std::filesystem::path& checkpoint) {
    auto p = checkpoint;
    p += ".state";
    return p;
}

}  // namespace saliency
