#pragma once
// Classification metrics from per-image class probabilities: accuracy, per-class precision,
// recall and F1, the confusion matrix, and one-vs-rest ROC curves with their area.
#include <cstdint>
#include <string>
#include <vector>

namespace saliency {

struct ConfusionMatrix {
    int classes = 0;
    std::vector<std::int64_t> counts;  // row = true class, column = predicted class
    std::int64_t at(int actual, int predicted) const {
        return counts[static_cast<size_t>(actual) * static_cast<size_t>(classes) +
                      static_cast<size_t>(predicted)];
    }
};

struct ClassMetrics {
    double precision = 0.0;  // 0 when nothing was predicted as this class (reported, not NaN)
    double recall = 0.0;
    double f1 = 0.0;
    std::int64_t support = 0;  // images whose true class this is
};

struct RocCurve {
    std::vector<double> falsePositiveRate;  // from 0 to 1
    std::vector<double> truePositiveRate;
    std::vector<double> thresholds;  // score at each point (descending; first is +infinity)
    double auc = 0.0;                // trapezoidal; equals the Mann-Whitney U statistic / (P*N)
    bool defined = false;            // false when the data has only positives or only negatives
};

struct Evaluation {
    std::int64_t images = 0;
    double accuracy = 0.0;
    ConfusionMatrix confusion;
    std::vector<ClassMetrics> perClass;
    double macroF1 = 0.0;
    std::vector<RocCurve> roc;  // one-vs-rest, one per class
};

// labels[i] in [0, classes); probabilities[i] has `classes` values (softmax of the logits).
// The prediction is the argmax (the first on ties). Throws Error on inconsistent input.
Evaluation evaluateClassifier(const std::vector<int>& labels,
                              const std::vector<std::vector<float>>& probabilities, int classes);

// ROC of scores against binary truth; ties in score move diagonally (the standard convention).
RocCurve rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive);

}  // namespace saliency
