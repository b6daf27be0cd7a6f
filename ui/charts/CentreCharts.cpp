// Centres of mass: where each network's maps sit in the image, and how far apart two networks'
// centres are (the seed's statistical test, as distributions instead of only means).
#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <qcustomplot.h>

#include "ChartStyle.h"
#include "StatisticsCharts.h"

namespace saliency::ui {

namespace {

// The image plane: a framed square, y down as in the image, square whatever the panel's shape.
void setImageAxes(QCPAxisRect* rect) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    // In a narrow figure the panels are too narrow for five labels side by side: the x axis
    // labels the halves only (the quarters keep their ticks).
    const bool narrow = chart::layoutWidth(*rect->parentPlot()) < 500;
    for (QCPAxis* axis : {x, y}) {
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        for (int i = 0; i <= 4; ++i)
            ticker->addTick(i * 0.25, axis == x && narrow && i % 2 ? QString() : QString::number(i * 0.25));
        axis->setTicker(ticker);
        axis->setSubTicks(false);
    }
    y->setRangeReversed(true);
    x->setLabel("x (image width)");
    y->setLabel("y (image height, down)");
    chart::keepSquare(rect, QCPRange(-0.03, 1.03), QCPRange(-0.03, 1.03));
    auto* frame = new QCPItemRect(rect->parentPlot());
    frame->setClipAxisRect(rect);
    for (QCPItemPosition* p : {frame->topLeft, frame->bottomRight})
        p->setAxes(x, y);
    frame->topLeft->setCoords(0, 0);
    frame->bottomRight->setCoords(1, 1);
    frame->setPen(QPen(QColor(120, 120, 120), 1.2));
    frame->setBrush(Qt::NoBrush);
}

// The scatter of one network: a graph per method (the test and the legend find them by name), and
// each method's mean centre as a large outlined marker on top.
void drawCentres(QCPAxisRect* rect, const CentreScatter& scatter, const StatisticsData& d, QCPLegend* legend,
                 std::vector<ChartTarget>& targets) {
    // The legend lists the methods once, from the first panel.
    setImageAxes(rect);
    const double dot = scatter.points.size() > 2000 ? 3.5 : 5;
    for (std::size_t m = 0; m < d.methods.size(); ++m) {
        QVector<double> xs, ys;
        for (const auto& p : scatter.points) {
            if (p.method != d.methods[m])
                continue;
            xs << p.x;
            ys << p.y;
            ChartTarget t{rect,          {},       true, {p.x, p.y}, {}, TargetScope::OneScan,
                          scatter.model, p.method, {},   p.scanId};
            t.toolTip = QString("%1 · %2\n%3\ncentre (%4, %5)")
                            .arg(QString::fromStdString(scatter.model), chart::methodTitle(p.method),
                                 QString::fromStdString(scanPath(d, p.scanId)))
                            .arg(p.x, 0, 'f', 3)
                            .arg(p.y, 0, 'f', 3);
            targets.push_back(t);
        }
        QColor colour = chart::methodColour(m);
        auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        graph->setName(chart::methodTitle(d.methods[m]));
        graph->setLineStyle(QCPGraph::lsNone);
        colour.setAlpha(140);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, dot));
        graph->setData(xs, ys);
        if (legend)
            graph->addToLegend(legend);
        if (xs.isEmpty())
            continue;
        auto* mean = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        mean->setName(graph->name() + " mean");
        mean->setLineStyle(QCPGraph::lsNone);
        mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1.5),
                                              QBrush(chart::methodColour(m)), 13));
        const auto count = static_cast<double>(xs.size());
        mean->setData({std::accumulate(xs.begin(), xs.end(), 0.0) / count},
                      {std::accumulate(ys.begin(), ys.end(), 0.0) / count});
    }
}

void addMeanLegend(QCustomPlot& plot, QCPLegend* legend) {
    auto* proxy =
        new QCPGraph(plot.axisRect(0)->axis(QCPAxis::atBottom), plot.axisRect(0)->axis(QCPAxis::atLeft));
    proxy->setName("mean centre of a method");
    proxy->setLineStyle(QCPGraph::lsNone);
    proxy->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 1.5), QBrush(Qt::white), 11));
    proxy->addToLegend(legend);
}

// A step outline per method (bars of several methods would hide each other), lightly filled.
QCPGraph* drawHistogram(QCPAxisRect* rect, const DistanceHistogram& h, std::size_t method, double binWidth) {
    QVector<double> keys, values;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        keys << static_cast<double>(i) * binWidth;
        values << static_cast<double>(h.counts[i]);
    }
    keys << static_cast<double>(h.counts.size()) * binWidth;  // closes the last step
    values << (h.counts.empty() ? 0.0 : static_cast<double>(h.counts.back()));
    const QColor colour = chart::methodColour(method);
    auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(chart::methodTitle(h.method));
    graph->setLineStyle(QCPGraph::lsStepLeft);
    graph->setPen(QPen(colour, 1.8));
    QColor fill = colour;
    fill.setAlpha(28);
    graph->setBrush(fill);
    graph->setData(keys, values, true);
    return graph;
}

void addMeans(QCPAxisRect* rect, const std::vector<const DistanceHistogram*>& histograms,
              const StatisticsData& d, double top) {
    double y = top * 0.97;
    for (const DistanceHistogram* h : histograms) {
        if (!h->distance.mean)
            continue;
        const auto m = static_cast<std::size_t>(std::find(d.methods.begin(), d.methods.end(), h->method) -
                                                d.methods.begin());
        const QString text = QString("%1: mean %2 (n=%3)")
                                 .arg(chart::methodTitle(h->method))
                                 .arg(*h->distance.mean, 0, 'f', 3)
                                 .arg(h->distance.n);
        const double right = rect->axis(QCPAxis::atBottom)->range().upper;
        chart::addText(rect, {right * 0.98, y}, text, chart::font(*rect->parentPlot(), 8),
                       chart::methodColour(m).darker(115), Qt::AlignRight | Qt::AlignTop);
        y -= top * 0.075;
        auto* line = new QCPItemStraightLine(rect->parentPlot());
        line->setClipAxisRect(rect);
        for (QCPItemPosition* p : {line->point1, line->point2})
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        line->point1->setCoords(*h->distance.mean, 0);
        line->point2->setCoords(*h->distance.mean, 1);
        line->setPen(QPen(chart::methodColour(m), 1.2, Qt::DashLine));
    }
}

}  // namespace

BuiltChart buildCentreChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    const QString title = "Centres of mass of the maps, per network";
    const bool any =
        std::any_of(d.centres.begin(), d.centres.end(), [](const auto& c) { return !c.points.empty(); });
    if (!any) {
        chart::showMessage(
            plot, title,
            "No map with a centre of mass yet: show scans with the project open or compute the statistics "
            "for the whole data set (Mark menu; saliency-cli study on the command line).");
        return {};
    }
    chart::addTitle(
        plot, title,
        "one dot per map (image-size units, y down as in the image); diamonds: each method's mean; "
        "click a dot for its scan");
    QStringList titles;
    for (const auto& c : d.centres)
        titles << QString::fromStdString(c.model);
    const int columns = chart::facetColumns(d.centres.size());
    const chart::Panels panels = chart::addPanels(plot, titles, columns, true);
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(d.methods.size()) + 1);
    BuiltChart built;
    for (std::size_t i = 0; i < d.centres.size(); ++i)
        drawCentres(panels.rects[i], d.centres[i], d, i == 0 ? legend : nullptr, built.targets);
    addMeanLegend(plot, legend);
    const int rows = (static_cast<int>(d.centres.size()) + columns - 1) / columns;
    built.plotAspect = 1.0;  // the image plane is square
    built.panelRows = rows;
    return built;
}

BuiltChart buildDistanceChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    const QString title = "Centre-of-mass distances between networks";
    if (d.distances.histograms.empty()) {
        chart::showMessage(
            plot, title,
            d.models.size() < 2
                ? "The project has one network: add another to compare them."
                : "No scan has maps of two networks with both centres defined yet: show scans with both "
                  "networks open, or compute the statistics for the whole data set (Mark menu).");
        return {};
    }
    chart::addTitle(
        plot, title,
        QString("per scan, between the two networks' maps of one method (image-size units, bins of "
                "%1); dashed: means")
            .arg(d.distances.binWidth));
    // One panel per pair of networks, in the order the pairs come (by network, then method).
    std::vector<std::pair<std::string, std::string>> pairs;
    std::map<std::pair<std::string, std::string>, std::vector<const DistanceHistogram*>> byPair;
    for (const auto& h : d.distances.histograms) {
        const auto key = std::make_pair(h.firstModel, h.secondModel);
        if (!byPair.contains(key))
            pairs.push_back(key);
        byPair[key].push_back(&h);
    }
    QStringList titles;
    for (const auto& [a, b] : pairs)
        titles << QString::fromStdString(a + " vs " + b);
    const int columns = std::min<int>(2, static_cast<int>(pairs.size()));
    const chart::Panels panels = chart::addPanels(plot, titles, columns, false);
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(d.methods.size()));
    std::set<std::size_t> listed;  // methods already in the legend
    std::size_t highest = 1;
    for (const auto& h : d.distances.histograms)
        highest = std::max(highest, *std::max_element(h.counts.begin(), h.counts.end()));
    const double top = static_cast<double>(highest) * 1.15 + 1;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        QCPAxisRect* rect = panels.rects[p];
        rect->axis(QCPAxis::atBottom)
            ->setRange(0, static_cast<double>(d.distances.bins) * d.distances.binWidth);
        rect->axis(QCPAxis::atBottom)->setLabel("centre-of-mass distance (image-size units)");
        rect->axis(QCPAxis::atLeft)->setRange(0, top);
        rect->axis(QCPAxis::atLeft)->setLabel("scans");
        for (const DistanceHistogram* h : byPair[pairs[p]]) {
            const auto m = static_cast<std::size_t>(std::find(d.methods.begin(), d.methods.end(), h->method) -
                                                    d.methods.begin());
            QCPGraph* graph = drawHistogram(rect, *h, m, d.distances.binWidth);
            if (listed.insert(m).second)
                graph->addToLegend(legend);
        }
        addMeans(rect, byPair[pairs[p]], d, top);
    }
    const int rows = (static_cast<int>(pairs.size()) + columns - 1) / columns;
    return {{}, 0.6, rows};
}

}  // namespace saliency::ui
