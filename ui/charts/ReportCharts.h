#pragma once
// The charts of `saliency-cli report`: every statistics chart (ChartKind.h) as PNG, SVG and PDF,
// drawn by the statistics dock's own builders from the same data at a paper width (ChartExport.h).
// Works without a display (OffscreenGui.h). No Qt in this header.
#include <filesystem>
#include <vector>

#include "ChartExport.h"
#include "StatisticsData.h"

namespace saliency::ui {

// Writes STEM.png, STEM.svg and STEM.pdf per chart into `folder` (created if needed), in chart
// order; returns the files. Throws saliency::Error / FileError.
std::vector<std::filesystem::path> writeReportCharts(const StatisticsData& data,
                                                     const std::filesystem::path& folder,
                                                     const ChartPaper& paper);

}  // namespace saliency::ui
