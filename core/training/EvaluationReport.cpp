#include "training/EvaluationReport.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/AtomicFile.h"
#include "common/Csv.h"
#include "common/Error.h"

namespace saliency {

namespace fs = std::filesystem;

namespace {

std::string className(const std::vector<std::string>& classes, int index) {
    if (index >= 0 && index < static_cast<int>(classes.size()))
        return classes[static_cast<size_t>(index)];
    return std::to_string(index);
}

}  // namespace

void writePredictionsCsv(const fs::path& file, const std::vector<ImagePrediction>& predictions,
                         const std::vector<std::string>& classes) {
    std::ostringstream out;
    out.precision(6);
    out << "file,true_class,predicted_class";
    for (const auto& c : classes)
        out << ',' << csvField("p_" + c);
    out << ",correct\n";
    for (const auto& p : predictions) {
        if (p.probabilities.size() != classes.size())
            throw Error("predictions CSV: an image has " + std::to_string(p.probabilities.size()) +
                        " probabilities for " + std::to_string(classes.size()) + " classes");
        out << csvField(p.file.generic_string()) << ',' << csvField(className(classes, p.trueClass)) << ','
            << csvField(className(classes, p.predictedClass));
        for (const float v : p.probabilities)
            out << ',' << v;
        out << ',' << (p.correct() ? 1 : 0) << '\n';
    }
    const std::string text = out.str();

    writeFileAtomically(file, text);
}

nlohmann::json toJson(const EvaluationResult& result, const std::vector<std::string>& classes, bool withRoc) {
    const Evaluation& e = result.evaluation;
    nlohmann::json j;
    j["images"] = e.images;
    j["accuracy"] = e.accuracy;
    j["macro_f1"] = e.macroF1;
    j["loss"] = result.loss;
    nlohmann::json perClass = nlohmann::json::object();
    for (size_t c = 0; c < e.perClass.size(); ++c) {
        const auto& m = e.perClass[c];
        nlohmann::json entry{
            {"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"support", m.support}};
        if (c < e.roc.size() && e.roc[c].defined)
            entry["auc"] = e.roc[c].auc;
        perClass[className(classes, static_cast<int>(c))] = entry;
    }
    j["per_class"] = perClass;
    nlohmann::json confusion = nlohmann::json::array();
    for (int a = 0; a < e.confusion.classes; ++a) {
        nlohmann::json row = nlohmann::json::array();
        for (int p = 0; p < e.confusion.classes; ++p)
            row.push_back(e.confusion.at(a, p));
        confusion.push_back(row);
    }
    j["confusion"] = confusion;
    if (withRoc) {
        nlohmann::json roc = nlohmann::json::object();
        for (size_t c = 0; c < e.roc.size(); ++c) {
            if (!e.roc[c].defined)
                continue;
            roc[className(classes, static_cast<int>(c))] = {{"fpr", e.roc[c].falsePositiveRate},
                                                            {"tpr", e.roc[c].truePositiveRate},
                                                            {"auc", e.roc[c].auc}};
        }
        j["roc"] = roc;
    }
    return j;
}

}  // namespace saliency
