#pragma once
// The result of running a model over part of a data set: the metrics (training/Evaluation.h),
// the mean loss and one prediction per image, written as CSV or JSON. No LibTorch here.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/Evaluation.h"

namespace saliency {

struct ImagePrediction {
    std::filesystem::path file;  // relative to the data set root
    int trueClass = -1;
    int predictedClass = -1;           // argmax of the probabilities (the first on ties)
    std::vector<float> probabilities;  // softmax, one per class
    bool correct() const { return trueClass == predictedClass; }
};

struct EvaluationResult {
    Evaluation evaluation;
    double loss = 0.0;                         // mean cross-entropy
    std::vector<ImagePrediction> predictions;  // in the order of the indices given
};

// Columns: file, true_class, predicted_class, p_<class> per class, correct (1/0). Class names,
// quoted as RFC 4180 asks when they hold a comma or a quote. Atomic write; throws FileError.
void writePredictionsCsv(const std::filesystem::path& file, const std::vector<ImagePrediction>& predictions,
                         const std::vector<std::string>& classes);

// {"images", "accuracy", "macro_f1", "loss", "per_class": {name: {precision, recall, f1, support, auc}},
//  "confusion": [[...]] (row = true class), "roc": {name: {"fpr", "tpr", "auc"}}} for model cards and --json.
nlohmann::json toJson(const EvaluationResult& result, const std::vector<std::string>& classes,
                      bool withRoc = true);

}  // namespace saliency
