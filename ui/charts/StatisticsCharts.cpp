// The proportion charts (share judged correct, mask agreement, accuracy against judged correct),
// the dispatch, and hit testing.
#include "StatisticsCharts.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <qcustomplot.h>

#include "ChartStyle.h"
#include "study/AgreementTables.h"

namespace saliency::ui {

namespace {

const QColor kErrorPen(40, 40, 40);

template <typename Entry>
const Entry* find(const std::vector<Entry>& entries, const std::string& model, const std::string& method) {
    const auto it = std::find_if(entries.begin(), entries.end(),
                                 [&](const Entry& e) { return e.model == model && e.method == method; });
    return it == entries.end() ? nullptr : &*it;
}

QString intervalText(const std::optional<metrics::ProportionInterval>& i) {
    if (!i)
        return "none (n = 0)";
    return QString("%1/%2 = %3 (95% CI %4 to %5)")
        .arg(i->successes)
        .arg(i->trials)
        .arg(chart::percent(i->estimate), chart::percent(i->low), chart::percent(i->high));
}

// One bar of a grouped bar chart: its height, its error bar, and the count written above it.
struct BarValue {
    bool defined = false;
    double value = 0;
    double minus = 0;
    double plus = 0;
    std::size_t n = 0;
    QString toolTip;
};

BarValue proportionBar(const std::optional<metrics::ProportionInterval>& i, std::size_t n,
                       const QString& what) {
    BarValue bar{i.has_value(), 0, 0, 0, n, what + ": " + intervalText(i)};
    if (i) {
        bar.value = i->estimate;
        bar.minus = i->estimate - i->low;
        bar.plus = i->high - i->estimate;
    }
    return bar;
}

// A mean with its sample standard deviation as the error bar.
BarValue summaryBar(const metrics::Summary& summary, const QString& what) {
    if (!summary.mean)
        return BarValue{false, 0, 0, 0, summary.n, what + ": none"};
    const double sd = summary.stdDev.value_or(0.0);
    return BarValue{true, *summary.mean, sd, sd, summary.n,
                    QString("%1 %2 ± %3 (n = %4)").arg(what).arg(*summary.mean, 0, 'f', 3).arg(sd, 0, 'f', 3).arg(summary.n)};
}

// Networks along x, a bar per method at network + offset (plot coordinates, so that a click maps
// back to a bar exactly), error bars, and "n=..." above each bar.
struct GroupedBars {
    const StatisticsData& data;
    QCPAxisRect* rect;
    TargetScope scope;
    std::function<BarValue(const std::string& model, const std::string& method)> value;
    bool shareAxis = true;  // 0% to 100% (shares compare across charts); else fitted to the bars

    // Upright counts fit over up to about a dozen bars; past that they are turned to read upwards.
    bool turnedCounts() const { return data.models.size() * data.methods.size() > 12; }
    double barWidth() const {
        return 0.8 / static_cast<double>(std::max<std::size_t>(1, data.methods.size()));
    }
    double key(std::size_t model, std::size_t method) const {
        return static_cast<double>(model) +
               (static_cast<double>(method) - (static_cast<double>(data.methods.size()) - 1) / 2.0) *
                   barWidth();
    }

    void draw(QCPLegend* legend, std::vector<ChartTarget>& targets) const {
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        QStringList networks;
        for (const auto& m : data.models)
            networks << QString::fromStdString(m);
        chart::setTextTicks(x, networks);
        x->setRange(-0.5, static_cast<double>(data.models.size()) - 0.5);
        if (shareAxis)
            chart::setShareTicks(y);
        y->setRange(0, top());
        for (std::size_t m = 0; m < data.methods.size(); ++m)
            drawMethod(m, legend, targets);
    }

    // The value axis' upper end, with room for the counts above the highest error bar.
    double top() const {
        if (shareAxis)
            return turnedCounts() ? 1.24 : 1.16;
        double highest = 0.05;
        for (const auto& model : data.models) {
            for (const auto& method : data.methods) {
                const BarValue bar = value(model, method);
                highest = std::max(highest, bar.defined ? bar.value + bar.plus : 0.0);
            }
        }
        return std::min(1.16, std::ceil(highest * 1.2 / 0.05) * 0.05);
    }

    void drawMethod(std::size_t m, QCPLegend* legend, std::vector<ChartTarget>& targets) const {
        const QColor colour = chart::methodColour(m);
        auto* bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        bars->setName(chart::methodTitle(data.methods[m]));
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(barWidth() * 0.9);
        bars->setPen(QPen(colour.darker(120)));
        bars->setBrush(colour);
        auto* errors = new QCPErrorBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        errors->setName(bars->name() + " 95% interval");
        errors->setPen(QPen(kErrorPen, 1.2));
        errors->setWhiskerWidth(std::min(8.0, 40 * barWidth()));
        errors->setSymbolGap(0);  // the gap is for scatter symbols; on a bar it breaks the line
        errors->removeFromLegend();
        QVector<double> keys, values, minus, plus;
        for (std::size_t i = 0; i < data.models.size(); ++i) {
            const BarValue bar = value(data.models[i], data.methods[m]);
            const double k = key(i, m);
            if (bar.defined) {
                keys << k;
                values << bar.value;
                minus << bar.minus;
                plus << bar.plus;
            }
            addCount(k, bar);
            targets.push_back(target(i, m, k, bar));
        }
        bars->setData(keys, values, true);
        errors->setDataPlottable(bars);
        errors->setData(minus, plus);
        if (legend)
            bars->addToLegend(legend);
    }

    void addCount(double k, const BarValue& bar) const {
        const double top = bar.defined ? bar.value + bar.plus : 0.0;
        const bool turned = turnedCounts();
        QCPItemText* text =
            chart::addText(rect, {k, top + 0.015}, QString("n=%1").arg(bar.n),
                           chart::font(*rect->parentPlot(), 7), QColor(60, 60, 60),
                           turned ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignHCenter | Qt::AlignBottom);
        if (turned)
            text->setRotation(-90);
    }

    ChartTarget target(std::size_t model, std::size_t method, double k, const BarValue& bar) const {
        ChartTarget t;
        t.rect = rect;
        t.area = QRectF(QPointF(k - barWidth() / 2, -1.0), QPointF(k + barWidth() / 2, 2.0));
        t.scope = scope;
        t.model = data.models[model];
        t.method = data.methods[method];
        t.toolTip =
            QString::fromStdString(t.model) + " · " + chart::methodTitle(t.method) + "\n" + bar.toolTip;
        return t;
    }
};

// Square axes on [low, 1] for both shares, low a tenth below the smallest interval bound.
double accuracyRangeLow(const StatisticsData& d) {
    double low = 1.0;
    for (const auto& e : d.accuracy) {
        if (e.accuracy && e.judged)
            low = std::min({low, e.accuracy->low, e.judged->low});
    }
    return std::clamp(std::floor(low * 10 - 1e-9) / 10, 0.0, 0.9);
}

void addAccuracyLegend(QCPAxisRect* rect, QCPLegend* legend, const StatisticsData& d) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    // Proxies without data: a colour per network and a shape per method, instead of an entry per point.
    for (std::size_t i = 0; i < d.models.size(); ++i) {
        auto* proxy = new QCPGraph(x, y);
        proxy->setName(QString::fromStdString(d.models[i]));
        proxy->setLineStyle(QCPGraph::lsNone);
        proxy->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, chart::networkColour(i), 9));
        proxy->addToLegend(legend);
    }
    for (std::size_t m = 0; m < d.methods.size(); ++m) {
        auto* proxy = new QCPGraph(x, y);
        proxy->setName(chart::methodTitle(d.methods[m]));
        proxy->setLineStyle(QCPGraph::lsNone);
        proxy->setScatterStyle(chart::methodShape(m, QColor(90, 90, 90), 9));
        proxy->addToLegend(legend);
    }
}

void addDiagonal(QCPAxisRect* rect, QCPLegend* legend, double low) {
    auto* diagonal = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    diagonal->setName("judged correct = accuracy");
    diagonal->setPen(QPen(QColor(150, 150, 150), 1.2, Qt::DashLine));
    diagonal->setData({low, 1.0}, {low, 1.0});
    diagonal->addToLegend(legend);
    chart::addText(rect, {0.995, low + 0.01}, "accurate, but the maps\nlook elsewhere",
                   chart::font(*rect->parentPlot(), 8), QColor(150, 60, 0), Qt::AlignRight | Qt::AlignBottom);
}

void addAccuracyPoint(QCPAxisRect* rect, const AccuracyEntry& e, std::size_t model, std::size_t method,
                      std::vector<ChartTarget>& targets) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    const QColor colour = chart::networkColour(model);
    auto* point = new QCPGraph(x, y);
    point->setName(QString::fromStdString(e.model) + " · " + chart::methodTitle(e.method));
    point->setLineStyle(QCPGraph::lsNone);
    point->setScatterStyle(chart::methodShape(method, colour, 10));
    point->setData({e.accuracy->estimate}, {e.judged->estimate});
    for (const auto type : {QCPErrorBars::etKeyError, QCPErrorBars::etValueError}) {
        auto* errors = new QCPErrorBars(x, y);
        errors->setErrorType(type);
        errors->setPen(QPen(colour.lighter(115), 1.0));
        errors->setWhiskerWidth(5);
        errors->setDataPlottable(point);
        const auto& i = type == QCPErrorBars::etKeyError ? *e.accuracy : *e.judged;
        errors->setData({i.estimate - i.low}, {i.high - i.estimate});
    }
    ChartTarget t;
    t.rect = rect;
    t.isPoint = true;
    t.at = {e.accuracy->estimate, e.judged->estimate};
    t.scope = TargetScope::Judged;
    t.model = e.model;
    t.method = e.method;
    t.toolTip = point->name() + "\naccuracy " + intervalText(e.accuracy) + "\njudged correct " +
                intervalText(e.judged);
    targets.push_back(t);
}

bool anyMeasured(const StatisticsData& d, metrics::Summary MetricEntry::*member) {
    return std::any_of(d.metricFamilies.begin(), d.metricFamilies.end(),
                       [member](const MetricEntry& e) { return (e.*member).mean.has_value(); });
}

}  // namespace

QString chartTitle(StatisticsChart chart) {
    switch (chart) {
        case StatisticsChart::JudgedCorrect:
            return "Judged correct";
        case StatisticsChart::NetworkIou:
            return "IoU between networks";
        case StatisticsChart::MethodIou:
            return "IoU between methods";
        case StatisticsChart::Centres:
            return "Centres of mass";
        case StatisticsChart::CentreDistances:
            return "Centre distances";
        case StatisticsChart::MaskAgreement:
            return "Agreement with masks";
        case StatisticsChart::AccuracyVsJudged:
            return "Accuracy vs judged";
        case StatisticsChart::MetricFamilies:
            return "Sparseness, rank accuracy";
    }
    return {};
}

BuiltChart buildChart(QCustomPlot& plot, StatisticsChart chart, const StatisticsData& data) {
    switch (chart) {
        case StatisticsChart::JudgedCorrect:
            return buildShareChart(plot, data);
        case StatisticsChart::NetworkIou:
            return buildNetworkIouChart(plot, data);
        case StatisticsChart::MethodIou:
            return buildMethodIouChart(plot, data);
        case StatisticsChart::Centres:
            return buildCentreChart(plot, data);
        case StatisticsChart::CentreDistances:
            return buildDistanceChart(plot, data);
        case StatisticsChart::MaskAgreement:
            return buildMaskChart(plot, data);
        case StatisticsChart::AccuracyVsJudged:
            return buildAccuracyChart(plot, data);
        case StatisticsChart::MetricFamilies:
            return buildMetricFamiliesChart(plot, data);
    }
    return {};
}

const ChartTarget* targetAt(const std::vector<ChartTarget>& targets, QPointF pixel) {
    const ChartTarget* best = nullptr;
    double bestDistance = 7.0;  // pixels: a point is hit within this radius
    for (const auto& t : targets) {
        if (!t.rect || !t.rect->rect().contains(pixel.toPoint()))
            continue;
        QCPAxis* x = t.rect->axis(QCPAxis::atBottom);
        QCPAxis* y = t.rect->axis(QCPAxis::atLeft);
        if (!t.isPoint) {
            if (t.area.contains(x->pixelToCoord(pixel.x()), y->pixelToCoord(pixel.y())))
                return &t;
            continue;
        }
        const double d =
            std::hypot(x->coordToPixel(t.at.x()) - pixel.x(), y->coordToPixel(t.at.y()) - pixel.y());
        if (d <= bestDistance) {
            bestDistance = d;
            best = &t;
        }
    }
    return best;
}

ScanFilter filterFor(const StatisticsData& data, const ChartTarget& t) {
    ScanFilter f;
    f.model = QString::fromStdString(t.model);
    f.method = QString::fromStdString(t.method);
    std::vector<std::string> scans;
    switch (t.scope) {
        case TargetScope::Maps:
        case TargetScope::Masked:
            scans = scansWithMaps(data, t.model, t.method, t.scope == TargetScope::Masked);
            break;
        case TargetScope::Judged:
            scans = scansJudged(data, t.model, t.method);
            break;
        case TargetScope::NetworkPair:
            f.otherModel = QString::fromStdString(t.other);
            scans = scansOfPair(data, study::PairKind::Models, t.method, t.model, t.other);
            break;
        case TargetScope::MethodPair:
            f.otherMethod = QString::fromStdString(t.other);
            scans = scansOfPair(data, study::PairKind::Methods, t.model, t.method, t.other);
            break;
        case TargetScope::OneScan:
            scans = {scanPath(data, t.scanId)};
            break;
    }
    for (const auto& s : scans)
        f.scans << QString::fromStdString(s);
    return f;
}

BuiltChart buildShareChart(QCustomPlot& plot, const StatisticsData& d) {
    const bool judged = d.shareBasis == ShareBasis::Judged;
    chart::reset(plot);
    if (d.shares.empty()) {
        chart::showMessage(plot, "Maps judged correct",
                           "No maps in this project yet: show scans with the project open (each grid is "
                           "recorded) or compute the statistics for the whole data set (Mark menu; "
                           "saliency-cli study on the command line).");
        return {};
    }
    chart::addTitle(
        plot,
        judged ? "Share of maps judged correct, per network and method"
               : "Share of non-empty maps, per network and method (no maps judged yet)",
        judged ? QString("correct / (correct + incorrect); unsure left out; verdicts of %1; bars: 95% Wilson "
                         "interval; n: maps judged")
                     .arg(d.rows.statistics.judgedBy
                              ? QString::fromStdString(study::annotatorLabel(*d.rows.statistics.judgedBy))
                              : QString("every annotator"))
               : "No map has a verdict yet, so this shows the share of maps with spatial information "
                 "instead; bars: 95% Wilson interval; n: maps");
    QCPAxisRect* rect = chart::addPanels(plot, {QString()}, 1, false).rects.front();
    rect->axis(QCPAxis::atLeft)->setLabel(judged ? "maps judged correct" : "non-empty maps");
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(d.methods.size()));
    BuiltChart built{{}, 0.5, 1};
    GroupedBars bars{d, rect, judged ? TargetScope::Judged : TargetScope::Maps,
                     [&](const std::string& model, const std::string& method) {
                         const ShareEntry* e = find(d.shares, model, method);
                         return e ? proportionBar(e->interval, e->trials,
                                                  judged ? "judged correct" : "non-empty")
                                  : BarValue{};
                     }};
    bars.draw(legend, built.targets);
    return built;
}

BuiltChart buildMaskChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    if (!d.anyMaskAgreement) {
        // Two different things are missing: masks in the data set, or maps of the scans that have one.
        chart::showMessage(
            plot, "Agreement with tumour masks",
            d.scansWithMask == 0
                ? QString(
                      "No scan of this project has a ground-truth mask (a masks/ folder beside the classes).")
                : QString(
                      "%1 of the project's scans %2 a ground-truth mask, but no map of them is stored yet: "
                      "show those scans with the project open, or compute the statistics for the whole "
                      "data set (Mark menu; saliency-cli study on the command line).")
                      .arg(d.scansWithMask)
                      .arg(d.scansWithMask == 1 ? "has" : "have"));
        return {};
    }
    const bool readerMarked = std::any_of(d.masks.begin(), d.masks.end(),
                                          [](const MaskEntry& e) { return e.readerMarked > 0; });
    chart::addTitle(plot, "Agreement with the tumour masks, per network and method",
                    readerMarked ? "scans with a mask, else the lesion a reader marked (a box; a click: "
                                   "pointing game only); maps binarised as for the IoU between maps"
                                 : "scans with a ground-truth mask; maps binarised as for the IoU between maps");
    const auto rects = chart::addPanels(plot,
                                        {"IoU with the mask (mean ± SD)",
                                         "Pointing game: peak inside the mask (95% Wilson interval)"},
                                        1, true)
                           .rects;
    rects[0]->axis(QCPAxis::atLeft)->setLabel("IoU");
    rects[1]->axis(QCPAxis::atLeft)->setLabel("hit rate");
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(d.methods.size()));
    BuiltChart built{{}, 0.4, 2};
    GroupedBars iou{
        d, rects[0], TargetScope::Masked, [&](const std::string& model, const std::string& method) {
            const MaskEntry* e = find(d.masks, model, method);
            return e ? summaryBar(e->iou, "IoU") : BarValue{false, 0, 0, 0, 0, "IoU: none"};
        }};
    iou.shareAxis = false;  // IoU: fitted to the bars, plain numbers
    iou.draw(legend, built.targets);
    GroupedBars pointing{
        d, rects[1], TargetScope::Masked, [&](const std::string& model, const std::string& method) {
            const MaskEntry* e = find(d.masks, model, method);
            return e ? proportionBar(e->pointing, e->pointing ? e->pointing->trials : 0, "pointing game")
                     : BarValue{};
        }};
    pointing.draw(nullptr, built.targets);
    return built;
}

BuiltChart buildMetricFamiliesChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    if (!anyMeasured(d, &MetricEntry::sparseness)) {
        chart::showMessage(plot, "Sparseness and relevance rank accuracy",
                           "No map of this project has these metrics yet: they are measured when maps are stored "
                           "(show scans with the project open, or compute the statistics for the whole data set).");
        return {};
    }
    // The faithfulness and robustness panels only where a study measured them (they are slow: opt-in).
    struct Panel {
        QString title;
        QString axis;
        metrics::Summary MetricEntry::*member;
        TargetScope scope;
        const char* what;
    };
    std::vector<Panel> panels = {
        {"Sparseness (Gini index, mean ± SD)", "Gini", &MetricEntry::sparseness, TargetScope::Maps, "sparseness"},
        {"Relevance rank accuracy (mean ± SD)", "share inside", &MetricEntry::rankAccuracy, TargetScope::Masked,
         "rank accuracy"}};
    if (anyMeasured(d, &MetricEntry::roadMorf))
        panels.push_back({"ROAD, most relevant removed first (lower: more faithful)", "probability",
                          &MetricEntry::roadMorf, TargetScope::Maps, "ROAD MoRF"});
    if (anyMeasured(d, &MetricEntry::averageSensitivity))
        panels.push_back({"Average sensitivity to ±5% noise (lower: steadier)", "relative change",
                          &MetricEntry::averageSensitivity, TargetScope::Maps, "average sensitivity"});
    QString subtitle =
        "sparseness: Gini index of each map (higher: fewer pixels carry it); rank accuracy: share of the K "
        "highest pixels inside the mask or a reader's box, K its size";
    if (panels.size() > 2)
        subtitle += "; faithfulness and robustness: maps a study measured them for";
    chart::addTitle(plot,
                    panels.size() > 2 ? "How concentrated, on the lesion, faithful and steady the maps are"
                                      : "How concentrated the maps are, and how much of their peak is on the lesion",
                    subtitle);
    QStringList titles;
    for (const auto& p : panels)
        titles << p.title;
    const int columns = panels.size() > 2 ? chart::facetColumns(panels.size()) : 1;
    // Each panel its own scale (Gini, shares, probabilities, relative change): tick labels on every one.
    const auto rects = chart::addPanels(plot, titles, columns, columns == 1).rects;
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(d.methods.size()));
    const int rows = (static_cast<int>(panels.size()) + columns - 1) / columns;
    BuiltChart built{{}, columns == 1 ? 0.4 : 0.6, rows};
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const Panel& panel = panels[i];
        rects[i]->axis(QCPAxis::atLeft)->setLabel(panel.axis);
        GroupedBars bars{d, rects[i], panel.scope, [&](const std::string& model, const std::string& method) {
                             const MetricEntry* e = find(d.metricFamilies, model, method);
                             return e ? summaryBar(e->*panel.member, panel.what) : BarValue{};
                         }};
        bars.shareAxis = false;
        bars.draw(i == 0 ? legend : nullptr, built.targets);
    }
    return built;
}

BuiltChart buildAccuracyChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    const QString title = "Accuracy against maps judged correct (right for the wrong reason?)";
    if (d.shareBasis != ShareBasis::Judged) {
        chart::showMessage(plot, title,
                           "No map has been judged yet: mark maps correct or incorrect to compare what the "
                           "networks predict with where they look.");
        return {};
    }
    chart::addTitle(
        plot, title,
        "one point per network and method; bars: 95% Wilson intervals; below the diagonal a network "
        "is right more often than its maps are");
    QCPAxisRect* rect = chart::addPanels(plot, {QString()}, 1, false).rects.front();
    const double low = accuracyRangeLow(d);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    chart::setShareTicks(x);
    chart::setShareTicks(y);
    x->setLabel("accuracy (predictions correct)");
    y->setLabel("maps judged correct");
    x->setRange(low - 0.01, 1.01);
    y->setRange(low - 0.01, 1.01);
    // The diagonal, the networks and the methods: one row up to five entries, else two or more.
    const auto entries = static_cast<int>(1 + d.models.size() + d.methods.size());
    QCPLegend* legend = chart::addLegend(plot, entries <= 5 ? entries : (entries + 1) / 2);
    addDiagonal(rect, legend, low);
    addAccuracyLegend(rect, legend, d);
    BuiltChart built{{}, 0.8, 1};
    for (const auto& e : d.accuracy) {
        if (!e.accuracy || !e.judged)
            continue;
        const auto model = std::find(d.models.begin(), d.models.end(), e.model) - d.models.begin();
        const auto method = std::find(d.methods.begin(), d.methods.end(), e.method) - d.methods.begin();
        addAccuracyPoint(rect, e, static_cast<std::size_t>(model), static_cast<std::size_t>(method),
                         built.targets);
    }
    return built;
}

}  // namespace saliency::ui
