#pragma once
// The report's sections for issue 18's metric families (docs/saliency.md, "Evaluation metrics"):
// complexity (sparseness, effective complexity) of every map, and localisation beyond IoU
// (relevance mass and rank accuracy, top-k intersection, CheXlocalize's hit rate at a sweep of
// thresholds) against a mask or a reader's box; per network and method, from the study's rows.
#include <string>

#include "study/CsvTable.h"
#include "study/StudyStatistics.h"

namespace saliency::study {

std::string metricFamiliesMarkdown(const StudyStatistics& statistics);
CsvTable metricFamiliesTable(const StudyStatistics& statistics);      // metrics.csv
CsvTable thresholdHitTable(const StudyStatistics& statistics);        // hit_rates.csv: one row per threshold

}  // namespace saliency::study
