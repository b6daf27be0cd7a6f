// "Right for the wrong reason": each network x method as a point at (share of its maps judged
// correct, the network's accuracy on those scans), with Wilson 95% intervals both ways. A point far
// above the diagonal is a network that classifies well while its maps point elsewhere.
#include <algorithm>
#include <cmath>
#include <optional>

#include "metrics/Proportion.h"
#include "study/ChartParts.h"
#include "study/ReportText.h"

namespace saliency::study::chart {

namespace {

constexpr double kSide = 360;
constexpr double kAxisSpace = 58;

struct Point {
    std::size_t model = 0, method = 0;
    metrics::ProportionInterval judged, accuracy;
};

std::vector<Point> points(const Input& in) {
    std::vector<Point> out;
    for (std::size_t m = 0; m < in.models.size(); ++m) {
        for (std::size_t k = 0; k < in.methods.size(); ++k) {
            const ModelMethodStatistics* r = in.row(m, k);
            if (!r)
                continue;
            const auto judged =
                metrics::wilsonInterval(r->judgedCorrect, r->judgedCorrect + r->judgedIncorrect);
            const auto accuracy = metrics::wilsonInterval(r->correctPredictions, r->predictions);
            if (judged && accuracy)
                out.push_back({m, k, *judged, *accuracy});
        }
    }
    return out;
}

// Both axes from the same round lower bound to 1, so that the diagonal is the diagonal.
double lowerBound(const std::vector<Point>& list) {
    double low = 1.0;
    for (const auto& p : list)
        low = std::min({low, p.judged.low, p.accuracy.low});
    return std::clamp(std::floor(low * 5.0) / 5.0, 0.0, 0.8);  // a multiple of 0.2: the first tick
}

std::vector<LegendEntry> networkLegend(const Input& in) {
    std::vector<LegendEntry> out;
    for (std::size_t m = 0; m < in.models.size(); ++m)
        out.push_back({in.models[m], networkColour(m)});
    return out;
}

std::vector<LegendEntry> methodLegend(const Input& in, const std::vector<Point>& list) {
    std::vector<LegendEntry> out;
    for (std::size_t k = 0; k < in.methods.size(); ++k) {
        if (std::any_of(list.begin(), list.end(), [&](const Point& p) { return p.method == k; }))
            out.push_back({methodLabel(in.methods[k]), "#555555", k});
    }
    return out;
}

}  // namespace

std::string accuracyChart(const Input& in) {
    const std::string title = "Accuracy against the share of maps judged correct";
    const auto list = points(in);
    if (list.empty()) {
        return messageChart(title,
                            "No verdicts yet: mark maps correct or incorrect to see which networks are "
                            "right for the wrong reason.");
    }
    Page page =
        startPage(kSide + kAxisSpace + 2 * kMargin + 40, title,
                  "One point per network and method: its maps judged correct (x) and the network's "
                  "accuracy on the study's scans (y), with Wilson 95% intervals. Above the diagonal: right "
                  "more often than its maps point at the tumour.");
    const double left = kMargin + kAxisSpace, top = page.top + 8, bottom = top + kSide;
    const double low = lowerBound(list);
    const Scale sx{low, 1, left, left + kSide}, sy{low, 1, bottom, top};
    const auto ticks = roundTicks(low, 1, 5);
    drawYAxis(page.doc, {sy, ticks, percentText, "accuracy (correct predictions)"}, left, kSide);
    drawXAxis(page.doc, {sx, ticks, percentText, "maps judged correct"}, bottom, top);
    page.doc.line(sx(low), sy(low), sx(1), sy(1), {.stroke = "#9a9a9a", .strokeWidth = 1.2, .dash = "6 4"});
    page.doc.text(left + 8, top + 16, "right for the wrong reason",
                  {.size = 11, .colour = kMuted, .italic = true});
    const svg::Paint whisker{.stroke = "#7a7a7a", .strokeWidth = 1};
    for (const auto& p : list) {
        const double x = sx(p.judged.estimate), y = sy(p.accuracy.estimate);
        page.doc.line(sx(p.judged.low), y, sx(p.judged.high), y, whisker);
        page.doc.line(x, sy(p.accuracy.low), x, sy(p.accuracy.high), whisker);
    }
    for (const auto& p : list) {
        drawMarker(page.doc, p.method, sx(p.judged.estimate), sy(p.accuracy.estimate), 10,
                   {.fill = networkColour(p.model), .stroke = kInk, .strokeWidth = 0.8},
                   {{"class", "point"},
                    {"data-model", in.models[p.model]},
                    {"data-method", in.methods[p.method]},
                    {"data-x", fixed(p.judged.estimate, 6)},
                    {"data-y", fixed(p.accuracy.estimate, 6)}});
    }
    const double legendTop = bottom + 48;
    const double networks = drawLegend(page.doc, networkLegend(in), kMargin, legendTop,
                                       page.doc.width() - 2 * kMargin, "Networks");
    const double methods = drawLegend(page.doc, methodLegend(in, list), kMargin, legendTop + networks + 4,
                                      page.doc.width() - 2 * kMargin, "Methods");
    return finishPage(page, legendTop + networks + 4 + methods);
}

}  // namespace saliency::study::chart
