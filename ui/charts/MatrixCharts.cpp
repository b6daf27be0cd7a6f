// IoU heat maps: between networks (a matrix per method) and between methods (a matrix per network).
#include <algorithm>
#include <cmath>
#include <limits>

#include <qcustomplot.h>
#include <QFontMetricsF>

#include "ChartStyle.h"
#include "StatisticsCharts.h"

namespace saliency::ui {

namespace {

QString summaryText(const char* name, const metrics::Summary& s) {
    if (!s.mean)
        return QString("%1: undefined (%2 pairs)").arg(name).arg(s.nUndefined);
    QString text = QString("%1 %2").arg(name).arg(*s.mean, 0, 'f', 3);
    if (s.stdDev)
        text += QString(" ± %1").arg(*s.stdDev, 0, 'f', 3);
    text += QString(" (n = %1").arg(s.n);
    if (s.nUndefined)
        text += QString(", %1 undefined").arg(s.nUndefined);
    return text + ")";
}

// What a matrix chart shows in its rows and columns, and what a click on a cell filters.
struct MatrixKind {
    TargetScope scope;
    QStringList labels;
};

// The layout of a matrix chart, decided from the width before anything is laid out, since the
// export lays out once at the paper's width and the text must fit it at every width and DPI.
struct MatrixPlan {
    int columns = 1;           // panels per row
    double cell = 0;           // expected cell side, layout pixels
    QStringList rowLabels;     // elided to the room left of the cells
    QStringList columnLabels;  // elided to the room under the cells
    bool turnColumns = false;  // column labels read upwards when they would run into each other
    QStringList titles;        // panel titles, elided to the panel
    double cellPoints = 0;     // font of the cell text; 0: no text fits
    bool cellCounts = false;   // the "n=" line fits as well
};

constexpr double kLabelPoints = 8;
constexpr double kMinCellPoints = 6;  // below this cell text is no longer legible in print
constexpr int kScaleReserve = 16;     // the colour scale's column spacing
constexpr int kPanelSpacing = 14;     // addPanels' column spacing

// The width the colour scale takes: spacing, bar, ticks and their labels, the turned axis label.
int colourScaleWidth(const QCustomPlot& plot) {
    const QFontMetricsF ticks(chart::font(plot, 8));
    const QFontMetricsF label(chart::font(plot, 9));
    return kScaleReserve + 12 + 12 +
           static_cast<int>(std::ceil(ticks.horizontalAdvance("0.75") + label.height())) + 8;
}

double widest(const QStringList& labels, const QFont& font) {
    const QFontMetricsF metrics(font);
    double w = 0;
    for (const QString& l : labels)
        w = std::max(w, metrics.horizontalAdvance(l));
    return w;
}

QStringList elided(const QStringList& labels, const QFont& font, double width) {
    const QFontMetricsF metrics(font);
    QStringList out;
    for (const QString& l : labels)
        out << metrics.elidedText(l, Qt::ElideMiddle, std::max(12.0, width));
    return out;
}

// The largest cell-text font (at most `points`) at which `lines` fit a cell of `cell` pixels with a
// margin, or 0.
double fittingPoints(const QCustomPlot& plot, const QStringList& lines, double cell, double points,
                     bool bold) {
    for (double p = points; p >= kMinCellPoints; p -= 0.5) {
        QFont f = chart::font(plot, p, bold);
        const QFontMetricsF metrics(f);
        const double height = metrics.height() * lines.size();
        if (widest(lines, f) <= 0.8 * cell && height <= 0.8 * cell)
            return p;
    }
    return 0;
}

MatrixPlan planMatrices(const QCustomPlot& plot, const MatrixKind& kind, const QStringList& titles,
                        std::size_t count, double availableHeight) {
    MatrixPlan plan;
    const QFont labelFont = chart::font(plot, kLabelPoints);
    const QFontMetricsF labelMetrics(labelFont);
    const double n = std::max<qsizetype>(kind.labels.size(), 1);
    const double width = chart::layoutWidth(plot) - colourScaleWidth(plot) - 8;
    // Row labels take at most 42% of a panel (a network name at one column), the cells the rest.
    auto cellFor = [&](int columns, double rowLabel) {
        const double panel = (width - kPanelSpacing * (columns - 1)) / columns;
        return (panel - rowLabel - 8) / n;
    };
    const double rowLabelWanted = widest(kind.labels, labelFont) + 8;
    constexpr double kMinCell = 30;  // holds "0.00" at the smallest legible size with a margin
    plan.columns = std::max(1, chart::facetColumns(count));
    auto cellAt = [&](int columns) {
        const double panel = (width - kPanelSpacing * (columns - 1)) / columns;
        return cellFor(columns, std::min(rowLabelWanted, 0.42 * panel));
    };
    while (plan.columns > 1 && cellAt(plan.columns) < kMinCell)
        --plan.columns;
    // A figure taller than it is wide by half again (a one-column paper figure of four small
    // matrices stacked up was 260 mm tall): more columns, with smaller cells, while their numbers
    // still fit at the smallest size (the tooltip and the CSV carry them in any case).
    constexpr double kMinCellTight = 20;
    auto heightAt = [&](int columns) {
        const int rows = (static_cast<int>(count) + columns - 1) / columns;
        return rows * (cellAt(columns) * n + 3.0 * labelMetrics.height() + 40);
    };
    while (plan.columns < static_cast<int>(count) && heightAt(plan.columns) > 1.5 * width &&
           cellAt(plan.columns + 1) >= kMinCellTight)
        ++plan.columns;
    const double panel = (width - kPanelSpacing * (plan.columns - 1)) / plan.columns;
    const double rowLabel = std::min(rowLabelWanted, 0.42 * panel);
    plan.cell = cellFor(plan.columns, rowLabel);
    // An on-screen plot also has a height: the cells of its rows of panels share it.
    if (availableHeight > 0) {
        const int rows = (static_cast<int>(count) + plan.columns - 1) / plan.columns;
        plan.cell = std::min(plan.cell, (availableHeight / rows - 40 - labelMetrics.height()) / n);
    }
    plan.cell = std::max(plan.cell, 4.0);
    plan.rowLabels = elided(kind.labels, labelFont, rowLabel - 8);
    // Column labels: level while every one fits its cell, else turned to read upwards, elided to
    // about a panel's height of room.
    plan.turnColumns = widest(kind.labels, labelFont) > plan.cell - 6;
    plan.columnLabels =
        plan.turnColumns ? elided(kind.labels, labelFont, std::max(60.0, 0.45 * plan.cell * n)) : kind.labels;
    if (plan.turnColumns && labelMetrics.height() > plan.cell)
        plan.columnLabels = elided(kind.labels, labelFont, 0);  // too many columns to label each
    plan.titles = elided(titles, chart::font(plot, 9, true), plan.cell * n + rowLabel);
    // Cell text: the mean and n, then the mean alone, then nothing (the tooltip and CSV carry both).
    const double points = n <= 4 ? 10 : n <= 6 ? 8.5 : 7;
    if (const double p = fittingPoints(plot, {"0.00", "n=000"}, plan.cell, points, n <= 4); p > 0) {
        plan.cellPoints = p;
        plan.cellCounts = true;
    } else {
        plan.cellPoints = fittingPoints(plot, {"0.00"}, plan.cell, points, n <= 4);
    }
    return plan;
}

// The matrix stays square and centred in its panel (keepSquare), so its labels and title are
// drawn next to it as text items rather than as the axes' tick labels, which sit at the panel's
// edges. The tick labels stay, transparent, to reserve the margins for the items.
void setMatrixAxes(QCPAxisRect* rect, const MatrixPlan& plan) {
    const double n = static_cast<double>(plan.rowLabels.size());
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    chart::setTextTicks(x, plan.columnLabels);
    chart::setTextTicks(y, plan.rowLabels);
    for (QCPAxis* axis : {x, y}) {
        axis->setTickLength(0, 0);
        axis->setBasePen(Qt::NoPen);
        axis->setTickPen(Qt::NoPen);
        axis->setTickLabelColor(Qt::transparent);
    }
    x->setTickLabelRotation(plan.turnColumns ? -90 : 0);
    y->setRangeReversed(true);  // the first row on top, as in a table
    // Room for the panel title above.
    const QFontMetricsF titleMetrics(chart::font(*rect->parentPlot(), 9, true));
    rect->setMinimumMargins(QMargins(0, static_cast<int>(std::ceil(titleMetrics.height())) + 8, 0, 0));
    chart::keepSquare(rect, QCPRange(-0.5, n - 0.5), QCPRange(-0.5, n - 0.5));
}

QCPItemText* outsideText(QCPAxisRect* rect, QPointF at, const QString& text, const QFont& font,
                         Qt::Alignment alignment, const QMargins& padding) {
    QCPItemText* item = chart::addText(rect, at, text, font, QColor(30, 30, 30), alignment);
    item->setClipToAxisRect(false);
    item->setPadding(padding);
    return item;
}

void addMatrixLabels(QCPAxisRect* rect, const MatrixPlan& plan, const QString& title) {
    const double n = static_cast<double>(plan.rowLabels.size());
    const QFont font = chart::font(*rect->parentPlot(), kLabelPoints);
    for (int i = 0; i < plan.rowLabels.size(); ++i) {
        outsideText(rect, {-0.5, static_cast<double>(i)}, plan.rowLabels[i], font,
                    Qt::AlignRight | Qt::AlignVCenter, QMargins(0, 0, 6, 0));
        // Turned by -90 degrees, the item's right edge is its top: aligned right, it hangs below the cells.
        QCPItemText* column = outsideText(
            rect, {static_cast<double>(i), n - 0.5}, plan.columnLabels[i], font,
            plan.turnColumns ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignHCenter | Qt::AlignTop,
            plan.turnColumns ? QMargins(0, 0, 4, 0) : QMargins(0, 4, 0, 0));
        column->setRotation(plan.turnColumns ? -90 : 0);
    }
    outsideText(rect, {(n - 1) / 2.0, -0.5}, title, chart::font(*rect->parentPlot(), 9, true),
                Qt::AlignHCenter | Qt::AlignBottom, QMargins(0, 0, 0, 6));
}

// Cell labels: the mean, and n while the cell holds a second line (planMatrices decides).
void addCellText(QCPAxisRect* rect, std::size_t row, std::size_t column, const metrics::Summary& s,
                 const MatrixPlan& plan) {
    if (row == column || plan.cellPoints <= 0)
        return;
    const QPointF at(static_cast<double>(column), static_cast<double>(row));
    const bool bold = plan.rowLabels.size() <= 4;
    const QFont font = chart::font(*rect->parentPlot(), plan.cellPoints, bold);
    if (!s.mean) {
        chart::addText(rect, at, "n/a", font, QColor(90, 90, 90));
        return;
    }
    // Viridis is dark below about 0.55: white text there, black above.
    const QColor ink = *s.mean < 0.55 ? Qt::white : QColor(20, 20, 20);
    QString text = QString::number(*s.mean, 'f', 2);
    if (plan.cellCounts)
        text += QString("\nn=%1").arg(s.n);
    chart::addText(rect, at, text, font, ink);
}

ChartTarget cellTarget(QCPAxisRect* rect, const PairMatrix& m, const MatrixKind& kind, std::size_t row,
                       std::size_t column) {
    ChartTarget t;
    t.rect = rect;
    t.area = QRectF(static_cast<double>(column) - 0.5, static_cast<double>(row) - 0.5, 1.0, 1.0);
    t.scope = kind.scope;
    const std::string& a = m.labels[row];
    const std::string& b = m.labels[column];
    if (kind.scope == TargetScope::NetworkPair) {
        t.model = a;
        t.other = b;
        t.method = m.group;
        t.toolTip = QString::fromStdString(a + " vs " + b) + " · " + chart::methodTitle(m.group);
    } else {
        t.model = m.group;
        t.method = a;
        t.other = b;
        t.toolTip =
            QString::fromStdString(m.group) + " · " + chart::methodTitle(a) + " vs " + chart::methodTitle(b);
    }
    t.toolTip += "\n" + summaryText("IoU", m.iouAt(row, column)) + "\n" +
                 summaryText("centre distance", m.centreDistance[row * m.size() + column]);
    return t;
}

void drawMatrix(QCPAxisRect* rect, const PairMatrix& m, const MatrixKind& kind, const MatrixPlan& plan,
                const QString& title, QCPColorScale* scale, std::vector<ChartTarget>& targets) {
    setMatrixAxes(rect, plan);
    addMatrixLabels(rect, plan, title);
    const int n = static_cast<int>(m.size());
    auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    map->setName(QString::fromStdString(m.group));
    map->data()->setSize(n, n);
    map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
    map->setInterpolate(false);
    for (std::size_t row = 0; row < m.size(); ++row) {
        for (std::size_t column = 0; column < m.size(); ++column) {
            const auto& s = m.iouAt(row, column);
            const bool defined = row != column && s.mean;
            map->data()->setCell(static_cast<int>(column), static_cast<int>(row),
                                 defined ? *s.mean : std::numeric_limits<double>::quiet_NaN());
            addCellText(rect, row, column, s, plan);
            if (row != column)
                targets.push_back(cellTarget(rect, m, kind, row, column));
        }
    }
    map->setColorScale(scale);
    map->setGradient(chart::iouGradient());
    map->setDataRange(QCPRange(0, 1));
}

QCPColorScale* addColourScale(QCustomPlot& plot, const chart::Panels& panels) {
    auto* scale = new QCPColorScale(&plot);
    panels.outer->addElement(0, 1, scale);
    panels.outer->setColumnStretchFactor(1, 0.001);
    panels.outer->setColumnSpacing(16);
    scale->setType(QCPAxis::atRight);
    scale->setDataRange(QCPRange(0, 1));
    scale->setGradient(chart::iouGradient());
    scale->setBarWidth(12);
    scale->axis()->setLabel("mean IoU (grey: none)");
    scale->axis()->setLabelFont(chart::font(plot, 9));
    scale->axis()->setTickLabelFont(chart::font(plot, 8));
    return scale;
}

BuiltChart buildMatrices(QCustomPlot& plot, const std::vector<PairMatrix>& matrices, const MatrixKind& kind,
                         const QStringList& titles, const QString& title, const QString& subtitle) {
    chart::addTitle(plot, title, subtitle);
    // On screen the plot's height bounds the cells too; an export's height follows its width.
    const bool onScreen = !plot.property("chartLayoutWidth").isValid();
    const MatrixPlan plan =
        planMatrices(plot, kind, titles, matrices.size(), onScreen ? std::max(plot.height(), 320) - 60 : 0);
    const int columns = plan.columns;
    // Untitled panels: each matrix carries its title (addMatrixLabels).
    const chart::Panels panels =
        chart::addPanels(plot, QStringList(titles.size(), QString()), columns, false);
    QCPColorScale* scale = addColourScale(plot, panels);
    BuiltChart built;
    for (std::size_t i = 0; i < matrices.size(); ++i)
        drawMatrix(panels.rects[i], matrices[i], kind, plan, plan.titles[static_cast<int>(i)], scale,
                   built.targets);
    built.plotAspect = 1.0;  // square cells
    built.panelRows = (static_cast<int>(matrices.size()) + columns - 1) / columns;
    return built;
}

QString binarisationNote(const StatisticsData& d) {
    return QString::fromStdString("maps binarised at " +
                                  metrics::describe(d.rows.statistics.info.binarisation) +
                                  "; mean over the scans of both; click a cell for its scans");
}

}  // namespace

BuiltChart buildNetworkIouChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    const QString title = "IoU between networks, per method";
    if (d.networkMatrices.empty()) {
        chart::showMessage(plot, title,
                           d.models.size() < 2
                               ? "The project has one network: add another to compare them."
                               : "No scan has maps of two networks yet: show scans with both networks open, "
                                 "or compute the statistics for the whole data set (Mark menu).");
        return {};
    }
    MatrixKind kind{TargetScope::NetworkPair, {}};
    for (const auto& m : d.models)
        kind.labels << QString::fromStdString(m);
    QStringList titles;
    for (const auto& m : d.networkMatrices)
        titles << chart::methodTitle(m.group);
    return buildMatrices(plot, d.networkMatrices, kind, titles, title, binarisationNote(d));
}

BuiltChart buildMethodIouChart(QCustomPlot& plot, const StatisticsData& d) {
    chart::reset(plot);
    const QString title = "IoU between methods, per network";
    if (d.methodMatrices.empty()) {
        chart::showMessage(plot, title,
                           d.methods.size() < 2
                               ? "The project has maps of one method: show another (Methods menu) or compute "
                                 "the statistics with more methods."
                               : "No scan has maps of two methods yet: show scans with two methods or more, "
                                 "or compute the statistics for the whole data set (Mark menu).");
        return {};
    }
    MatrixKind kind{TargetScope::MethodPair, {}};
    for (const auto& m : d.methods)
        kind.labels << chart::methodTitle(m);
    QStringList titles;
    for (const auto& m : d.methodMatrices)
        titles << QString::fromStdString(m.group);
    return buildMatrices(plot, d.methodMatrices, kind, titles, title, binarisationNote(d));
}

}  // namespace saliency::ui
