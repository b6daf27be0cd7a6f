#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "common/Error.h"
#include "data/Split.h"
#include "training/Trainer.h"

namespace saliency::cli {

namespace {

// One line per epoch on stdout, so logs keep the curve even when stderr has only the bar.
class EpochPrinter final : public TrainingObserver {
  public:
    void epochDone(const EpochResult& e) override {
        std::cout << "epoch " << e.epoch << ": train loss " << std::fixed << std::setprecision(4)
                  << e.trainLoss << " acc " << std::setprecision(1) << 100.0 * e.trainAccuracy << "%";
        if (e.hasValidation) {
            std::cout << "  val loss " << std::setprecision(4) << e.validationLoss << " acc "
                      << std::setprecision(1) << 100.0 * e.validationAccuracy << "%";
        }
        std::cout << "  " << std::setprecision(1) << e.imagesPerSecond << " img/s  " << std::setprecision(1)
                  << e.seconds << " s" << (e.improved ? "  (best, saved)" : "") << std::endl;
    }
};

// The split: a saved one (--split), else a new stratified one saved beside the checkpoint.
Split chooseSplit(const Dataset& dataset, const std::optional<std::string>& splitFile, std::uint64_t seed,
                  const std::filesystem::path& out) {
    if (splitFile) {
        Split split = loadSplit(*splitFile);
        if (!split.datasetFingerprint.empty() && split.datasetFingerprint != dataset.fingerprint())
            std::cerr << "warning: " << *splitFile << " was made for another version of the data set\n";
        return split;
    }
    Split split = makeStratifiedSplit(dataset, {}, seed);
    std::filesystem::path file = out;
    file += ".split.json";
    saveSplit(split, file);
    return split;
}

}  // namespace

int runTrain(const std::vector<std::string>& args, const std::string& commandLine) {
    Arguments a(args, {"freeze-backbone", "resume", "no-augment", "json"});
    const std::filesystem::path data = a.required("data");
    const std::filesystem::path out = a.required("out");
    TrainConfig config;
    config.architecture = a.required("arch");
    config.weights = a.value("weights").value_or("");
    config.freezeBackbone = a.flag("freeze-backbone");
    config.epochs = a.integer("epochs", 10, 1, 10000);
    config.batchSize = a.integer("batch", 16, 1, 4096);
    config.learningRate = a.real("lr", 1e-3, 0.0, 10.0);
    config.optimiser = parseOptimiser(a.value("optimiser").value_or("adam"));
    config.schedule = parseSchedule(a.value("schedule").value_or("none"));
    config.imageSize = a.integer("image-size", 150, 16, 2048);
    config.device = parseDevice(a.value("device").value_or("auto"));
    config.seed = a.unsignedInteger("seed", 1);
    config.patience = a.integer("patience", 0, 0, 10000);
    config.threads = a.integer("threads", 0, 0, 1024);
    config.augment.enabled = !a.flag("no-augment");
    config.resume = a.flag("resume");
    config.output = out;
    config.command = commandLine;
    const auto splitFile = a.value("split");
    const bool json = a.flag("json");
    a.rejectUnused();
    validate(config);

    ConsoleProgress progress(std::cerr, stderrIsTerminal());
    const Dataset dataset = scanDataset(data, {}, &progress);
    if (dataset.items.empty())
        throw Error(data.string() + ": no readable image to train on");
    if (!dataset.skipped.empty())
        std::cerr << "note: " << dataset.skipped.size() << " unreadable file(s) skipped\n";
    const Split split = chooseSplit(dataset, splitFile, config.seed, out);

    EpochPrinter printer;
    const TrainResult result = train(dataset, split, config, progress, &printer);
    std::cout << "device " << result.device << "; " << result.trainImages << " train, "
              << result.validationImages << " validation, " << result.testImages << " test images\n";
    if (result.cancelled)
        std::cout << "cancelled; the last good checkpoint is kept\n";
    if (result.stoppedEarly)
        std::cout << "stopped early: no improvement for " << config.patience << " epoch(s)\n";
    if (result.bestEpoch > 0)
        std::cout << "best epoch " << result.bestEpoch << " -> " << result.checkpoint.string() << "\n";
    if (result.test) {
        const auto& e = result.test->evaluation;
        std::cout << "test accuracy " << std::fixed << std::setprecision(2) << 100.0 * e.accuracy
                  << "% (macro F1 " << std::setprecision(3) << e.macroF1 << ", " << e.images << " images)\n";
        if (json)
            std::cout << toJson(*result.test, dataset.classes, false).dump(2) << "\n";
    }
    return result.cancelled ? 1 : 0;
}

}  // namespace saliency::cli
