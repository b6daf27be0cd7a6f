#include "study/StudyReport.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "common/Error.h"
#include "study/AgreementTables.h"
#include "study/CsvTable.h"
#include "study/GroundTruth.h"
#include "study/MetricTables.h"
#include "study/ReportText.h"
#include "study/SeedTables.h"

namespace fs = std::filesystem;

namespace saliency::study {

namespace {

// ---- CSV tables ----

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
    CsvTable table(concat(concat(concat({"model", "method", "scans_with_mask", "scans_with_reader_box",
                                         "scans_with_reader_point"},
                                        summaryHeader("mask_iou")),
                                 {"pointing_hits", "pointing_played", "pointing_rate"}),
                          summaryHeader("energy_inside")));
    for (const auto& r : s.modelMethods) {
        table.addRow(concat(
            concat(concat({r.model, r.method, csvCount(r.withMask), csvCount(r.withBox), csvCount(r.withPoint)},
                          summaryCells(r.maskIou)),
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

void markdownOverview(std::ostringstream& md, const StudyStatistics& s) {
    md << "# Saliency study report\n\n";
    md << "- Project: " << markdownCode(s.projectFile) << " (schema version " << s.info.schemaVersion
       << ")\n";
    md << "- Data set: " << markdownCode(s.info.dataRoot.value_or("(none yet)")) << "\n";
    md << "- Scans: " << s.scans << "; maps: " << s.maps << "; map pairs: " << s.pairs
       << "; annotations: " << s.annotations << "\n";
    if (s.judgedBy)
        md << "- Verdicts counted: annotator " << markdownText(annotatorLabel(*s.judgedBy))
           << "'s only (the agreement between annotators compares everyone's)\n";
    md << "- Regions for IoU and area: binarised at " << metrics::describe(s.info.binarisation)
       << " of each map normalised to [0,1] (guided maps: absolute maximum over channels). Centres of mass "
          "and their distances are in image-size units (0 to 1.414). Mean ± sample standard deviation (n); "
          "undefined values (IoU of two empty regions, a map without a centre) are left out and counted.\n\n";
    md << "## Networks\n\n";
    markdownHeader(md, {"network", "architecture", "checkpoint"});
    for (const auto& m : s.models)
        markdownRow(md, {m.name, m.architecture, m.checkpointPath});
    md << "\n";
}

// "24 masks", "20 masks, 3 reader boxes, 1 reader click", "none".
std::string groundTruthText(const ModelMethodStatistics& r) {
    std::string out;
    const auto add = [&out](std::size_t n, const char* one, const char* many) {
        if (n > 0)
            out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
    };
    add(r.withMask, "mask", "masks");
    add(r.withBox, "reader box", "reader boxes");
    add(r.withPoint, "reader click", "reader clicks");
    return out.empty() ? "none" : out;
}

void markdownMaps(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Maps per network and method\n\n";
    markdownHeader(md, {"network", "method", "non-empty maps", "correct predictions", "region area",
                        "judged correct (radiologist)"});
    for (const auto& r : s.modelMethods) {
        markdownRow(md, {r.model, methodLabel(r.method),
                         r.available ? shareText(r.nonEmpty, r.available) : "unavailable",
                         shareText(r.correctPredictions, r.predictions), summaryText(r.regionArea),
                         shareText(r.judgedCorrect, r.judgedCorrect + r.judgedIncorrect)});
    }
    md << "\n## Agreement with the tumour masks\n\n";
    if (s.scansWithLesionMark > 0) {
        md << "Where a scan has no mask, the lesion as readers marked it is the ground truth: the union of "
              "their boxes (IoU, pointing game, energy inside), else their clicks on its centre (pointing game "
              "only, the peak within "
           << fixed(100.0 * kPointTolerance, 1)
           << "% of the map's shorter side). The ground truth column says which each row's numbers used.\n\n";
    }
    markdownHeader(md, {"network", "method", "ground truth", "IoU", "pointing game", "energy inside"});
    for (const auto& r : s.modelMethods) {
        markdownRow(md, {r.model, methodLabel(r.method), groundTruthText(r), summaryText(r.maskIou),
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
    markdownHeader(md, {models ? "method" : "network", models ? "network A" : "method A",
                        models ? "network B" : "method B", "IoU", "centre-of-mass distance"});
    for (const auto& r : rows) {
        markdownRow(md, {models ? methodLabel(r.group) : r.group, models ? r.first : methodLabel(r.first),
                         models ? r.second : methodLabel(r.second), summaryText(r.iou),
                         summaryText(r.centreDistance)});
    }
    md << "\n";
}

// The charts as images, by their path relative to report.md.
void markdownCharts(std::ostringstream& md, const fs::path& folder, const std::vector<fs::path>& charts) {
    if (charts.empty())
        return;
    md << "## Charts\n\n";
    for (const auto& chart : charts) {
        const std::string relative = chart.lexically_relative(folder).generic_string();
        md << "![" << chart.stem().string() << "](" << relative << ")\n\n";
    }
}

std::string markdown(const StudyStatistics& s, const fs::path& folder, const std::vector<fs::path>& charts) {
    std::ostringstream md;
    markdownOverview(md, s);
    md << seedTablesMarkdown(seedTables(s));
    markdownMaps(md, s);
    markdownPairs(md, s.modelPairs, true);
    markdownPairs(md, s.methodPairs, false);
    md << metricFamiliesMarkdown(s);
    md << annotatorAgreementMarkdown(s);
    markdownCharts(md, folder, charts);
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

nlohmann::json thresholdRatesJson(const std::vector<ModelMethodStatistics::ThresholdRate>& rates) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : rates)
        out.push_back({{"threshold", t.threshold}, {"hits", t.hits}, {"maps", t.maps}});
    return out;
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
              {"scans_with_reader_box", r.withBox},
              {"scans_with_reader_point", r.withPoint},
              {"iou", summaryJson(r.maskIou)},
              {"pointing_hits", r.pointingHits},
              {"pointing_played", r.pointingPlayed},
              {"pointing_rate", optionalJson(r.pointingRate())},
              {"energy_inside", summaryJson(r.energyInside)}}},
            {"complexity",
             {{"sparseness", summaryJson(r.sparseness)}, {"effective_complexity", summaryJson(r.effectiveComplexity)}}},
            {"localisation",
             {{"relevance_mass_accuracy", summaryJson(r.energyInside)},
              {"relevance_rank_accuracy", summaryJson(r.rankAccuracy)},
              {"top_k_intersection", summaryJson(r.topKIntersection)},
              {"hit_rates", thresholdRatesJson(r.thresholdRates)}}},
            {"faithfulness",
             {{"deletion_auc", summaryJson(r.deletionAuc)},
              {"insertion_auc", summaryJson(r.insertionAuc)},
              {"faithfulness_correlation", summaryJson(r.faithfulnessCorrelation)},
              {"road_morf", summaryJson(r.roadMorf)},
              {"road_lerf", summaryJson(r.roadLerf)}}},
            {"robustness",
             {{"max_sensitivity", summaryJson(r.maxSensitivity)},
              {"average_sensitivity", summaryJson(r.averageSensitivity)}}},
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

nlohmann::json kappaJson(const std::optional<metrics::KappaEstimate>& k) {
    if (!k)
        return nullptr;
    return {{"kappa", k->kappa},
            {"expected_agreement", k->expected},
            {"standard_error", k->standardError},
            {"ci_low", k->low},
            {"ci_high", k->high}};
}

nlohmann::json intraReaderJson(const std::vector<IntraReaderAgreement>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json kappa = nullptr;
        if (r.kappa)
            kappa = {{"value", r.kappa->kappa}, {"low", r.kappa->low}, {"high", r.kappa->high}};
        out.push_back({{"study", r.study}, {"reader", r.reader}, {"repeats", r.repeats}, {"same", r.same},
                       {"kappa", kappa}});
    }
    return out;
}

nlohmann::json groupJson(const std::optional<metrics::AgreementEstimate>& e) {
    if (!e)
        return nullptr;
    return {{"maps", e->units},
            {"judgements", e->values},
            {"value", e->value},
            {"ci_low", e->low},
            {"ci_high", e->high}};
}

nlohmann::json agreementJson(const std::vector<AnnotatorAgreement>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        out.push_back({{"first_annotator", r.first},
                       {"second_annotator", r.second},
                       {"model", r.model},
                       {"method", r.method},
                       {"maps", r.maps},
                       {"agreed", r.agreed},
                       {"observed_agreement", optionalJson(r.observedAgreement())},
                       {"kappa", kappaJson(r.kappa)},
                       {"table", r.table}});
    }
    return out;
}

nlohmann::json seedPairsJson(const std::vector<SeedPairRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        out.push_back({{"first", r.first},
                       {"second", r.second},
                       {"cam", summaryJson(r.cam)},
                       {"gradcam", summaryJson(r.gradCam)}});
    }
    return out;
}

nlohmann::json seedJson(const SeedTables& t) {
    nlohmann::json judged = nlohmann::json::array();
    for (const auto& r : t.judgedCorrect) {
        judged.push_back({{"network", r.network},
                          {"cell", r.cell()},
                          {"correct", r.correct},
                          {"judged", r.judged},
                          {"unsure", r.unsure},
                          {"share", optionalJson(r.share())}});
    }
    return {{"judged_correct_gradcam", judged},
            {"iou", seedPairsJson(t.iou)},
            {"centre_distance", seedPairsJson(t.centreDistance)}};
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
            {"judged_by", s.judgedBy ? nlohmann::json(*s.judgedBy) : nlohmann::json(nullptr)},
            {"models", models},
            {"model_method", modelMethods},
            {"model_pairs", pairsJson(s.modelPairs, "method")},
            {"method_pairs", pairsJson(s.methodPairs, "model")},
            {"seed_tables", seedJson(seedTables(s))},
            {"annotators", s.annotators},
            {"annotator_agreement", agreementJson(s.annotatorAgreement)},
            {"fleiss_kappa", groupJson(s.fleissKappa)},
            {"krippendorff_alpha", groupJson(s.krippendorffAlpha)},
            {"intra_reader", intraReaderJson(s.intraReader)}};
}

}  // namespace

std::vector<fs::path> writeReport(const StudyStatistics& statistics, const fs::path& folder,
                                  const std::vector<fs::path>& charts) {
    auto written = writeReportFiles(
        folder, {
                    {"model_method.csv", modelMethodTable(statistics).text()},
                    {"mask_agreement.csv", maskTable(statistics).text()},
                    {"model_pairs.csv", pairTable(statistics.modelPairs, "method", "model").text()},
                    {"method_pairs.csv", pairTable(statistics.methodPairs, "model", "method").text()},
                    {"annotator_agreement.csv", annotatorAgreementCsv(statistics).text()},
                    {"metrics.csv", metricFamiliesTable(statistics).text()},
                    {"hit_rates.csv", thresholdHitTable(statistics).text()},
                });
    for (const auto& file : writeSeedTables(seedTables(statistics), folder))
        written.push_back(file);
    for (const auto& file : writeReportFiles(
             folder,
             {
                 {"report.md", markdown(statistics, folder, charts)},
                 {"report.json",
                  reportJson(statistics).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                      "\n"},
             }))
        written.push_back(file);
    return written;
}

}  // namespace saliency::study
