// IoU heat maps: between networks (a matrix per method) and between methods (a matrix per network).
#include <algorithm>
#include <cmath>
#include <limits>

#include <qcustomplot.h>

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
    double labelRotation;
};

// The matrix stays square and centred in its panel (keepSquare), so its labels and title are
// drawn next to it as text items rather than as the axes' tick labels, which sit at the panel's
// edges. The tick labels stay, transparent, to reserve the margins for the items.
void setMatrixAxes(QCPAxisRect* rect, const MatrixKind& kind) {
    const double n = static_cast<double>(kind.labels.size());
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    for (QCPAxis* axis : {x, y}) {
        chart::setTextTicks(axis, kind.labels);
        axis->setTickLength(0, 0);
        axis->setBasePen(Qt::NoPen);
        axis->setTickPen(Qt::NoPen);
        axis->setTickLabelColor(Qt::transparent);
    }
    x->setTickLabelRotation(kind.labelRotation);
    y->setRangeReversed(true);  // the first row on top, as in a table
    // Room for the panel title above, and for the end of the last turned column label.
    rect->setMinimumMargins(QMargins(0, 24, kind.labelRotation != 0 ? 70 : 0, 0));
    chart::keepSquare(rect, QCPRange(-0.5, n - 0.5), QCPRange(-0.5, n - 0.5));
}

QCPItemText* outsideText(QCPAxisRect* rect, QPointF at, const QString& text, const QFont& font,
                         Qt::Alignment alignment, const QMargins& padding) {
    QCPItemText* item = chart::addText(rect, at, text, font, QColor(30, 30, 30), alignment);
    item->setClipToAxisRect(false);
    item->setPadding(padding);
    return item;
}

void addMatrixLabels(QCPAxisRect* rect, const MatrixKind& kind, const QString& title) {
    const double n = static_cast<double>(kind.labels.size());
    const QFont font = chart::font(*rect->parentPlot(), 8);
    for (int i = 0; i < kind.labels.size(); ++i) {
        outsideText(rect, {-0.5, static_cast<double>(i)}, kind.labels[i], font,
                    Qt::AlignRight | Qt::AlignVCenter, QMargins(0, 0, 6, 0));
        const bool turned = kind.labelRotation != 0;
        QCPItemText* column =
            outsideText(rect, {static_cast<double>(i), n - 0.5}, kind.labels[i], font,
                        turned ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignHCenter | Qt::AlignTop,
                        turned ? QMargins(6, 0, 0, 0) : QMargins(0, 4, 0, 0));
        column->setRotation(kind.labelRotation);
    }
    outsideText(rect, {(n - 1) / 2.0, -0.5}, title, chart::font(*rect->parentPlot(), 9, true),
                Qt::AlignHCenter | Qt::AlignBottom, QMargins(0, 0, 0, 6));
}

// Cell labels: the mean, and n while cells are large enough to hold a second line.
void addCellText(QCPAxisRect* rect, std::size_t row, std::size_t column, const metrics::Summary& s,
                 std::size_t size) {
    if (row == column)
        return;
    const QPointF at(static_cast<double>(column), static_cast<double>(row));
    const double points = size <= 4 ? 10 : size <= 6 ? 8.5 : 7;
    if (!s.mean) {
        chart::addText(rect, at, "n/a", chart::font(*rect->parentPlot(), points), QColor(90, 90, 90));
        return;
    }
    // Viridis is dark below about 0.55: white text there, black above.
    const QColor ink = *s.mean < 0.55 ? Qt::white : QColor(20, 20, 20);
    QString text = QString::number(*s.mean, 'f', 2);
    if (size <= 6)
        text += QString("\nn=%1").arg(s.n);
    chart::addText(rect, at, text, chart::font(*rect->parentPlot(), points, size <= 4), ink);
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

void drawMatrix(QCPAxisRect* rect, const PairMatrix& m, const MatrixKind& kind, const QString& title,
                QCPColorScale* scale, std::vector<ChartTarget>& targets) {
    setMatrixAxes(rect, kind);
    addMatrixLabels(rect, kind, title);
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
            addCellText(rect, row, column, s, m.size());
            if (row != column)
                targets.push_back(cellTarget(rect, m, kind, row, column));
        }
    }
    map->setColorScale(scale);
    map->setGradient(chart::iouGradient());
    map->setDataRange(QCPRange(0, 1));
}

bool anyLongerThan(const QStringList& labels, qsizetype characters) {
    return std::any_of(labels.begin(), labels.end(), [&](const QString& l) { return l.size() > characters; });
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
                         const QStringList& titles, int columns, const QString& title,
                         const QString& subtitle) {
    chart::addTitle(plot, title, subtitle);
    // Untitled panels: each matrix carries its title (addMatrixLabels).
    const chart::Panels panels =
        chart::addPanels(plot, QStringList(titles.size(), QString()), columns, false);
    QCPColorScale* scale = addColourScale(plot, panels);
    BuiltChart built;
    for (std::size_t i = 0; i < matrices.size(); ++i)
        drawMatrix(panels.rects[i], matrices[i], kind, titles[static_cast<int>(i)], scale, built.targets);
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
    MatrixKind kind{TargetScope::NetworkPair, {}, 0};
    for (const auto& m : d.models)
        kind.labels << QString::fromStdString(m);
    // Turned when the names would run into each other under cells of about 90 px.
    kind.labelRotation = anyLongerThan(kind.labels, 11) ? 35 : 0;
    QStringList titles;
    for (const auto& m : d.networkMatrices)
        titles << chart::methodTitle(m.group);
    const int columns = chart::facetColumns(d.networkMatrices.size());
    return buildMatrices(plot, d.networkMatrices, kind, titles, columns, title, binarisationNote(d));
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
    MatrixKind kind{TargetScope::MethodPair, {}, 0};
    for (const auto& m : d.methods)
        kind.labels << chart::methodTitle(m);
    kind.labelRotation = anyLongerThan(kind.labels, 11) ? 35 : 0;
    QStringList titles;
    for (const auto& m : d.methodMatrices)
        titles << QString::fromStdString(m.group);
    const int columns = chart::facetColumns(d.methodMatrices.size());
    return buildMatrices(plot, d.methodMatrices, kind, titles, columns, title, binarisationNote(d));
}

}  // namespace saliency::ui
