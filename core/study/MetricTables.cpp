#include "study/MetricTables.h"

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "study/MapStatistics.h"
#include "study/ReportText.h"

namespace saliency::study {

namespace {

std::string percent(double share) {
    return fixed(100.0 * share, 1) + "%";
}

// "Otsu: 12.5% (1/8)": the threshold where the share of hits is highest (the first of equals).
std::string bestThreshold(const ModelMethodStatistics& r) {
    const ModelMethodStatistics::ThresholdRate* best = nullptr;
    for (const auto& t : r.thresholdRates) {
        if (t.maps == 0)
            continue;
        if (!best || t.hits * best->maps > best->hits * t.maps)
            best = &t;
    }
    return best ? best->threshold + ": " + shareText(best->hits, best->maps) : "–";
}

std::string rateAt(const ModelMethodStatistics& r, const std::string& threshold) {
    for (const auto& t : r.thresholdRates)
        if (t.threshold == threshold)
            return shareText(t.hits, t.maps);
    return "–";
}

void complexity(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Complexity\n\n"
          "How concentrated each map is, over every available map: sparseness is the Gini index of the "
          "map's values (0 uniform, near 1 a single pixel; higher reads more easily), effective complexity "
          "the share of pixels above 1e-5 (lower: fewer pixels carry relevance).\n\n";
    markdownHeader(md, {"network", "method", "sparseness (Gini)", "effective complexity"});
    for (const auto& r : s.modelMethods)
        markdownRow(md, {r.model, methodLabel(r.method), summaryText(r.sparseness), summaryText(r.effectiveComplexity)});
    md << "\n";
}

void localisation(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Localisation beyond IoU\n\n"
          "Against the tumour mask, or a reader's box where a scan has none (a click has no extent, so it "
          "counts in the pointing game only). Relevance mass accuracy is the map's share inside (the "
          "energy inside above); relevance rank accuracy the share of its K highest pixels inside, K the "
          "ground truth's size; top-k intersection the share of its top "
       << percent(kTopKShare)
       << " of pixels inside. The hit rate is CheXlocalize's: the share of maps whose region at a "
          "threshold overlaps the ground truth with IoU of at least "
       << fixed(kHitIou, 1) << " (every threshold of the sweep in hit_rates.csv).\n\n";
    markdownHeader(md, {"network", "method", "relevance mass accuracy", "relevance rank accuracy",
                        "top-k intersection", "hit rate at Otsu", "at level 0.5", "best threshold"});
    for (const auto& r : s.modelMethods) {
        markdownRow(md, {r.model, methodLabel(r.method), summaryText(r.energyInside), summaryText(r.rankAccuracy),
                         summaryText(r.topKIntersection), rateAt(r, "Otsu"), rateAt(r, "level 0.5"),
                         bestThreshold(r)});
    }
    md << "\n";
}

void faithfulness(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Faithfulness\n\n";
    const bool measured = std::any_of(s.modelMethods.begin(), s.modelMethods.end(), [](const auto& r) {
        return r.deletionAuc.n + r.deletionAuc.nUndefined > 0;
    });
    if (!measured) {
        md << "Not measured: it needs about 160 forward passes per map; `saliency-cli study --faithfulness` "
              "measures it for the maps it adds.\n\n";
        return;
    }
    md << "How much the network's probability for the explained class depends on the pixels a map ranks "
          "high. Deletion: the area under the probability as the top pixels are set to black, 20 steps (lower "
          "is better); insertion: as they are revealed over a blurred copy (higher is better); faithfulness "
          "correlation: Pearson's r between the map's relevance in 100 random subsets of 224 pixels and the "
          "probability drop when they are blacked out (higher is better); ROAD (remove and debias): the mean "
          "probability with 10%, 20%, ..., 90% of the pixels removed and filled in from their neighbours "
          "(noisy linear imputation, so that the shape of the hole does not give the class away), most "
          "relevant first (MoRF, lower is better) and least relevant first (LeRF, higher is better). Maps "
          "without them (added before, or without --faithfulness) are not counted.\n\n";
    markdownHeader(md, {"network", "method", "deletion AUC", "insertion AUC", "faithfulness correlation",
                        "ROAD MoRF", "ROAD LeRF"});
    for (const auto& r : s.modelMethods)
        markdownRow(md, {r.model, methodLabel(r.method), summaryText(r.deletionAuc), summaryText(r.insertionAuc),
                         summaryText(r.faithfulnessCorrelation), summaryText(r.roadMorf), summaryText(r.roadLerf)});
    md << "\n";
}

void robustness(std::ostringstream& md, const StudyStatistics& s) {
    md << "## Robustness and randomisation\n\n";
    const bool measured = std::any_of(s.modelMethods.begin(), s.modelMethods.end(), [](const auto& r) {
        return r.maxSensitivity.n + r.maxSensitivity.nUndefined > 0;
    });
    if (!measured) {
        md << "Robustness was not measured: it explains each scan again under 10 draws of noise; "
              "`saliency-cli study --robustness` measures it for the maps it adds. ";
    } else {
        md << "Max- and average sensitivity (Yeh et al. 2019): each scan, at the network's input size, explained "
              "again by the same method for the same class under 10 draws of uniform noise of ±5% of the grey "
              "range; the change of the map relative to its norm, ||map(x + noise) − map(x)|| / ||map(x)||, "
              "at its worst and on average (lower is steadier). Maps without it are not counted.\n\n";
        markdownHeader(md, {"network", "method", "max-sensitivity", "average sensitivity"});
        for (const auto& r : s.modelMethods)
            markdownRow(md, {r.model, methodLabel(r.method), summaryText(r.maxSensitivity),
                             summaryText(r.averageSensitivity)});
        md << "\n";
    }
    md << "Randomisation needs a randomised copy of each network, so the study does not run it: "
          "`saliency-cli sanity-check` runs the model-randomisation test and the random-logit test "
          "(docs/saliency.md).\n\n";
}

}  // namespace

std::string metricFamiliesMarkdown(const StudyStatistics& statistics) {
    std::ostringstream md;
    complexity(md, statistics);
    localisation(md, statistics);
    faithfulness(md, statistics);
    robustness(md, statistics);
    return md.str();
}

CsvTable metricFamiliesTable(const StudyStatistics& statistics) {
    using Column = std::pair<const char*, metrics::Summary ModelMethodStatistics::*>;
    const std::vector<Column> columns = {
        {"sparseness", &ModelMethodStatistics::sparseness},
        {"effective_complexity", &ModelMethodStatistics::effectiveComplexity},
        {"relevance_mass_accuracy", &ModelMethodStatistics::energyInside},
        {"relevance_rank_accuracy", &ModelMethodStatistics::rankAccuracy},
        {"top_k_intersection", &ModelMethodStatistics::topKIntersection},
        {"deletion_auc", &ModelMethodStatistics::deletionAuc},
        {"insertion_auc", &ModelMethodStatistics::insertionAuc},
        {"faithfulness_correlation", &ModelMethodStatistics::faithfulnessCorrelation},
        {"road_morf", &ModelMethodStatistics::roadMorf},
        {"road_lerf", &ModelMethodStatistics::roadLerf},
        {"max_sensitivity", &ModelMethodStatistics::maxSensitivity},
        {"average_sensitivity", &ModelMethodStatistics::averageSensitivity}};
    std::vector<std::string> header = {"model", "method"};
    for (const auto& [name, member] : columns)
        header = concat(std::move(header), summaryHeader(name));
    CsvTable table(header);
    for (const auto& r : statistics.modelMethods) {
        std::vector<std::string> row = {r.model, r.method};
        for (const auto& [name, member] : columns)
            row = concat(std::move(row), summaryCells(r.*member));
        table.addRow(row);
    }
    return table;
}

CsvTable thresholdHitTable(const StudyStatistics& statistics) {
    CsvTable table({"model", "method", "threshold", "hits", "maps", "hit_rate"});
    for (const auto& r : statistics.modelMethods)
        for (const auto& t : r.thresholdRates)
            table.addRow({r.model, r.method, t.threshold, csvCount(t.hits), csvCount(t.maps),
                          t.maps ? csvNumber(static_cast<double>(t.hits) / static_cast<double>(t.maps))
                                 : std::string()});
    return table;
}

}  // namespace saliency::study
