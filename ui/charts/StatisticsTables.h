#pragma once
// The statistics view's tables as CSV, one file per chart with exactly the numbers it draws (the
// intervals included), for a statistics package or a paper's supplement. Every file is written
// atomically: an export folder never holds half a table. No Qt.
#include <filesystem>
#include <vector>

#include "StatisticsData.h"

namespace saliency::ui {

// Creates `folder` if needed; returns the files written, in chart order. Throws FileError.
//   share_judged_correct.csv (or share_non_empty.csv before the first verdict), network_pairs.csv,
//   method_pairs.csv, centres.csv, centre_distance_histogram.csv, mask_agreement.csv, metric_families.csv,
//   accuracy_vs_judged.csv, then the seed's three tables (study/SeedTables.h) and
//   annotator_agreement.csv (study/AgreementTables.h), as saliency-cli report writes them
std::vector<std::filesystem::path> writeStatisticsTables(const StatisticsData& data,
                                                         const std::filesystem::path& folder);

}  // namespace saliency::ui
