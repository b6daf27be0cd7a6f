#pragma once
// Trains a zoo model on a data set split (DESIGN.md sections 5, 8, 9): device chosen
// automatically, optional frozen backbone, Adam or SGD with a learning-rate schedule, early
// stopping on the validation loss, the best model kept as a checkpoint with its model card,
// cancellable between batches, resumable, deterministic on the CPU for a given seed.
// No LibTorch in this header: the GUI's worker and the CLI call it as is.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "training/EvaluationReport.h"
#include "training/TrainConfig.h"

namespace saliency {

// After every training batch. Epochs and batches count from 1.
struct TrainProgress {
    int epoch = 0;
    int epochs = 0;
    std::int64_t batch = 0;        // batches done in this epoch
    std::int64_t batches = 0;      // training batches per epoch
    double loss = 0.0;             // mean training loss of this epoch so far
    double accuracy = 0.0;         // training accuracy of this epoch so far
    double imagesPerSecond = 0.0;  // training throughput of this epoch so far
    double etaSeconds = 0.0;       // to the end of the last epoch (validation passes included)
};

struct EpochResult {
    int epoch = 0;  // from 1
    double trainLoss = 0.0;
    double trainAccuracy = 0.0;
    bool hasValidation = false;  // false: the split has no validation part (the values are 0)
    double validationLoss = 0.0;
    double validationAccuracy = 0.0;
    double learningRate = 0.0;
    double seconds = 0.0;          // the whole epoch, validation included
    double imagesPerSecond = 0.0;  // training images / training time
    bool improved = false;         // the best so far: the checkpoint was written after it
};

struct TrainResult {
    std::vector<EpochResult> history;  // every epoch run, those before a resume included
    int bestEpoch = 0;                 // 0: none completed
    double bestLoss = 0.0;             // the validation (or, without one, training) loss of bestEpoch
    bool cancelled = false;            // stopped between batches; the last good checkpoint is untouched
    bool stoppedEarly = false;         // patience ran out
    bool resumed = false;              // continued from "<output>.state"
    std::string device;                // "cpu (2 threads)", "cuda:0"
    std::int64_t trainImages = 0, validationImages = 0, testImages = 0;
    // The best model on the split's test part (absent when the split has none or the run was cancelled).
    std::optional<EvaluationResult> test;
    std::filesystem::path checkpoint;  // written (empty when config.output is empty or no epoch completed)
};

// For the GUI's live curves. Called on the training thread: an implementation forwards through
// queued signals. Exceptions must not leave it.
class TrainingObserver {
  public:
    virtual ~TrainingObserver() = default;
    virtual void batchDone(const TrainProgress& progress) {}
    virtual void epochDone(const EpochResult& epoch) {}
};

// Trains config.architecture on split.train, validates after each epoch on split.validation and
// evaluates the best model on split.test. The class count is the data set's.
//  - progress: start("Training ...", epochs * batches), update after every batch with a detail
//    line (epoch, batch, loss, accuracy, images/s, ETA); update returning false cancels: the run
//    stops before the next batch and returns with cancelled = true (no exception).
//  - With config.output: the checkpoint is written whenever the monitored loss improves, and
//    "<output>.state" (model, optimiser, history) after every epoch; both atomically, so a kill
//    or a cancel leaves the previous ones intact. config.resume continues from the state and ends
//    with the same weights as an uninterrupted run (on the CPU).
// Throws Error / FileError for a bad configuration, an empty training part, unreadable weights or
// images, or a failed write; the GUI's worker catches them.
TrainResult train(const Dataset& dataset, const Split& split, const TrainConfig& config, Progress& progress,
                  TrainingObserver* observer = nullptr);

// "epoch 2/10  batch 5/12  loss 0.4123  acc 81.2%  37.5 img/s  ETA 1:02"
std::string describe(const TrainProgress& progress);

}  // namespace saliency
