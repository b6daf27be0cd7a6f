// The IoU heat maps of the report: the mean IoU of the binarised maps between every two networks
// (a panel per method) and between every two methods (a panel per network), values in the cells.
#include <algorithm>
#include <cmath>

#include "study/ChartParts.h"
#include "study/ReportText.h"

namespace saliency::study::chart {

namespace {

constexpr double kLabelSize = 11.5;
constexpr double kPanelGap = 28;
constexpr double kTitleHeight = 24;

struct Matrix {
    std::string group;                // the method (network matrices) or the network (method matrices)
    std::string title;                // the panel's title
    std::vector<std::string> keys;    // rows and columns as stored (model or method names)
    std::vector<std::string> labels;  // as shown
    std::vector<const PairStatistics*> cells;  // row-major; nullptr on the diagonal and where unknown
    const PairStatistics* at(std::size_t r, std::size_t c) const { return cells[r * keys.size() + c]; }
};

// One matrix per group that has at least one pair.
std::vector<Matrix> matrices(const std::vector<PairStatistics>& rows, const std::vector<std::string>& groups,
                             const std::vector<std::string>& keys, bool methods) {
    std::vector<Matrix> out;
    for (const auto& group : groups) {
        Matrix m{group, methods ? group : methodLabel(group), keys, {}, {}};
        for (const auto& k : keys)
            m.labels.push_back(methods ? methodLabel(k) : k);
        m.cells.assign(keys.size() * keys.size(), nullptr);
        bool any = false;
        for (const auto& r : rows) {
            const auto a = std::find(keys.begin(), keys.end(), r.first) - keys.begin();
            const auto b = std::find(keys.begin(), keys.end(), r.second) - keys.begin();
            if (r.group != group || a == static_cast<long>(keys.size()) ||
                b == static_cast<long>(keys.size()))
                continue;
            m.cells[static_cast<std::size_t>(a) * keys.size() + static_cast<std::size_t>(b)] = &r;
            m.cells[static_cast<std::size_t>(b) * keys.size() + static_cast<std::size_t>(a)] = &r;
            any = true;
        }
        if (any)
            out.push_back(std::move(m));
    }
    return out;
}

class HeatMap {
  public:
    explicit HeatMap(const Matrix& m) : m_(m) {
        cell_ = std::clamp(300.0 / static_cast<double>(m.keys.size()), 44.0, 84.0);
        for (const auto& l : m.labels)
            rowLabels_ = std::max(rowLabels_, svg::textWidth(l, kLabelSize));
    }
    double side() const { return cell_ * static_cast<double>(m_.keys.size()); }
    double left() const {
        return std::max(rowLabels_ + 8, categoryLabelsOverhang(m_.labels, cell_, kLabelSize) + 4);
    }
    double width() const { return left() + side(); }
    double height() const {
        return kTitleHeight + side() + 4 + categoryLabelsHeight(m_.labels, cell_, kLabelSize);
    }

    void draw(svg::Document& doc, double x, double y) const {
        const double x0 = x + left(), y0 = y + kTitleHeight;
        doc.text(x0 + side() / 2, y + 15, m_.title,
                 {.size = 13, .bold = true, .colour = kInk, .anchor = "middle"});
        std::vector<double> centres;
        for (std::size_t r = 0; r < m_.keys.size(); ++r) {
            const double cy = y0 + (static_cast<double>(r) + 0.5) * cell_;
            doc.text(x0 - 6, cy + kLabelSize * 0.35, m_.labels[r],
                     {.size = kLabelSize, .colour = kInk, .anchor = "end"});
            centres.push_back(x0 + (static_cast<double>(r) + 0.5) * cell_);
            for (std::size_t c = 0; c < m_.keys.size(); ++c)
                drawCell(doc, r, c, x0 + static_cast<double>(c) * cell_, y0 + static_cast<double>(r) * cell_);
        }
        drawCategoryLabels(doc, m_.labels, centres, cell_, y0 + side() + 2, kLabelSize);
    }

  private:
    void drawCell(svg::Document& doc, std::size_t r, std::size_t c, double x, double y) const {
        const double mid = x + cell_ / 2;
        if (r == c) {
            doc.rect(x, y, cell_, cell_, {.fill = "#f4f4f4", .stroke = "#ffffff", .strokeWidth = 1.5});
            return;
        }
        const PairStatistics* p = m_.at(r, c);
        const svg::Attributes attributes = {{"class", "cell"},
                                            {"data-group", m_.group},
                                            {"data-row", m_.keys[r]},
                                            {"data-column", m_.keys[c]},
                                            {"data-value", p && p->iou.mean ? fixed(*p->iou.mean, 6) : ""},
                                            {"data-n", std::to_string(p ? p->iou.n : 0)}};
        if (!p || !p->iou.mean) {
            doc.rect(x, y, cell_, cell_, {.fill = kNoData, .stroke = "#ffffff", .strokeWidth = 1.5},
                     attributes);
            doc.text(mid, y + cell_ / 2 + 4, "n/a", {.size = 11, .colour = kMuted, .anchor = "middle"});
            return;
        }
        const double v = *p->iou.mean;
        doc.rect(x, y, cell_, cell_, {.fill = viridis(v), .stroke = "#ffffff", .strokeWidth = 1.5},
                 attributes);
        const std::string ink = needsLightText(v) ? "#ffffff" : kInk;
        const bool withN = cell_ >= 56;
        doc.text(mid, y + cell_ / 2 + (withN ? 0 : 4.5), fixed(v, 2),
                 {.size = 13, .bold = true, .colour = ink, .anchor = "middle"});
        if (withN) {
            doc.text(mid, y + cell_ / 2 + 14, "n=" + std::to_string(p->iou.n),
                     {.size = 9.5, .colour = ink, .anchor = "middle"});
        }
    }

    const Matrix& m_;
    double cell_ = 60;
    double rowLabels_ = 0;
};

// The viridis scale from 0 to 1 beside the panels.
void drawColourBar(svg::Document& doc, double x, double y, double height) {
    std::vector<std::pair<double, std::string>> stops;
    for (int i = 0; i <= 10; ++i)
        stops.push_back({i / 10.0, viridis(i / 10.0)});
    doc.linearGradient("viridis", stops, true);
    doc.rect(x, y, 14, height, {.fill = "url(#viridis)", .stroke = kMuted, .strokeWidth = 0.8});
    const Scale scale{0, 1, y + height, y};
    for (const double t : roundTicks(0, 1, 4)) {
        doc.line(x + 14, scale(t), x + 18, scale(t), {.stroke = kMuted, .strokeWidth = 1});
        doc.text(x + 21, scale(t) + 4, fixed(t, 2), {.size = 11, .colour = kMuted});
    }
    doc.text(x + 62, y + height / 2, "mean IoU",
             {.size = 12, .colour = kInk, .anchor = "middle", .rotate = 90});
}

std::string heatMapPage(const std::vector<Matrix>& list, const std::string& title,
                        const std::string& subtitle) {
    std::vector<HeatMap> maps;
    for (const auto& m : list)
        maps.emplace_back(m);
    const auto columns = facetColumns(maps.size());
    double panelWidth = 0, panelHeight = 0;
    for (const auto& h : maps) {
        panelWidth = std::max(panelWidth, h.width());
        panelHeight = std::max(panelHeight, h.height());
    }
    const double gridWidth = static_cast<double>(columns) * (panelWidth + kPanelGap) - kPanelGap;
    Page page = startPage(std::max(480.0, gridWidth + 90 + 2 * kMargin), title, subtitle);
    for (std::size_t i = 0; i < maps.size(); ++i) {
        const double x = kMargin + static_cast<double>(i % columns) * (panelWidth + kPanelGap);
        const double y = page.top + static_cast<double>(i / columns) * (panelHeight + kPanelGap);
        maps[i].draw(page.doc, x + panelWidth - maps[i].width(), y);
    }
    const std::size_t rows = (maps.size() + columns - 1) / columns;
    const double gridHeight = static_cast<double>(rows) * (panelHeight + kPanelGap) - kPanelGap;
    drawColourBar(page.doc, kMargin + gridWidth + 24, page.top + kTitleHeight,
                  std::clamp(gridHeight - 60, 100.0, 240.0));
    return finishPage(page, page.top + gridHeight);
}

const char* kIouSubtitle =
    "Mean IoU of the binarised maps of the same scans (n = scans where it is defined; an IoU of two empty "
    "regions is left out). 1: the same region; 0: disjoint.";

// The heat maps of pairs of `keys` (networks, or methods when `methods`), a panel per group.
std::string iouChart(const std::string& title, const std::vector<PairStatistics>& rows,
                     const std::vector<std::string>& groups, const std::vector<std::string>& keys,
                     bool methods) {
    const std::string what = methods ? "method" : "network";
    if (keys.size() < 2) {
        return messageChart(title,
                            "The study has one " + what + ": there is no pair of " + what + "s to compare.");
    }
    const auto list = matrices(rows, groups, keys, methods);
    if (list.empty())
        return messageChart(title, "No pair of " + what + "s was studied on the same scans.");
    return heatMapPage(list, title, kIouSubtitle);
}

}  // namespace

std::string networkIouChart(const Input& in) {
    return iouChart("IoU between networks, per method", in.statistics.modelPairs, in.methods, in.models,
                    false);
}

std::string methodIouChart(const Input& in) {
    return iouChart("IoU between methods, per network", in.statistics.methodPairs, in.models, in.methods,
                    true);
}

}  // namespace saliency::study::chart
