// The grouped bar charts of the report: the share of maps judged correct (or non-empty) and the
// agreement with the ground-truth masks, per network x method, each bar with its 95% interval and n.
#include <algorithm>
#include <cmath>
#include <functional>

#include "metrics/Proportion.h"
#include "study/AgreementTables.h"
#include "study/ChartParts.h"
#include "study/ReportText.h"

namespace saliency::study::chart {

namespace {

constexpr double kPlotHeight = 240;
constexpr double kHeadroom = 30;   // above the plot, for the labels over a full bar
constexpr double kGroupGap = 26;   // between networks
constexpr double kAxisSpace = 66;  // left of the plot: tick labels and the axis title
constexpr double kValueSize = 10.5;
constexpr double kNameSize = 12;

struct Bar {
    bool defined = false;
    double value = 0;
    double low = 0;  // the interval's bounds
    double high = 0;
    std::size_t n = 0;
    std::string label;  // the value as printed over the bar
};

Bar proportionBar(std::size_t successes, std::size_t trials) {
    const auto ci = metrics::wilsonInterval(successes, trials);
    if (!ci)
        return {.n = trials};
    return {true, ci->estimate, ci->low, ci->high, trials, percentText(ci->estimate)};
}

// The mean with the normal 95% interval of a mean (1.96 standard errors), kept inside [0, 1].
Bar meanBar(const metrics::Summary& s) {
    if (!s.mean)
        return {.n = s.n};
    const double half = s.stdDev ? 1.959964 * *s.stdDev / std::sqrt(static_cast<double>(s.n)) : 0.0;
    return {true, *s.mean,          std::max(0.0, *s.mean - half), std::min(1.0, *s.mean + half),
            s.n,  fixed(*s.mean, 2)};
}

struct BarPanel {
    std::string title;   // over the panel; may be empty
    std::string yTitle;  // the axis title
    std::function<std::string(double)> tick;
    std::function<Bar(const ModelMethodStatistics&)> bar;
    std::string kind;  // the bars' data-kind
};

// Networks along x, one bar per method shown, a bar's interval as an error bar, value and n above it.
class GroupedBars {
  public:
    // `methods`: indices into in.methods (so that a method keeps its colour in every chart).
    GroupedBars(const Input& in, BarPanel panel, std::vector<std::size_t> methods)
        : in_(in), panel_(std::move(panel)), methods_(std::move(methods)) {
        std::size_t largestN = 0;
        for (const auto& r : in.statistics.modelMethods)
            largestN = std::max(largestN, panel_.bar(r).n);
        const double label = svg::textWidth("n=" + std::to_string(largestN), kValueSize);
        slot_ = std::max(30.0, std::max(label, svg::textWidth("100%", kValueSize)) + 8);
    }

    double plotWidth() const { return static_cast<double>(in_.models.size()) * (groupWidth() + kGroupGap); }
    double leftSpace() const {
        return kAxisSpace +
               std::max(0.0, categoryLabelsOverhang(in_.models, groupWidth(), kNameSize) - kGroupGap / 2);
    }
    double width() const { return leftSpace() + plotWidth(); }
    double height() const {
        return (panel_.title.empty() ? 0 : 22) + kHeadroom + kPlotHeight + 8 +
               categoryLabelsHeight(in_.models, groupWidth(), kNameSize);
    }

    void draw(svg::Document& doc, double x, double y) const {
        if (!panel_.title.empty()) {
            doc.text(x + leftSpace() + plotWidth() / 2, y + 14, panel_.title,
                     {.size = 13, .bold = true, .colour = kInk, .anchor = "middle"});
            y += 22;
        }
        const double left = x + leftSpace(), top = y + kHeadroom, bottom = top + kPlotHeight;
        const Scale scale{0, 1, bottom, top};
        drawYAxis(doc, {scale, roundTicks(0, 1, 5), panel_.tick, panel_.yTitle}, left, plotWidth());
        std::vector<double> centres;
        for (std::size_t m = 0; m < in_.models.size(); ++m) {
            const double groupLeft =
                left + kGroupGap / 2 + static_cast<double>(m) * (groupWidth() + kGroupGap);
            centres.push_back(groupLeft + groupWidth() / 2);
            for (std::size_t i = 0; i < methods_.size(); ++i) {
                if (const ModelMethodStatistics* row = in_.row(m, methods_[i]))
                    drawBar(doc, *row, methods_[i], groupLeft + static_cast<double>(i) * slot_, scale);
            }
        }
        doc.line(left, bottom, left + plotWidth(), bottom, {.stroke = kMuted, .strokeWidth = 1});
        drawCategoryLabels(doc, in_.models, centres, groupWidth(), bottom + 6, kNameSize);
    }

  private:
    double groupWidth() const { return static_cast<double>(methods_.size()) * slot_; }

    void drawBar(svg::Document& doc, const ModelMethodStatistics& row, std::size_t method, double slotLeft,
                 const Scale& scale) const {
        const Bar b = panel_.bar(row);
        const double centre = slotLeft + slot_ / 2, barWidth = slot_ - 6;
        const std::string n = "n=" + std::to_string(b.n);
        if (!b.defined) {
            doc.text(centre, scale(0) - 4, n, {.size = kValueSize, .colour = kMuted, .anchor = "middle"},
                     {{"class", "bar-missing"}, {"data-model", row.model}, {"data-method", row.method}});
            return;
        }
        doc.rect(centre - barWidth / 2, scale(b.value), barWidth, scale(0) - scale(b.value),
                 {.fill = methodColour(method)},
                 {{"class", "bar"},
                  {"data-kind", panel_.kind},
                  {"data-model", row.model},
                  {"data-method", row.method},
                  {"data-value", fixed(b.value, 6)},
                  {"data-low", fixed(b.low, 6)},
                  {"data-high", fixed(b.high, 6)},
                  {"data-n", std::to_string(b.n)}});
        const svg::Paint whisker{.stroke = kInk, .strokeWidth = 1.2};
        doc.line(centre, scale(b.low), centre, scale(b.high), whisker);
        for (const double v : {b.low, b.high})
            doc.line(centre - barWidth / 4, scale(v), centre + barWidth / 4, scale(v), whisker);
        const double above = scale(b.high) - 4;
        doc.text(centre, above - kValueSize - 2, b.label,
                 {.size = kValueSize, .bold = true, .colour = kInk, .anchor = "middle"});
        doc.text(centre, above, n, {.size = kValueSize - 1, .colour = kMuted, .anchor = "middle"});
    }

    const Input& in_;
    BarPanel panel_;
    std::vector<std::size_t> methods_;
    double slot_ = 30;
};

std::vector<LegendEntry> methodLegend(const Input& in, const std::vector<std::size_t>& methods) {
    std::vector<LegendEntry> entries;
    for (const std::size_t k : methods)
        entries.push_back({methodLabel(in.methods[k]), methodColour(k)});
    return entries;
}

// The methods with a row that `keep` accepts, as indices into in.methods.
template <typename Keep>
std::vector<std::size_t> methodsWhere(const Input& in, Keep keep) {
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < in.methods.size(); ++k) {
        for (std::size_t m = 0; m < in.models.size(); ++m) {
            const ModelMethodStatistics* row = in.row(m, k);
            if (row && keep(*row)) {
                out.push_back(k);
                break;
            }
        }
    }
    return out;
}

// Panels side by side when they fit in `maxWidth`, else one under the other; the legend below.
std::string barPage(const Input& in, const std::string& title, const std::string& subtitle,
                    const std::vector<GroupedBars>& panels, const std::vector<std::size_t>& methods,
                    double maxWidth = 1100) {
    double sideBySide = 0, widest = 0;
    for (const auto& p : panels) {
        sideBySide += p.width() + 20;
        widest = std::max(widest, p.width());
    }
    const bool across = sideBySide <= maxWidth;
    const double width = std::max(520.0, (across ? sideBySide : widest) + 2 * kMargin);
    Page page = startPage(width, title, subtitle);
    double x = kMargin, y = page.top, rowBottom = y;
    for (const auto& p : panels) {
        p.draw(page.doc, x, y);
        rowBottom = std::max(rowBottom, y + p.height());
        if (across)
            x += p.width() + 20;
        else
            y = rowBottom + 16;
    }
    const double legendTop = (across ? rowBottom : y - 16) + 14;
    const double legend = drawLegend(page.doc, methodLegend(in, methods), kMargin + kAxisSpace, legendTop,
                                     width - 2 * kMargin - kAxisSpace);
    return finishPage(page, legendTop + legend);
}

bool anyVerdict(const StudyStatistics& s) {
    return std::any_of(s.modelMethods.begin(), s.modelMethods.end(),
                       [](const auto& r) { return r.judgedCorrect + r.judgedIncorrect > 0; });
}

}  // namespace

std::string shareChart(const Input& in) {
    if (in.statistics.modelMethods.empty())
        return messageChart("Share of maps judged correct",
                            "The project has no maps yet (run saliency-cli study).");
    const bool judged = anyVerdict(in.statistics);
    BarPanel panel{"", judged ? "maps judged correct" : "non-empty maps", percentText,
                   [judged](const ModelMethodStatistics& r) {
                       return judged ? proportionBar(r.judgedCorrect, r.judgedCorrect + r.judgedIncorrect)
                                     : proportionBar(r.nonEmpty, r.available);
                   },
                   judged ? "judged-correct" : "non-empty"};
    const std::string title = judged ? "Share of maps judged correct, per network and method"
                                     : "Share of non-empty maps, per network and method (no verdicts yet)";
    const std::string whose = in.statistics.judgedBy ? "annotator " + annotatorLabel(*in.statistics.judgedBy)
                                                     : std::string("every annotator");
    const std::string subtitle =
        judged
            ? "Maps judged correct out of those judged correct or incorrect (unsure left out; " + whose +
                  "); methods nobody judged are left out. Error bars: Wilson 95% intervals; n = maps judged."
            : "No map has been judged yet: the bars show the share of maps that carry spatial information "
              "at all. Error bars: Wilson 95% intervals; n = maps of an available method.";
    // With verdicts, only the methods that were judged: a row of "n=0" says nothing.
    const auto methods = methodsWhere(in, [judged](const ModelMethodStatistics& r) {
        return judged ? r.judgedCorrect + r.judgedIncorrect > 0 : true;
    });
    return barPage(in, title, subtitle, {GroupedBars(in, std::move(panel), methods)}, methods);
}

std::string maskAgreementChart(const Input& in) {
    const bool anyMask = std::any_of(in.statistics.modelMethods.begin(), in.statistics.modelMethods.end(),
                                     [](const auto& r) { return r.withMask > 0; });
    if (!anyMask) {
        return messageChart(
            "Agreement with the tumour masks",
            "No scan of the study has a ground-truth mask (masks/ next to the class folders).");
    }
    BarPanel iou{"IoU with the mask", "mean IoU", [](double v) { return fixed(v, 1); },
                 [](const ModelMethodStatistics& r) { return meanBar(r.maskIou); }, "mask-iou"};
    BarPanel pointing{
        "Pointing game", "peak inside the mask", percentText,
        [](const ModelMethodStatistics& r) { return proportionBar(r.pointingHits, r.pointingPlayed); },
        "pointing"};
    const auto methods = methodsWhere(in, [](const ModelMethodStatistics& r) { return r.withMask > 0; });
    return barPage(
        in, "Agreement with the tumour masks, per network and method",
        "Scans with a ground-truth mask. IoU: the binarised map against the mask, mean with its 95% "
        "interval (1.96 standard errors). Pointing game: the map's peak inside the mask, with Wilson "
        "95% intervals. n = scans.",
        {GroupedBars(in, std::move(iou), methods), GroupedBars(in, std::move(pointing), methods)}, methods);
}

}  // namespace saliency::study::chart
