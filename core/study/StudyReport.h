#pragma once
// The files of `saliency-cli report` (docs/cli.md): the study's statistics as CSV tables, a
// human-readable summary (report.md) and the same numbers as JSON (report.json), with the seed's
// three tables (SeedTables.h) and the agreement between annotators (AgreementTables.h). Every file is
// written atomically, so a report folder never holds a half-written table.
#include <filesystem>
#include <vector>

#include "study/StudyStatistics.h"

namespace saliency::study {

// Creates `folder` if needed; returns the files written, in order. `charts` (files inside `folder`,
// e.g. the chart library's PNGs) are shown in report.md. Throws FileError.
std::vector<std::filesystem::path> writeReport(const StudyStatistics& statistics,
                                               const std::filesystem::path& folder,
                                               const std::vector<std::filesystem::path>& charts = {});

}  // namespace saliency::study
