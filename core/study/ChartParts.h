#pragma once
// The pieces the report's SVG charts are built from (ReportCharts.h): one look for all of them
// (the GUI's palettes: Okabe-Ito for methods, Paul Tol's "bright" for networks, viridis for IoU),
// titles, scales with round ticks, axes, legends, messages, and the charts' shared input.
// Internal to saliency_study.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "study/ReportCharts.h"
#include "study/ReportText.h"  // fixed(): numbers as text, one formatter for tables and charts
#include "study/Svg.h"

namespace saliency::study::chart {

// ---- what every chart reads ----

struct Input {
    Input(const StudyStatistics& statistics, const ChartRows& rows);
    const StudyStatistics& statistics;
    const ChartRows& rows;
    std::vector<std::string> models;                 // names, in the order they were added
    std::vector<std::string> methods;                // methodOrderLess
    std::map<std::int64_t, std::size_t> modelIndex;  // model id -> index in models
    std::map<std::int64_t, const MapRecord*> maps;   // by id
    // The network x method row, or nullptr when the study has none.
    const ModelMethodStatistics* row(std::size_t model, std::size_t method) const;
    std::size_t methodIndex(const std::string& method) const;  // methods.size() when unknown
};

// ---- look ----

constexpr double kMargin = 24;  // around the chart
constexpr const char* kInk = "#1e1e1e";
constexpr const char* kMuted = "#5a5a5a";
constexpr const char* kGrid = "#e3e3e3";
constexpr const char* kNoData = "#d7d7d7";

std::string methodColour(std::size_t index);
std::string networkColour(std::size_t index);
std::string viridis(double t);          // t in [0,1], clamped
bool needsLightText(double t);          // on viridis(t): white text reads better than black
std::string percentText(double share);  // 0.9358 -> "94%"

// Splits `text` at spaces into lines no wider than `width` at `size` px.
std::vector<std::string> wrap(const std::string& text, double size, double width);

// ---- layout ----

// A linear map from data to page coordinates.
struct Scale {
    double data0 = 0, data1 = 1;  // data range
    double page0 = 0, page1 = 1;  // page range (page1 < page0 for a y axis that grows upwards)
    double operator()(double value) const;
};

// About `target` round ticks (1, 2, 2.5, 5 x 10^k) covering [low, high]; whole numbers only with
// `integers` (counts).
std::vector<double> roundTicks(double low, double high, int target, bool integers = false);

// A chart's page: a bold title and a grey subtitle, both wrapped to the width, then the body from `top`.
struct Page {
    svg::Document doc;
    double top = 0;  // where the body starts
};
Page startPage(double width, const std::string& title, const std::string& subtitle);
// Sets the page's height to `bottom` plus the margin and returns the document.
std::string finishPage(Page& page, double bottom);

// A chart with nothing to show: the title, and why, in a framed box.
std::string messageChart(const std::string& title, const std::string& message);

// The y axis of a plot area [left, left + width] x [top, bottom] with grid lines; tick labels from
// `label`; the axis title turned along the axis.
struct YAxis {
    Scale scale;
    std::vector<double> ticks;
    std::function<std::string(double)> label;
    std::string title;
};
void drawYAxis(svg::Document& doc, const YAxis& axis, double left, double width);
// The same for an x axis below the plot area, at y = bottom.
void drawXAxis(svg::Document& doc, const YAxis& axis, double bottom, double top);

// Legend entries in rows from (x, y), wrapping at `width`, after a bold heading when given;
// returns the height used.
struct LegendEntry {
    std::string label;
    std::string colour;
    std::optional<std::size_t> marker;  // drawMarker's shape; unset: a square swatch
};
double drawLegend(svg::Document& doc, const std::vector<LegendEntry>& entries, double x, double y,
                  double width, const std::string& heading = "");

// A point marker by method index: disc, square, triangle, diamond, inverted triangle, pentagon,
// plus, star, cross (nine shapes for the nine methods: distinct without colour, in grey print).
void drawMarker(svg::Document& doc, std::size_t shape, double x, double y, double size,
                const svg::Paint& paint, const svg::Attributes& extra = {});

// Panels per row: one row up to three, then 2 x 2 for the seed's four, 3 x 3 for nine (as the GUI).
std::size_t facetColumns(std::size_t count);

// Labels centred under x positions, turned by 35 degrees when they would overlap; returns the height.
double drawCategoryLabels(svg::Document& doc, const std::vector<std::string>& labels,
                          const std::vector<double>& centres, double slot, double y, double size);
double categoryLabelsHeight(const std::vector<std::string>& labels, double slot, double size);
// How far turned labels reach left of the first category's slot (0 when they stay upright).
double categoryLabelsOverhang(const std::vector<std::string>& labels, double slot, double size);

// ---- the charts (one file each) ----

std::string shareChart(const Input& in);
std::string maskAgreementChart(const Input& in);
std::string networkIouChart(const Input& in);
std::string methodIouChart(const Input& in);
std::string centreScatterChart(const Input& in);
std::string centreDistanceChart(const Input& in);
std::string accuracyChart(const Input& in);

}  // namespace saliency::study::chart
