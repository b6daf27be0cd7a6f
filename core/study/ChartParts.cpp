#include "study/ChartParts.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <sstream>

namespace saliency::study::chart {

namespace {

constexpr double kTitleSize = 16;
constexpr double kSubtitleSize = 12;
constexpr double kTickSize = 11;
constexpr double kAxisTitleSize = 12;
constexpr double kLegendSize = 12;
constexpr double kLabelTurn = 35;  // degrees, for crowded category labels

std::string hex(int r, int g, int b) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", r, g, b);
    return text;
}

}  // namespace

// ---- input ----

Input::Input(const StudyStatistics& s, const ChartRows& r) : statistics(s), rows(r) {
    for (const auto& m : s.models) {
        modelIndex[m.id] = models.size();
        models.push_back(m.name);
    }
    for (const auto& row : s.modelMethods) {
        if (std::find(methods.begin(), methods.end(), row.method) == methods.end())
            methods.push_back(row.method);
    }
    std::sort(methods.begin(), methods.end(), methodOrderLess);
    for (const auto& m : r.maps)
        maps[m.id] = &m;
}

const ModelMethodStatistics* Input::row(std::size_t model, std::size_t method) const {
    for (const auto& r : statistics.modelMethods) {
        if (r.model == models.at(model) && r.method == methods.at(method))
            return &r;
    }
    return nullptr;
}

std::size_t Input::methodIndex(const std::string& method) const {
    return static_cast<std::size_t>(std::find(methods.begin(), methods.end(), method) - methods.begin());
}

// ---- look ----

std::string methodColour(std::size_t index) {
    // Okabe & Ito (2008) without their yellow (too light on white), then Tol's muted: as in the GUI.
    static const std::array<const char*, 9> colours = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
                                                       "#56B4E9", "#332288", "#882255", "#999933"};
    return colours[index % colours.size()];
}

std::string networkColour(std::size_t index) {
    static const std::array<const char*, 7> colours = {"#4477AA", "#EE6677", "#228833", "#CCBB44",
                                                       "#66CCEE", "#AA3377", "#BBBBBB"};
    return colours[index % colours.size()];
}

std::string viridis(double t) {
    // matplotlib's viridis at ninths, interpolated linearly in RGB (close to the full table).
    static const std::array<std::array<int, 3>, 10> stops = {{{68, 1, 84},
                                                              {72, 40, 120},
                                                              {62, 74, 137},
                                                              {49, 104, 142},
                                                              {38, 130, 142},
                                                              {31, 158, 137},
                                                              {53, 183, 121},
                                                              {110, 206, 88},
                                                              {181, 222, 43},
                                                              {253, 231, 37}}};
    const double x = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(x), stops.size() - 2);
    const double f = x - static_cast<double>(i);
    auto mix = [&](int c) {
        return static_cast<int>(std::lround(stops[i][c] + f * (stops[i + 1][c] - stops[i][c])));
    };
    return hex(mix(0), mix(1), mix(2));
}

bool needsLightText(double t) {
    return t < 0.55;  // viridis is dark below about its middle
}

std::string percentText(double share) {
    return fixed(100.0 * share, 0) + "%";
}

std::vector<std::string> wrap(const std::string& text, double size, double width) {
    std::vector<std::string> lines;
    std::istringstream words(text);
    std::string word, line;
    while (words >> word) {
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && svg::textWidth(longer, size) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

// ---- layout ----

double Scale::operator()(double value) const {
    const double span = data1 - data0;
    return span == 0.0 ? page0 : page0 + (value - data0) / span * (page1 - page0);
}

std::vector<double> roundTicks(double low, double high, int target, bool integers) {
    if (!(high > low))
        return {low};
    const double raw = std::max((high - low) / std::max(1, target), integers ? 1.0 : 0.0);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power * 10.0;
    for (const double m : {1.0, 2.0, 2.5, 5.0}) {
        if (integers && m == 2.5)
            continue;  // 2.5 x 10^0 is not a whole count
        if (m * power >= raw) {
            step = m * power;
            break;
        }
    }
    std::vector<double> ticks;
    for (double t = std::ceil(low / step - 1e-9) * step; t <= high + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

Page startPage(double width, const std::string& title, const std::string& subtitle) {
    Page page{svg::Document(width, 100, title), kMargin};
    // Bold text is about a tenth wider than wrap() measures.
    for (const auto& line : wrap(title, kTitleSize * 1.1, width - 2 * kMargin)) {
        page.top += kTitleSize + 4;
        page.doc.text(kMargin, page.top, line, {.size = kTitleSize, .bold = true, .colour = kInk});
    }
    page.top += 4;
    for (const auto& line : wrap(subtitle, kSubtitleSize, width - 2 * kMargin)) {
        page.top += kSubtitleSize + 3;
        page.doc.text(kMargin, page.top, line, {.size = kSubtitleSize, .colour = kMuted});
    }
    page.top += 18;
    return page;
}

std::string finishPage(Page& page, double bottom) {
    page.doc.setHeight(bottom + kMargin);
    return page.doc.str();
}

std::string messageChart(const std::string& title, const std::string& message) {
    Page page = startPage(560, title, "");
    const double height = 120;
    page.doc.rect(kMargin, page.top, 560 - 2 * kMargin, height,
                  {.fill = "#f6f6f6", .stroke = kNoData, .strokeWidth = 1}, {{"class", "message"}});
    const auto lines = wrap(message, 13, 560 - 4 * kMargin);
    double y = page.top + height / 2 - 9.0 * static_cast<double>(lines.size() - 1) + 4;
    for (const auto& line : lines) {
        page.doc.text(280, y, line, {.size = 13, .colour = kMuted, .anchor = "middle"});
        y += 18;
    }
    return finishPage(page, page.top + height);
}

void drawYAxis(svg::Document& doc, const YAxis& axis, double left, double width) {
    const double top = std::min(axis.scale.page0, axis.scale.page1);
    const double bottom = std::max(axis.scale.page0, axis.scale.page1);
    double widest = 0;
    for (const double t : axis.ticks) {
        const double y = axis.scale(t);
        doc.line(left, y, left + width, y, {.stroke = kGrid, .strokeWidth = 1});
        const std::string label = axis.label(t);
        widest = std::max(widest, svg::textWidth(label, kTickSize));
        doc.text(left - 6, y + kTickSize * 0.35, label,
                 {.size = kTickSize, .colour = kMuted, .anchor = "end"});
    }
    doc.line(left, top, left, bottom, {.stroke = kMuted, .strokeWidth = 1});
    const double x = left - widest - 14;
    doc.text(x, (top + bottom) / 2, axis.title,
             {.size = kAxisTitleSize, .colour = kInk, .anchor = "middle", .rotate = -90});
}

void drawXAxis(svg::Document& doc, const YAxis& axis, double bottom, double top) {
    const double left = std::min(axis.scale.page0, axis.scale.page1);
    const double right = std::max(axis.scale.page0, axis.scale.page1);
    for (const double t : axis.ticks) {
        const double x = axis.scale(t);
        doc.line(x, top, x, bottom, {.stroke = kGrid, .strokeWidth = 1});
        doc.text(x, bottom + kTickSize + 5, axis.label(t),
                 {.size = kTickSize, .colour = kMuted, .anchor = "middle"});
    }
    doc.line(left, bottom, right, bottom, {.stroke = kMuted, .strokeWidth = 1});
    doc.text((left + right) / 2, bottom + kTickSize + 8 + kAxisTitleSize + 4, axis.title,
             {.size = kAxisTitleSize, .colour = kInk, .anchor = "middle"});
}

double drawLegend(svg::Document& doc, const std::vector<LegendEntry>& entries, double x, double y,
                  double width, const std::string& heading) {
    const double rowHeight = kLegendSize + 8;
    const double start = heading.empty() ? x : x + svg::textWidth(heading, kLegendSize, true) + 12;
    if (!heading.empty())
        doc.text(x, y + rowHeight / 2 + kLegendSize * 0.35, heading, {.size = kLegendSize, .bold = true});
    double cx = start, cy = y;
    for (const auto& e : entries) {
        const double itemWidth = 18 + svg::textWidth(e.label, kLegendSize) + 18;
        if (cx > start && cx + itemWidth > x + width) {
            cx = start;
            cy += rowHeight;
        }
        const double mid = cy + rowHeight / 2;
        const svg::Paint paint{.fill = e.colour, .stroke = e.colour, .strokeWidth = 1};
        if (e.marker)
            drawMarker(doc, *e.marker, cx + 6, mid, 10, paint);
        else
            doc.rect(cx, mid - 6, 12, 12, paint);
        doc.text(cx + 18, mid + kLegendSize * 0.35, e.label, {.size = kLegendSize, .colour = kInk});
        cx += itemWidth;
    }
    return entries.empty() ? 0 : cy + rowHeight - y;
}

namespace {

// The corners of a regular polygon (or, with `inner` > 0, of a star) around (x, y), the first at the top.
std::vector<std::pair<double, double>> ring(double x, double y, int corners, double r, double inner = 0,
                                            double turn = 0) {
    std::vector<std::pair<double, double>> points;
    const int steps = inner > 0 ? 2 * corners : corners;
    for (int i = 0; i < steps; ++i) {
        const double radius = inner > 0 && i % 2 == 1 ? inner : r;
        const double angle = turn - std::numbers::pi / 2 + 2 * std::numbers::pi * i / steps;
        points.emplace_back(x + radius * std::cos(angle), y + radius * std::sin(angle));
    }
    return points;
}

// A plus of arms `r` long and `r * 0.7` wide, turned by `turn` radians (an "x" at 45 degrees).
std::vector<std::pair<double, double>> cross(double x, double y, double r, double turn) {
    const double w = r * 0.35;
    const std::vector<std::pair<double, double>> arms = {{-w, -r}, {w, -r}, {w, -w},  {r, -w},
                                                         {r, w},   {w, w},  {w, r},   {-w, r},
                                                         {-w, w},  {-r, w}, {-r, -w}, {-w, -w}};
    std::vector<std::pair<double, double>> points;
    for (const auto& [dx, dy] : arms) {
        points.emplace_back(x + dx * std::cos(turn) - dy * std::sin(turn),
                            y + dx * std::sin(turn) + dy * std::cos(turn));
    }
    return points;
}

}  // namespace

void drawMarker(svg::Document& doc, std::size_t shape, double x, double y, double size,
                const svg::Paint& paint, const svg::Attributes& extra) {
    const double r = size / 2;
    switch (shape % 9) {
        case 0:
            doc.circle(x, y, r, paint, extra);
            break;
        case 1:
            doc.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, paint, extra);
            break;
        case 2:
            doc.polygon(ring(x, y + r * 0.2, 3, r * 1.2), paint, extra);
            break;
        case 3:
            doc.polygon(ring(x, y, 4, r * 1.2), paint, extra);
            break;
        case 4:
            doc.polygon(ring(x, y - r * 0.2, 3, r * 1.2, 0, std::numbers::pi), paint, extra);
            break;
        case 5:
            doc.polygon(ring(x, y, 5, r * 1.1), paint, extra);
            break;
        case 6:
            doc.polygon(cross(x, y, r * 1.15, 0), paint, extra);
            break;
        case 7:
            doc.polygon(ring(x, y, 5, r * 1.3, r * 0.55), paint, extra);
            break;
        default:
            doc.polygon(cross(x, y, r * 1.15, std::numbers::pi / 4), paint, extra);
    }
}

std::size_t facetColumns(std::size_t count) {
    return count <= 3 ? std::max<std::size_t>(count, 1) : count <= 4 ? 2 : 3;
}

namespace {

bool labelsCrowded(const std::vector<std::string>& labels, double slot, double size) {
    return std::any_of(labels.begin(), labels.end(),
                       [&](const std::string& l) { return svg::textWidth(l, size) > slot - 6; });
}

}  // namespace

double categoryLabelsHeight(const std::vector<std::string>& labels, double slot, double size) {
    if (!labelsCrowded(labels, slot, size))
        return size + 6;
    double widest = 0;
    for (const auto& l : labels)
        widest = std::max(widest, svg::textWidth(l, size));
    return widest * std::sin(kLabelTurn * std::numbers::pi / 180) + size + 6;
}

double categoryLabelsOverhang(const std::vector<std::string>& labels, double slot, double size) {
    if (labels.empty() || !labelsCrowded(labels, slot, size))
        return 0;
    // Turned labels end at their category and reach down-left; the first one sets the overhang.
    return std::max(
        0.0, svg::textWidth(labels.front(), size) * std::cos(kLabelTurn * std::numbers::pi / 180) - slot / 2);
}

double drawCategoryLabels(svg::Document& doc, const std::vector<std::string>& labels,
                          const std::vector<double>& centres, double slot, double y, double size) {
    const bool turned = labelsCrowded(labels, slot, size);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (turned) {
            doc.text(centres[i] + 4, y + size, labels[i],
                     {.size = size, .colour = kInk, .anchor = "end", .rotate = -kLabelTurn});
        } else {
            doc.text(centres[i], y + size, labels[i], {.size = size, .colour = kInk, .anchor = "middle"});
        }
    }
    return categoryLabelsHeight(labels, slot, size);
}

}  // namespace saliency::study::chart
