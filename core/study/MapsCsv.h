#pragma once
// One CSV row per stored map with its statistics (`saliency-cli study --csv`), for a statistics
// package or a spreadsheet. Columns: docs/cli.md, "study".
#include <filesystem>

#include "study/ProjectDatabase.h"

namespace saliency::study {

// Every map of the project, ordered by scan, model and method. Written atomically; throws FileError.
// Returns the number of rows.
std::size_t writeMapsCsv(ProjectDatabase& project, const std::filesystem::path& file);

}  // namespace saliency::study
