#include "study/StudyReport.h"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "saliency/Method.h"
#include "study/CsvTable.h"

namespace fs = std::filesystem;

namespace saliency::study {

namespace {

// ---- CSV tables ----

std::vector<std::string> summaryHeader(const std::string& name) {
    return {name + "_mean", name + "_std", name + "_n", name + "_undefined"};
}

std::vector<std::string> summaryCells(const metrics::Summary& s) {
    return {csvNumber(s.mean), csvNumber(s.stdDev), csvCount(s.n), csvCount(s.nUndefined)};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

CsvTable modelMethodTable(const StudyStatistics& s) {
    CsvTable table(concat(concat({"model", "architecture", "method", "maps", "available", "non_empty",
                                  "non_empty_share", "predictions", "correct_predictions", "correct_share"},
                                 summaryHeader("region_area")),
                          {"judged_correct", "judged_incorrect", "judged_unsure", "judged_correct_share"}));
    for (const auto& r : s.modelMethods) {
        table.addRow(
            concat(concat({r.model, r.architecture, r.method, csvCount(r.maps), csvCount(r.available),
                           csvCount(r.nonEmpty), csvNumber(r.nonEmptyShare()), csvCount(r.predictions),
                           csvCount(r.correctPredictions), csvNumber(r.correctShare())},
                          summaryCells(r.regionArea)),
                   {csvCount(r.judgedCorrect), csvCount(r.judgedIncorrect), csvCount(r.judgedUnsure),
                    csvNumber(r.judgedCorrectShare())}));
    }
    return table;
}

CsvTable maskTable(const StudyStatistics& s) {
    CsvTable table(concat(concat(concat({"model", "method", "scans_with_mask"}, summaryHeader("mask_iou")),
                                 {"pointing_hits", "pointing_played", "pointing_rate"}),
                          summaryHeader("energy_inside")));
    for (const auto& r : s.modelMethods) {
        table.addRow(concat(
            concat(concat({r.model, r.method, csvCount(r.withMask)}, summaryCells(r.maskIou)),
                   {csvCount(r.pointingHits), csvCount(r.pointingPlayed), csvNumber(r.pointingRate())}),
            summaryCells(r.energyInside)));
    }
    return table;
}

CsvTable pairTable(const std::vector<PairStatistics>& rows, const std::string& group,
                   const std::string& item) {
    CsvTable table(concat(concat({group, "first_" + item, "second_" + item}, summaryHeader("iou")),
                          summaryHeader("centre_distance")));
    for (const auto& r : rows) {
        table.addRow(concat(concat({r.group, r.first, r.second}, summaryCells(r.iou)),
                            summaryCells(r.centreDistance)));
    }
    return table;
}

// ---- Markdown ----

std::string fixed(double value, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

// "0.612 ± 0.134 (n=54, 2 undefined)"; "–" when nothing is defined.
std::string summaryText(const metrics::Summary& s) {
    if (!s.mean)
        return s.nUndefined ? "– (" + std::to_string(s.nUndefined) + " undefined)" : "–";
    std::string text = fixed(*s.mean, 3);
    if (s.stdDev)
        text += " ± " + fixed(*s.stdDev, 3);
    text += " (n=" + std::to_string(s.n);
    if (s.nUndefined)
        text += ", " + std::to_string(s.nUndefined) + " undefined";
    return text + ")";
}

// "96.7% (58/60)"; "–" for 0 of 0.
std::string shareText(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return "–";
    return fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "% (" +
           std::to_string(part) + "/" + std::to_string(whole) + ")";
}

std::string methodLabel(const std::string& name) {
    const auto method = explain::parseMethod(name);
    return method ? explain::methodTitle(*method) : name;
}

void tableRow(std::ostringstream& md, const std::vector<std::string>& cells) {
    md << "|";
    for (const auto& c : cells)
        md << " " << c << " |";
    md << "\n";
}

void tableHeader(std::ostringstream& md, const std::vector<std::string>& cells) {
    tableRow(md, cells);
    md << "|";
    for (std::size_t i = 0; i < cells.size(); ++i)
        md << "---|";
    md << "\n";
}

void markdownOverview(std::ostringstream& md, const StudyStatistics& s) {
    md << "# Saliency study report\n\n";
    md << "- Project: `" << s.projectFile << "` (schema version " << s.info.schemaVersion << ")\n";
    md << "- Data set: `" << s.info.dataRoot.value_or("(none yet)") << "`\n";
    md << "- Scans: " << s.scans << "; maps: " << s.maps << "; map pairs: " << s.pairs
       << "; annotations: " << s.annotations << "\n";
    md << "- Regions for IoU and area: binarised at " << metrics::describe(s.info.binarisation)
       << " of each map normalised to [0,1] (guided maps: absolute maximum over channels). Centres of mass "
          "and their distances are in image-size units (0 to 1.414). Mean ± sample standard deviation (n); "
          "undefined values (IoU of two empty regions, a map without a centre) are left out and counted.\n\n";
    md << "## Networks\n\n";
    tableHeader(md, {"network", "architecture", "checkpoint"});
    for (const auto& m : s.models)
        tableRow(md, {m.name, m.architecture, "`" + m.checkpointPath + "`"});
    md << "\n";
}

void markdownMaps(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Maps per network and method\n\n";
    tableHeader(md, {"network", "method", "non-empty maps", "correct predictions", "region area",
                     "judged correct (radiologist)"});
    for (const auto& r : s.modelMethods) {
        tableRow(md, {r.model, methodLabel(r.method),
                      r.available ? shareText(r.nonEmpty, r.available) : "unavailable",
                      shareText(r.correctPredictions, r.predictions), summaryText(r.regionArea),
                      shareText(r.judgedCorrect, r.judgedCorrect + r.judgedIncorrect)});
    }
    md << "\n## Agreement with the tumour masks\n\n";
    tableHeader(md, {"network", "method", "scans with a mask", "IoU", "pointing game", "energy inside"});
    for (const auto& r : s.modelMethods) {
        tableRow(md, {r.model, methodLabel(r.method), std::to_string(r.withMask), summaryText(r.maskIou),
                      shareText(r.pointingHits, r.pointingPlayed), summaryText(r.energyInside)});
    }
    md << "\n";
}

void markdownPairs(std::ostringstream& md, const std::vector<PairStatistics>& rows, bool models) {
    md << (models ? "## Pairs of networks, per method\n\n" : "## Pairs of methods, per network\n\n");
    if (rows.empty()) {
        md << (models ? "No pairs: the study has one network.\n\n"
                      : "No pairs: the study has one method.\n\n");
        return;
    }
    tableHeader(md, {models ? "method" : "network", models ? "network A" : "method A",
                     models ? "network B" : "method B", "IoU", "centre-of-mass distance"});
    for (const auto& r : rows) {
        tableRow(md, {models ? methodLabel(r.group) : r.group, models ? r.first : methodLabel(r.first),
                      models ? r.second : methodLabel(r.second), summaryText(r.iou),
                      summaryText(r.centreDistance)});
    }
    md << "\n";
}

std::string markdown(const StudyStatistics& s) {
    std::ostringstream md;
    markdownOverview(md, s);
    markdownMaps(md, s);
    markdownPairs(md, s.modelPairs, true);
    markdownPairs(md, s.methodPairs, false);
    return md.str();
}

// ---- JSON ----

nlohmann::json optionalJson(std::optional<double> value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json summaryJson(const metrics::Summary& s) {
    return {{"n", s.n},
            {"undefined", s.nUndefined},
            {"mean", optionalJson(s.mean)},
            {"std", optionalJson(s.stdDev)},
            {"min", optionalJson(s.min)},
            {"max", optionalJson(s.max)}};
}

nlohmann::json modelMethodJson(const ModelMethodStatistics& r) {
    return {{"model", r.model},
            {"architecture", r.architecture},
            {"method", r.method},
            {"maps", r.maps},
            {"available", r.available},
            {"non_empty", r.nonEmpty},
            {"non_empty_share", optionalJson(r.nonEmptyShare())},
            {"predictions", r.predictions},
            {"correct_predictions", r.correctPredictions},
            {"correct_share", optionalJson(r.correctShare())},
            {"region_area", summaryJson(r.regionArea)},
            {"mask",
             {{"scans", r.withMask},
              {"iou", summaryJson(r.maskIou)},
              {"pointing_hits", r.pointingHits},
              {"pointing_played", r.pointingPlayed},
              {"pointing_rate", optionalJson(r.pointingRate())},
              {"energy_inside", summaryJson(r.energyInside)}}},
            {"judged",
             {{"correct", r.judgedCorrect},
              {"incorrect", r.judgedIncorrect},
              {"unsure", r.judgedUnsure},
              {"correct_share", optionalJson(r.judgedCorrectShare())}}}};
}

nlohmann::json pairsJson(const std::vector<PairStatistics>& rows, const char* group) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        out.push_back({{group, r.group},
                       {"first", r.first},
                       {"second", r.second},
                       {"iou", summaryJson(r.iou)},
                       {"centre_distance", summaryJson(r.centreDistance)}});
    }
    return out;
}

nlohmann::json reportJson(const StudyStatistics& s) {
    nlohmann::json models = nlohmann::json::array();
    for (const auto& m : s.models)
        models.push_back(
            {{"name", m.name}, {"architecture", m.architecture}, {"checkpoint", m.checkpointPath}});
    nlohmann::json modelMethods = nlohmann::json::array();
    for (const auto& r : s.modelMethods)
        modelMethods.push_back(modelMethodJson(r));
    return {{"format", "saliency-studio-report"},
            {"version", 1},
            {"project", s.projectFile},
            {"schema_version", s.info.schemaVersion},
            {"data_root", s.info.dataRoot ? nlohmann::json(*s.info.dataRoot) : nlohmann::json(nullptr)},
            {"binarisation", metrics::describe(s.info.binarisation)},
            {"scans", s.scans},
            {"maps", s.maps},
            {"pairs", s.pairs},
            {"annotations", s.annotations},
            {"models", models},
            {"model_method", modelMethods},
            {"model_pairs", pairsJson(s.modelPairs, "method")},
            {"method_pairs", pairsJson(s.methodPairs, "model")}};
}

}  // namespace

std::vector<fs::path> writeReport(const StudyStatistics& statistics, const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        throw FileError(folder, "cannot create the report folder: " + ec.message());
    const std::vector<std::pair<std::string, std::string>> files = {
        {"model_method.csv", modelMethodTable(statistics).text()},
        {"mask_agreement.csv", maskTable(statistics).text()},
        {"model_pairs.csv", pairTable(statistics.modelPairs, "method", "model").text()},
        {"method_pairs.csv", pairTable(statistics.methodPairs, "model", "method").text()},
        {"report.md", markdown(statistics)},
        {"report.json", reportJson(statistics).dump(2) + "\n"},
    };
    std::vector<fs::path> written;
    for (const auto& [name, text] : files) {
        writeFileAtomically(folder / name, text);
        written.push_back(folder / name);
    }
    return written;
}

}  // namespace saliency::study
