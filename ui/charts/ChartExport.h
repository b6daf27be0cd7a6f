#pragma once
// A statistics chart as a file for a paper: PNG, SVG or PDF (by the suffix) at a width in
// millimetres (one column, two columns, or any), fonts in points, and a DPI for the PNG. The chart
// is built afresh for the file by the dock's own builders (StatisticsCharts.h) from the same data,
// so the dock's export and `saliency-cli report` write the same figure. The layout is done once, in
// 1/96-inch units at the width asked for, and only scaled to the output: the same at every DPI and
// in every format. Files are written atomically: a failed export never leaves half a file.
// No Qt in this header (the CLI includes it); drawing needs a QApplication (OffscreenGui.h).
#include <filesystem>

#include "ChartKind.h"

class QCustomPlot;
class QSize;

namespace saliency::ui {

struct StatisticsData;

struct ChartPaper {
    static constexpr double kOneColumnMm = 88.0;
    static constexpr double kTwoColumnsMm = 180.0;
    double widthMm = kTwoColumnsMm;  // 20 to 1000
    double dpi = 300;                // the PNG's resolution, 30 to 1200; SVG and PDF are vectors
    double fontPoints = 8;           // tick labels, 4 to 24; titles and labels keep their proportions
};

// The figure's width in layout pixels (1/96 inch) and, for a PNG, in pixels.
int layoutWidthPixels(const ChartPaper& paper);
int pngWidthPixels(const ChartPaper& paper);

// Builds `chart` into `plot` as an export lays it out (fonts, width, square cells) and returns the
// figure's size in layout pixels; drawing `plot` at that size gives the exported figure. The export
// uses it, and tests measure the laid-out text with it. Throws saliency::Error for a bad paper.
QSize layOutForExport(QCustomPlot& plot, StatisticsChart chart, const StatisticsData& data,
                      const ChartPaper& paper);

// Throws saliency::Error (a bad size, DPI or suffix) or FileError with a message for a user.
void exportChart(StatisticsChart chart, const StatisticsData& data, const std::filesystem::path& file,
                 const ChartPaper& paper);

}  // namespace saliency::ui
