#include <iomanip>
#include <iostream>

#include <c10/core/Device.h>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "cli/ModelArguments.h"
#include "common/Error.h"
#include "data/Split.h"
#include "models/TorchThreads.h"
#include "training/ModelEvaluation.h"

namespace saliency::cli {

namespace {

std::vector<int> chooseImages(const Dataset& dataset, const std::optional<std::string>& splitFile,
                              const std::string& part) {
    if (!splitFile) {
        if (part != "all")
            throw UsageError("--part needs --split FILE");
        std::vector<int> all(dataset.items.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<int>(i);
        return all;
    }
    const Split split = loadSplit(*splitFile);
    if (part == "train")
        return splitIndices(dataset, split.train);
    if (part == "validation")
        return splitIndices(dataset, split.validation);
    if (part == "test")
        return splitIndices(dataset, split.test);
    throw UsageError("--part must be train, validation or test (got '" + part + "')");
}

void printText(const EvaluationResult& r, const std::vector<std::string>& classes) {
    const auto& e = r.evaluation;
    std::cout << "images " << e.images << "  accuracy " << std::fixed << std::setprecision(2)
              << 100.0 * e.accuracy << "%  macro F1 " << std::setprecision(3) << e.macroF1 << "  loss "
              << std::setprecision(4) << r.loss << "\n";
    std::cout << "class                precision  recall     F1   AUC  support\n";
    for (size_t c = 0; c < classes.size(); ++c) {
        const auto& m = e.perClass[c];
        std::cout << std::left << std::setw(20) << classes[c] << std::right << std::setprecision(3)
                  << std::setw(11) << m.precision << std::setw(8) << m.recall << std::setw(7) << m.f1
                  << std::setw(6) << e.roc[c].auc << std::setw(9) << m.support << "\n";
    }
    std::cout << "confusion (rows: true class, columns: predicted)\n";
    for (int a = 0; a < e.confusion.classes; ++a) {
        std::cout << "  " << std::left << std::setw(20) << classes[static_cast<size_t>(a)] << std::right;
        for (int p = 0; p < e.confusion.classes; ++p)
            std::cout << std::setw(7) << e.confusion.at(a, p);
        std::cout << "\n";
    }
}

}  // namespace

int runEvaluate(const std::vector<std::string>& args) {
    Arguments a(args, {"json"});
    const std::filesystem::path data = a.required("data");
    const auto splitFile = a.value("split");
    const std::string part = a.value("part").value_or(splitFile ? "test" : "all");
    const auto csv = a.value("csv");
    const bool json = a.flag("json");
    models::configureTorchThreads();
    LoadedModel loaded = loadModelFromArguments(a);
    a.rejectUnused();

    const Dataset dataset = scanDataset(data);
    if (dataset.classes != loaded.card.classes) {
        std::string names;
        for (const auto& c : loaded.card.classes)
            names += (names.empty() ? "" : ", ") + c;
        throw Error("the model's classes (" + names + ") are not the data set's class folders");
    }
    const std::vector<int> images = chooseImages(dataset, splitFile, part);
    ConsoleProgress progress(std::cerr, stderrIsTerminal() && !json);
    NullProgress quiet;
    const EvaluationResult result =
        evaluate(*loaded.model, dataset, images, loaded.card.inputSize,
                 Normalisation{loaded.card.mean, loaded.card.std}, c10::Device(c10::DeviceType::CPU),
                 json ? static_cast<Progress*>(&quiet) : &progress);
    if (csv)
        writePredictionsCsv(*csv, result.predictions, dataset.classes);
    if (json) {
        std::cout << toJson(result, dataset.classes).dump(2) << "\n";
    } else {
        printText(result, dataset.classes);
        if (csv)
            std::cout << "per-image predictions: " << *csv << "\n";
    }
    return 0;
}

}  // namespace saliency::cli
