#include "training/Evaluation.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "common/Error.h"

namespace saliency {

namespace {

int argmax(const std::vector<float>& values) {
    return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

double ratio(std::int64_t a, std::int64_t b) {
    return b > 0 ? double(a) / double(b) : 0.0;
}

}  // namespace

RocCurve rocCurve(const std::vector<double>& scores, const std::vector<bool>& positive) {
    if (scores.size() != positive.size())
        throw Error("ROC: scores and labels differ in length");
    RocCurve roc;
    const auto p = static_cast<std::int64_t>(std::count(positive.begin(), positive.end(), true));
    const auto n = static_cast<std::int64_t>(positive.size()) - p;
    roc.defined = p > 0 && n > 0;
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });

    roc.falsePositiveRate.push_back(0.0);
    roc.truePositiveRate.push_back(0.0);
    roc.thresholds.push_back(std::numeric_limits<double>::infinity());
    std::int64_t tp = 0, fp = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        positive[order[i]] ? ++tp : ++fp;
        // One point per distinct score: tied scores are one step, drawn as a diagonal.
        if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]])
            continue;
        roc.falsePositiveRate.push_back(ratio(fp, n));
        roc.truePositiveRate.push_back(ratio(tp, p));
        roc.thresholds.push_back(scores[order[i]]);
    }
    for (size_t i = 1; i < roc.falsePositiveRate.size(); ++i) {
        roc.auc += (roc.falsePositiveRate[i] - roc.falsePositiveRate[i - 1]) *
                   (roc.truePositiveRate[i] + roc.truePositiveRate[i - 1]) / 2.0;
    }
    if (!roc.defined)
        roc.auc = 0.0;
    return roc;
}

Evaluation evaluateClassifier(const std::vector<int>& labels,
                              const std::vector<std::vector<float>>& probabilities, int classes) {
    if (classes < 1)
        throw Error("evaluation needs at least one class");
    if (labels.size() != probabilities.size())
        throw Error("evaluation: labels and predictions differ in length");
    Evaluation e;
    e.images = static_cast<std::int64_t>(labels.size());
    e.confusion.classes = classes;
    e.confusion.counts.assign(static_cast<size_t>(classes) * static_cast<size_t>(classes), 0);
    std::int64_t correct = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= classes)
            throw Error("evaluation: label out of range");
        if (static_cast<int>(probabilities[i].size()) != classes)
            throw Error("evaluation: wrong number of probabilities");
        const int predicted = argmax(probabilities[i]);
        ++e.confusion.counts[static_cast<size_t>(labels[i]) * static_cast<size_t>(classes) +
                             static_cast<size_t>(predicted)];
        correct += predicted == labels[i];
    }
    e.accuracy = ratio(correct, e.images);

    for (int c = 0; c < classes; ++c) {
        ClassMetrics m;
        std::int64_t predictedAsC = 0;
        for (int a = 0; a < classes; ++a) {
            predictedAsC += e.confusion.at(a, c);
            m.support += e.confusion.at(c, a);
        }
        const std::int64_t tp = e.confusion.at(c, c);
        m.precision = ratio(tp, predictedAsC);
        m.recall = ratio(tp, m.support);
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
        e.macroF1 += m.f1 / classes;
        e.perClass.push_back(m);

        std::vector<double> scores;
        std::vector<bool> positive;
        for (size_t i = 0; i < labels.size(); ++i) {
            scores.push_back(probabilities[i][static_cast<size_t>(c)]);
            positive.push_back(labels[i] == c);
        }
        e.roc.push_back(rocCurve(scores, positive));
    }
    return e;
}

}  // namespace saliency
