#include "training/Trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/utils.h>

#include "common/Error.h"
#include "data/BatchLoader.h"
#include "data/Random.h"
#include "models/Checkpoint.h"
#include "models/ModelZoo.h"
#include "models/WeightImport.h"
#include "training/Device.h"
#include "training/ModelEvaluation.h"
#include "training/Optimiser.h"
#include "training/TrainStep.h"
#include "training/TrainingState.h"

namespace saliency {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

json toJson(const EpochResult& e) {
    json j{{"epoch", e.epoch},
           {"train_loss", e.trainLoss},
           {"train_accuracy", e.trainAccuracy},
           {"learning_rate", e.learningRate},
           {"seconds", e.seconds},
           {"images_per_second", e.imagesPerSecond},
           {"improved", e.improved}};
    if (e.hasValidation) {
        j["validation_loss"] = e.validationLoss;
        j["validation_accuracy"] = e.validationAccuracy;
    }
    return j;
}

EpochResult epochFromJson(const json& j) {
    EpochResult e;
    e.epoch = j.at("epoch").get<int>();
    e.trainLoss = j.at("train_loss").get<double>();
    e.trainAccuracy = j.at("train_accuracy").get<double>();
    e.learningRate = j.at("learning_rate").get<double>();
    e.seconds = j.value("seconds", 0.0);
    e.imagesPerSecond = j.value("images_per_second", 0.0);
    e.improved = j.value("improved", false);
    e.hasValidation = j.contains("validation_loss");
    if (e.hasValidation) {
        e.validationLoss = j.at("validation_loss").get<double>();
        e.validationAccuracy = j.at("validation_accuracy").get<double>();
    }
    return e;
}

// What must not change between a run and its resume: all of the configuration but the epoch
// count, early stopping and the device.
json resumeIdentity(const TrainConfig& config) {
    json j = toJson(config);
    for (const char* key : {"epochs", "patience", "min_delta", "device"})
        j.erase(key);
    return j;
}

std::string clock(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return "?";
    const auto s = static_cast<long long>(std::llround(seconds));
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld", s / 60, s % 60);
    return buffer;
}

models::TensorDict cloneToCpu(const models::ClassifierImpl& model) {
    models::TensorDict copy;
    for (const auto& [name, tensor] : models::stateDict(model))
        copy.emplace_back(name, tensor.detach().to(at::kCPU).clone());
    return copy;
}

void loadInto(models::ClassifierImpl& model, const models::TensorDict& weights) {
    torch::NoGradGuard noGrad;
    auto target = models::stateDict(model);
    if (target.size() != weights.size())
        throw Error("internal: the best weights do not fit the model");
    for (size_t i = 0; i < target.size(); ++i)
        target[i].second.copy_(weights[i].second);
}

// The model card of the checkpoint: everything needed to use and to reproduce the model.
models::ModelCard makeCard(const Dataset& dataset, const Split& split, const TrainConfig& config,
                           const models::ClassifierImpl& model, const std::string& architecture,
                           const std::string& weightsSource, const std::string& device,
                           const std::string& fingerprint) {
    models::ModelCard card;
    card.architecture = architecture;
    card.classes = dataset.classes;
    card.inputSize = config.imageSize;
    const Normalisation norm = effectiveNormalisation(config);
    card.mean = norm.mean;
    card.std = norm.std;
    card.targetLayer = model.defaultTargetLayer();
    card.training = toJson(config);
    card.training["architecture"] = architecture;
    card.training["device"] = device;
    card.training["split"] = {{"seed", split.seed},
                              {"train", split.train.size()},
                              {"validation", split.validation.size()},
                              {"test", split.test.size()}};
    card.datasetFingerprint = fingerprint;
    card.weightsSource = weightsSource;
    card.command = config.command;
    return card;
}

json epochMetrics(const EpochResult& e) {
    json m{{"epoch", e.epoch}, {"train", {{"loss", e.trainLoss}, {"accuracy", e.trainAccuracy}}}};
    if (e.hasValidation)
        m["validation"] = {{"loss", e.validationLoss}, {"accuracy", e.validationAccuracy}};
    return m;
}

}  // namespace

std::string describe(const TrainProgress& p) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer,
                  "epoch %d/%d  batch %lld/%lld  loss %.4f  acc %.1f%%  %.1f img/s  ETA %s", p.epoch,
                  p.epochs, static_cast<long long>(p.batch), static_cast<long long>(p.batches), p.loss,
                  100.0 * p.accuracy, p.imagesPerSecond, clock(p.etaSeconds).c_str());
    return buffer;
}

TrainResult train(const Dataset& dataset, const Split& split, const TrainConfig& config, Progress& progress,
                  TrainingObserver* observer) {
    validate(config);
    const auto architecture = models::canonicalArchitecture(config.architecture);
    if (!architecture) {
        std::string known;
        for (const auto& name : models::architectures())
            known += (known.empty() ? "" : ", ") + name;
        throw Error("unknown architecture \"" + config.architecture + "\" (known: " + known + ")");
    }
    const auto numClasses = static_cast<std::int64_t>(dataset.classes.size());
    if (numClasses < 2)
        throw Error("training needs at least two classes, the data set has " + std::to_string(numClasses));
    const std::vector<int> trainIndices = splitIndices(dataset, split.train);
    const std::vector<int> validationIndices = splitIndices(dataset, split.validation);
    const std::vector<int> testIndices = splitIndices(dataset, split.test);
    if (trainIndices.empty())
        throw Error("the split has no training images");
    const std::string fingerprint = dataset.fingerprint();
    if (!split.datasetFingerprint.empty() && split.datasetFingerprint != fingerprint)
        throw Error("the split was made for another data set (its fingerprint differs): make a new split");

    TrainResult result;
    result.trainImages = static_cast<std::int64_t>(trainIndices.size());
    result.validationImages = static_cast<std::int64_t>(validationIndices.size());
    result.testImages = static_cast<std::int64_t>(testIndices.size());
    const c10::Device device = resolveDevice(config.device, config.threads);
    result.device = describeDevice(device);

    // The model: seeded initialisation, optional import, optional freeze.
    models::ModelOptions modelOptions;
    modelOptions.numClasses = numClasses;
    modelOptions.dropout = config.dropout;
    modelOptions.seed = config.seed;
    models::Classifier model = models::makeModel(*architecture, modelOptions);
    std::string weightsSource = "random init";
    if (!config.weights.empty()) {
        if (!config.resume)
            models::importTorchvisionWeights(*model, config.weights);  // a resume loads its state
        weightsSource = config.weights.string();
    }
    if (config.freezeBackbone)
        model->setBackboneTrainable(false);
    model->to(device);
    // On the CPU, NHWC weights and inputs let oneDNN skip layout conversions (TrainStep.h).
    const bool channelsLast = device.is_cpu();
    if (channelsLast)
        useChannelsLast(*model);
    const auto optimiser = makeOptimiser(model->parameters(), config);

    const Normalisation normalisation = effectiveNormalisation(config);
    const fs::path statePath = config.output.empty() ? fs::path() : trainingStatePath(config.output);
    models::ModelCard card =
        makeCard(dataset, split, config, *model, *architecture, weightsSource, result.device, fingerprint);

    int startEpoch = 0;
    int sinceImprovement = 0;
    double bestLoss = std::numeric_limits<double>::infinity();
    models::TensorDict bestWeights;
    if (config.resume) {
        // Refused before any tensor is loaded, with the reason rather than a shape error.
        auto sameRun = [&](const json& saved) {
            std::vector<std::string> differs;
            const json before = saved.value("config", json::object());
            const json now = resumeIdentity(config);
            for (const auto& [key, value] : now.items())
                if (!before.contains(key) || before.at(key) != value)
                    differs.push_back(key);
            if (saved.value("dataset_fingerprint", "") != fingerprint)
                differs.emplace_back("data set");
            if (saved.value("classes", json::array()) != json(dataset.classes))
                differs.emplace_back("classes");
            if (differs.empty())
                return;
            std::string list;
            for (const auto& d : differs)
                list += (list.empty() ? "" : ", ") + d;
            throw Error("cannot resume from " + statePath.string() + ": the run differs in " + list +
                        " (start a new run instead)");
        };
        const json record = loadTrainingState(statePath, *model, *optimiser, device, sameRun);
        if (channelsLast)
            useChannelsLast(*model);  // whatever layout the file kept
        try {  // a damaged or hand-edited state file: say so rather than throw nlohmann's error
            for (const auto& e : record.at("history"))
                result.history.push_back(epochFromJson(e));
            startEpoch = record.at("epochs_done").get<int>();
            result.bestEpoch = record.value("best_epoch", 0);
            if (result.bestEpoch > 0)
                bestLoss = record.at("best_loss").get<double>();
            sinceImprovement = record.value("epochs_without_improvement", 0);
            result.stoppedEarly = record.value("stopped_early", false);
        } catch (const json::exception& e) {
            throw Error("cannot resume from " + statePath.string() + ": damaged training state (" +
                        e.what() + ")");
        }
        if (result.bestEpoch > 0) {
            // The best weights live in the checkpoint; the state holds the latest ones.
            const auto best = models::loadCheckpoint(config.output);
            bestWeights = cloneToCpu(*best.model);
            if (!result.history.empty() && result.bestEpoch <= static_cast<int>(result.history.size()))
                card.metrics = epochMetrics(result.history[static_cast<size_t>(result.bestEpoch - 1)]);
        }
        result.resumed = true;
    }

    const auto batchSize = config.batchSize;
    // Validation and test passes: no augmentation, the run's size, normalisation and layout.
    const auto evaluationOptions = [&] {
        return EvaluateOptions{.imageSize = config.imageSize,
                               .normalisation = normalisation,
                               .device = device,
                               .batchSize = batchSize,
                               .prefetch = config.prefetch,
                               .channelsLast = channelsLast};
    };
    const auto trainCount = static_cast<std::int64_t>(trainIndices.size());
    // A last batch of one image breaks BatchNorm's batch statistics where a feature map is 1x1: drop it.
    const bool dropLast = trainCount > 1 && trainCount % batchSize == 1;
    const std::int64_t batches = dropLast ? trainCount / batchSize : (trainCount + batchSize - 1) / batchSize;
    const std::int64_t total = static_cast<std::int64_t>(config.epochs) * batches;

    ProgressScope scope(progress, "Training " + *architecture, total);
    double lastValidationSeconds = -1.0;
    for (int epoch = startEpoch; epoch < config.epochs && !result.stoppedEarly && !result.cancelled;
         ++epoch) {
        const auto epochStart = Clock::now();
        // Dropout's stream per epoch: a resumed run draws what the uninterrupted one drew.
        torch::manual_seed(Rng::mix(config.seed, static_cast<std::uint64_t>(epoch) + 1));
        EpochResult er;
        er.epoch = epoch + 1;
        er.learningRate = scheduledLearningRate(config, epoch);
        setLearningRate(*optimiser, er.learningRate);

        BatchLoader loader(dataset, trainIndices,
                           BatchOptions{.batchSize = batchSize,
                                        .imageSize = config.imageSize,
                                        .normalisation = normalisation,
                                        .augment = config.augment,
                                        .shuffle = true,
                                        .dropLast = dropLast,
                                        .seed = config.seed,
                                        .epoch = epoch,
                                        .prefetch = config.prefetch});
        setTrainingMode(*model, config.freezeBackbone);
        double lossSum = 0.0;
        std::int64_t correct = 0, seen = 0, batch = 0;
        while (auto b = loader.next()) {
            const at::Tensor images = channelsLast ? toChannelsLast(b->images) : b->images.to(device);
            const StepResult step = trainStep(*model, *optimiser, images, b->labels.to(device));
            lossSum += step.loss * static_cast<double>(step.images);
            correct += step.correct;
            seen += step.images;
            ++batch;

            TrainProgress p;
            p.epoch = epoch + 1;
            p.epochs = config.epochs;
            p.batch = batch;
            p.batches = batches;
            p.loss = lossSum / static_cast<double>(seen);
            p.accuracy = static_cast<double>(correct) / static_cast<double>(seen);
            const double trainSeconds = secondsSince(epochStart);
            p.imagesPerSecond = trainSeconds > 0 ? static_cast<double>(seen) / trainSeconds : 0.0;
            const double perBatch = trainSeconds / static_cast<double>(batch);
            const double remainingBatches =
                static_cast<double>(batches - batch) +
                static_cast<double>(config.epochs - epoch - 1) * static_cast<double>(batches);
            double validationSeconds = lastValidationSeconds;
            if (validationSeconds <
                0)  // not measured yet: inference is about three times faster than training
                validationSeconds =
                    static_cast<double>(validationIndices.size()) / std::max(1e-9, 3.0 * p.imagesPerSecond);
            p.etaSeconds =
                remainingBatches * perBatch + static_cast<double>(config.epochs - epoch) * validationSeconds;
            if (observer)
                observer->batchDone(p);
            if (!scope.update(static_cast<std::int64_t>(epoch) * batches + batch, describe(p))) {
                result.cancelled = true;
                break;
            }
        }
        if (result.cancelled)
            break;
        const double trainSeconds = secondsSince(epochStart);
        er.trainLoss = lossSum / static_cast<double>(std::max<std::int64_t>(1, seen));
        er.trainAccuracy =
            static_cast<double>(correct) / static_cast<double>(std::max<std::int64_t>(1, seen));
        er.imagesPerSecond = trainSeconds > 0 ? static_cast<double>(seen) / trainSeconds : 0.0;

        if (!validationIndices.empty()) {
            const auto validationStart = Clock::now();
            const std::int64_t done = static_cast<std::int64_t>(epoch + 1) * batches;
            EvaluateOptions options = evaluationOptions();
            options.onBatch = [&](std::int64_t v, std::int64_t vs) {
                return scope.update(done, "epoch " + std::to_string(epoch + 1) + "/" +
                                              std::to_string(config.epochs) + "  validating " +
                                              std::to_string(v) + "/" + std::to_string(vs));
            };
            try {
                const EvaluationResult v = evaluate(*model, dataset, validationIndices, options);
                er.hasValidation = true;
                er.validationLoss = v.loss;
                er.validationAccuracy = v.evaluation.accuracy;
            } catch (const Cancelled&) {
                result.cancelled = true;
                break;
            }
            lastValidationSeconds = secondsSince(validationStart);
        }

        const double monitored = er.hasValidation ? er.validationLoss : er.trainLoss;
        er.improved = std::isfinite(monitored) && monitored < bestLoss - config.minDelta;
        if (er.improved) {
            bestLoss = monitored;
            result.bestEpoch = er.epoch;
            sinceImprovement = 0;
            bestWeights = cloneToCpu(*model);
            card.metrics = epochMetrics(er);
            if (!config.output.empty())
                models::saveCheckpoint(config.output, *model, card);
        } else {
            ++sinceImprovement;
            result.stoppedEarly = config.patience > 0 && sinceImprovement >= config.patience;
        }
        er.seconds = secondsSince(epochStart);
        result.history.push_back(er);

        if (!statePath.empty()) {
            json history = json::array();
            for (const auto& h : result.history)
                history.push_back(toJson(h));
            const json record{{"config", resumeIdentity(config)},
                              {"classes", dataset.classes},
                              {"dataset_fingerprint", fingerprint},
                              {"epochs_done", epoch + 1},
                              {"history", history},
                              {"best_epoch", result.bestEpoch},
                              {"best_loss", result.bestEpoch > 0 ? json(bestLoss) : json(nullptr)},
                              {"epochs_without_improvement", sinceImprovement},
                              {"stopped_early", result.stoppedEarly}};
            saveTrainingState(statePath, *model, *optimiser, record);
        }
        if (observer)
            observer->epochDone(er);
    }
    result.bestLoss = result.bestEpoch > 0 ? bestLoss : 0.0;
    if (result.bestEpoch > 0 && !config.output.empty())
        result.checkpoint = config.output;
    if (result.cancelled)
        return result;

    // The best model on the test part; its metrics go into the checkpoint's card.
    if (result.bestEpoch > 0)
        loadInto(*model, bestWeights);
    if (!testIndices.empty()) {
        EvaluateOptions options = evaluationOptions();
        options.onBatch = [&](std::int64_t v, std::int64_t vs) {
            return scope.update(total, "testing " + std::to_string(v) + "/" + std::to_string(vs));
        };
        try {
            result.test = evaluate(*model, dataset, testIndices, options);
        } catch (const Cancelled&) {
            result.cancelled = true;
            return result;
        }
        if (result.bestEpoch > 0 && !config.output.empty()) {
            card.metrics["test"] = toJson(*result.test, dataset.classes, /*withRoc=*/false);
            models::saveCheckpoint(config.output, *model, card);
        }
    }
    return result;
}

}  // namespace saliency
