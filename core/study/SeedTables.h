#pragma once
// The seed's three result tables (DESIGN.md section 1), in their shape, so that a study redone with
// the tool reads like the thesis:
//   1. per network, "Correctly computed saliency maps (Grad-CAM)": "454 (94%)";
//   2. per pair of networks, the mean IoU of the binarised maps, columns CAM and Grad-CAM;
//   3. per pair of networks, the mean centre-of-mass distance, columns CAM and Grad-CAM.
// Value types for the GUI and the report; writeSeedTables writes them as CSV.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "metrics/Aggregate.h"
#include "study/StudyStatistics.h"

namespace saliency::study {

// Table 1: a network's Grad-CAM maps as a radiologist judged them (every annotator).
struct SeedJudgedRow {
    std::string network;
    std::size_t correct = 0;  // judged correct
    std::size_t judged = 0;   // judged correct or incorrect: n (unsure left out, as in the seed's share)
    std::size_t unsure = 0;
    std::optional<double> share() const;  // correct / judged
    std::string cell() const;             // "454 (94%)"; empty when none was judged
};

// Tables 2 and 3: one pair of networks, a summary per method (n = scans where it is defined).
struct SeedPairRow {
    std::string first;  // in the order the networks were added to the project
    std::string second;
    metrics::Summary cam;
    metrics::Summary gradCam;
};

struct SeedTables {
    std::vector<SeedJudgedRow> judgedCorrect;  // one per network, in the project's order
    std::vector<SeedPairRow> iou;              // one per pair of networks
    std::vector<SeedPairRow> centreDistance;   // the same pairs
    std::optional<std::string> judgedBy;       // whose verdicts table 1 counts; unset: everyone's
};

SeedTables seedTables(const StudyStatistics& statistics);

// A share as the seed prints it: at most two decimals, trailing zeros dropped (0.94 -> "94%",
// 0.93581 -> "93.58%", 1 -> "100%"), with a decimal point.
std::string seedPercent(double share);

// seed_table1_judged_correct.csv, seed_table2_iou.csv, seed_table3_centre_distance.csv in `folder`
// (created if needed), each written atomically; returns them in that order. Throws FileError.
std::vector<std::filesystem::path> writeSeedTables(const SeedTables& tables,
                                                   const std::filesystem::path& folder);

// The three tables as Markdown (the report's section, headed "## The seed's tables").
std::string seedTablesMarkdown(const SeedTables& tables);

}  // namespace saliency::study
