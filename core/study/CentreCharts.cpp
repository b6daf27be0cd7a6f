// Where the maps point: each map's centre of mass on the image plane (a panel per network, y down as
// in the image) and the distribution of the centre distance between two networks' maps of one scan
// (a panel per method), the seed's statistical test as distributions rather than means alone.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "study/ChartParts.h"
#include "study/ReportText.h"

namespace saliency::study::chart {

namespace {

constexpr double kSquare = 250;  // the image plane's side, px
constexpr double kPanelGap = 34;
constexpr double kAxisSpace = 54;
constexpr double kTitleHeight = 24;
constexpr double kBinWidth = 0.02;  // image-size units, as in the GUI's histogram

std::string unitTick(double v) {
    return fixed(v, v == 0.0 || v == 1.0 ? 0 : 2);
}

// ---- centres of mass ----

void drawPlane(svg::Document& doc, const Input& in, std::size_t model, double x, double y) {
    doc.text(x + kAxisSpace + kSquare / 2, y + 15, in.models[model],
             {.size = 13, .bold = true, .colour = kInk, .anchor = "middle"});
    const double left = x + kAxisSpace, top = y + kTitleHeight, bottom = top + kSquare;
    const Scale sx{0, 1, left, left + kSquare};
    const Scale sy{0, 1, top, bottom};  // y down, as in the image
    const auto ticks = roundTicks(0, 1, 4);
    drawYAxis(doc, {sy, ticks, unitTick, "y (image height, down)"}, left, kSquare);
    drawXAxis(doc, {sx, ticks, unitTick, "x (image width)"}, bottom, top);
    doc.rect(left, top, kSquare, kSquare, {.stroke = kMuted, .strokeWidth = 1});
    for (const auto& m : in.rows.maps) {
        const auto owner = in.modelIndex.find(m.modelId);
        if (owner == in.modelIndex.end() || owner->second != model || !m.measures.centreX ||
            !m.measures.centreY)
            continue;
        const std::size_t k = in.methodIndex(m.method);
        drawMarker(doc, k, sx(*m.measures.centreX), sy(*m.measures.centreY), 6.5,
                   // Open markers: coinciding centres of two methods (CAM and Grad-CAM often) stay visible.
                   {.fill = methodColour(k), .stroke = methodColour(k), .strokeWidth = 1.2, .opacity = 0.2},
                   {{"class", "point"},
                    {"data-model", in.models[model]},
                    {"data-method", m.method},
                    {"data-x", fixed(*m.measures.centreX, 6)},
                    {"data-y", fixed(*m.measures.centreY, 6)}});
    }
}

std::vector<LegendEntry> methodMarkers(const Input& in) {
    std::vector<LegendEntry> out;
    for (std::size_t k = 0; k < in.methods.size(); ++k)
        out.push_back({methodLabel(in.methods[k]), methodColour(k), k});
    return out;
}

// ---- centre distances ----

struct Histogram {
    std::string first, second;  // networks, in project order
    std::size_t firstIndex = 0, secondIndex = 0;
    std::vector<double> values;
};

// Per method, the centre distances of every pair of networks; keyed by (method, first, second).
std::map<std::tuple<std::size_t, std::size_t, std::size_t>, Histogram> distances(const Input& in,
                                                                                 double& largest) {
    std::map<std::tuple<std::size_t, std::size_t, std::size_t>, Histogram> out;
    for (const auto& p : in.rows.pairs) {
        const auto first = in.maps.find(p.firstMapId), second = in.maps.find(p.secondMapId);
        // A pair read after its maps were (a study writing meanwhile) is left to the next report.
        if (p.kind != PairKind::Models || !p.centreDistance || first == in.maps.end() ||
            second == in.maps.end())
            continue;
        const auto modelA = in.modelIndex.find(first->second->modelId);
        const auto modelB = in.modelIndex.find(second->second->modelId);
        if (modelA == in.modelIndex.end() || modelB == in.modelIndex.end())
            continue;
        std::size_t i = modelA->second, j = modelB->second;
        if (i > j)
            std::swap(i, j);
        Histogram& h = out[{in.methodIndex(first->second->method), i, j}];
        h.first = in.models[i];
        h.second = in.models[j];
        h.firstIndex = i;
        h.secondIndex = j;
        h.values.push_back(*p.centreDistance);
        largest = std::max(largest, *p.centreDistance);
    }
    return out;
}

std::vector<std::size_t> binCounts(const std::vector<double>& values, std::size_t bins) {
    std::vector<std::size_t> counts(bins, 0);
    for (const double v : values)
        ++counts[std::min(bins - 1, static_cast<std::size_t>(std::floor(v / kBinWidth)))];
    return counts;
}

// The colour of a pair of networks: the pair's rank among all pairs, in Tol's palette.
std::size_t pairRank(std::size_t i, std::size_t j, std::size_t models) {
    std::size_t rank = 0;
    for (std::size_t a = 0; a < models; ++a) {
        for (std::size_t b = a + 1; b < models; ++b, ++rank) {
            if (a == i && b == j)
                return rank;
        }
    }
    return rank;
}

struct HistogramPanel {
    std::string method;
    std::vector<const Histogram*> histograms;
};

std::string pairColour(const Input& in, const Histogram& h) {
    return networkColour(pairRank(h.firstIndex, h.secondIndex, in.models.size()));
}

// One pair's histogram as a filled step outline, and its mean as a dashed line.
void drawHistogram(svg::Document& doc, const Histogram& h, const std::string& colour,
                   const std::string& method, const Scale& sx, const Scale& sy, std::size_t bins) {
    const auto counts = binCounts(h.values, bins);
    std::vector<std::pair<double, double>> outline{{sx(0), sy(0)}};
    for (std::size_t b = 0; b < bins; ++b) {
        const double c = static_cast<double>(counts[b]);
        outline.push_back({sx(static_cast<double>(b) * kBinWidth), sy(c)});
        outline.push_back({sx(static_cast<double>(b + 1) * kBinWidth), sy(c)});
    }
    outline.push_back({sx(static_cast<double>(bins) * kBinWidth), sy(0)});
    doc.polygon(outline, {.fill = colour, .stroke = colour, .strokeWidth = 1.6, .opacity = 0.25},
                {{"class", "histogram"},
                 {"data-method", method},
                 {"data-first", h.first},
                 {"data-second", h.second},
                 {"data-n", std::to_string(h.values.size())}});
    const double mean = *metrics::summarise(h.values).mean;
    doc.line(sx(mean), sy.page1, sx(mean), sy.page0, {.stroke = colour, .strokeWidth = 1.5, .dash = "5 3"});
}

// "mean 0.169, n=60" per pair at the top right, in dark text keyed by a line in the pair's colour
// (light colours stay readable), on a white ground that the mean lines pass under.
void drawMeans(svg::Document& doc, const Input& in, const HistogramPanel& panel, double right, double top) {
    std::vector<std::string> texts;
    double widest = 0;
    for (const Histogram* h : panel.histograms) {
        const metrics::Summary s = metrics::summarise(h->values);
        texts.push_back("mean " + fixed(*s.mean, 3) + ", n=" + std::to_string(s.n));
        widest = std::max(widest, svg::textWidth(texts.back(), 10.5));
    }
    doc.rect(right - widest - 26, top + 3, widest + 24, 14.0 * static_cast<double>(texts.size()) + 4,
             {.fill = "#ffffff", .opacity = 0.85});
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const double baseline = top + 14 + 14.0 * static_cast<double>(i);
        const double textLeft = right - 6 - svg::textWidth(texts[i], 10.5);
        doc.line(textLeft - 16, baseline - 3.5, textLeft - 4, baseline - 3.5,
                 {.stroke = pairColour(in, *panel.histograms[i]), .strokeWidth = 2.5});
        doc.text(right - 6, baseline, texts[i], {.size = 10.5, .colour = kInk, .anchor = "end"});
    }
}

// Counts up to the next round tick above the tallest bin, so that the axis ends on a label.
double countAxisTop(std::size_t tallest) {
    const auto probe = roundTicks(0, static_cast<double>(tallest), 4, true);
    const double step = probe.size() > 1 ? probe[1] - probe[0] : 1.0;
    return std::ceil(static_cast<double>(tallest) / step) * step;
}

void drawHistogramPanel(svg::Document& doc, const Input& in, const HistogramPanel& panel, std::size_t bins,
                        std::size_t tallest, double x, double y) {
    const double width = 300, height = 190;
    doc.text(x + kAxisSpace + width / 2, y + 15, methodLabel(panel.method),
             {.size = 13, .bold = true, .colour = kInk, .anchor = "middle"});
    const double left = x + kAxisSpace, top = y + kTitleHeight, bottom = top + height;
    const double upper = static_cast<double>(bins) * kBinWidth;
    const Scale sx{0, upper, left, left + width};
    const Scale sy{0, countAxisTop(tallest), bottom, top};
    drawYAxis(doc, {sy, roundTicks(0, sy.data1, 4, true), [](double v) { return fixed(v, 0); }, "scans"},
              left, width);
    drawXAxis(doc,
              {sx, roundTicks(0, upper, 5), [](double v) { return fixed(v, 2); },
               "centre-of-mass distance (image-size units)"},
              bottom, top);
    for (const Histogram* h : panel.histograms)
        drawHistogram(doc, *h, pairColour(in, *h), panel.method, sx, sy, bins);
    drawMeans(doc, in, panel, left + width, top);
}

}  // namespace

std::string centreScatterChart(const Input& in) {
    const std::string title = "Centres of mass of the maps, per network";
    if (in.models.empty())
        return messageChart(title, "The project has no networks yet (run saliency-cli study).");
    const auto columns = facetColumns(in.models.size());
    const double panelWidth = kAxisSpace + kSquare, panelHeight = kTitleHeight + kSquare + 46;
    Page page = startPage(
        std::max(520.0, static_cast<double>(columns) * (panelWidth + kPanelGap) + 2 * kMargin), title,
        "Each point is one map's centre of mass in image-size units, as on the image: x to the "
        "right, y down. Maps without a centre (all zero) are left out.");
    for (std::size_t i = 0; i < in.models.size(); ++i) {
        drawPlane(page.doc, in, i, kMargin + static_cast<double>(i % columns) * (panelWidth + kPanelGap),
                  page.top + static_cast<double>(i / columns) * (panelHeight + kPanelGap));
    }
    const std::size_t rows = (in.models.size() + columns - 1) / columns;
    const double legendTop = page.top + static_cast<double>(rows) * (panelHeight + kPanelGap);
    const double legend = drawLegend(page.doc, methodMarkers(in), kMargin + kAxisSpace, legendTop,
                                     page.doc.width() - 2 * kMargin - kAxisSpace);
    return finishPage(page, legendTop + legend);
}

std::string centreDistanceChart(const Input& in) {
    const std::string title = "Centre-of-mass distance between networks, per method";
    if (in.models.size() < 2)
        return messageChart(title, "The study has one network: there is no pair of networks to compare.");
    double largest = 0;
    const auto all = distances(in, largest);
    if (all.empty())
        return messageChart(title, "No pair of maps with centres of mass on the same scan.");
    const double upper = std::max(0.1, std::ceil(largest / 0.05 - 1e-9) * 0.05);
    const auto bins = static_cast<std::size_t>(std::lround(upper / kBinWidth));
    std::vector<HistogramPanel> panels;
    std::size_t tallest = 1;
    for (const auto& [key, h] : all) {
        const std::string& method = in.methods[std::get<0>(key)];
        if (panels.empty() || panels.back().method != method)
            panels.push_back({method, {}});
        panels.back().histograms.push_back(&h);
        for (const std::size_t c : binCounts(h.values, bins))
            tallest = std::max(tallest, c);
    }
    const auto columns = facetColumns(panels.size());
    const double panelWidth = kAxisSpace + 300, panelHeight = kTitleHeight + 190 + 46;
    Page page =
        startPage(static_cast<double>(columns) * (panelWidth + kPanelGap) + 2 * kMargin, title,
                  "Distance between the centres of mass of two networks' maps of the same scan, in bins "
                  "of 0.02; dashed: the mean. Image-size units: 0.1 is a tenth of the image side.");
    for (std::size_t i = 0; i < panels.size(); ++i) {
        drawHistogramPanel(page.doc, in, panels[i], bins, tallest,
                           kMargin + static_cast<double>(i % columns) * (panelWidth + kPanelGap),
                           page.top + static_cast<double>(i / columns) * (panelHeight + kPanelGap));
    }
    std::vector<LegendEntry> legend;
    for (std::size_t a = 0; a < in.models.size(); ++a) {
        for (std::size_t b = a + 1; b < in.models.size(); ++b)
            legend.push_back(
                {in.models[a] + " vs " + in.models[b], networkColour(pairRank(a, b, in.models.size()))});
    }
    const std::size_t rows = (panels.size() + columns - 1) / columns;
    const double legendTop = page.top + static_cast<double>(rows) * (panelHeight + kPanelGap);
    const double height = drawLegend(page.doc, legend, kMargin + kAxisSpace, legendTop,
                                     page.doc.width() - 2 * kMargin - kAxisSpace);
    return finishPage(page, legendTop + height);
}

}  // namespace saliency::study::chart
