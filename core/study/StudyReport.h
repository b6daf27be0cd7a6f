#pragma once
// The files of `saliency-cli report` (docs/cli.md): the study's statistics as CSV tables, a
// human-readable summary (report.md) and the same numbers as JSON (report.json). Every file is
// written atomically, so a report folder never holds a half-written table.
#include <filesystem>
#include <vector>

#include "study/StudyStatistics.h"

namespace saliency::study {

// Creates `folder` if needed; returns the files written, in order. Throws FileError.
std::vector<std::filesystem::path> writeReport(const StudyStatistics& statistics,
                                               const std::filesystem::path& folder);

}  // namespace saliency::study
