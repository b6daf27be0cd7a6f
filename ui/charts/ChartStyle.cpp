#include "ChartStyle.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <qcustomplot.h>
#include <QFontMetricsF>

#include "saliency/Method.h"

namespace saliency::ui::chart {

namespace {

const QColor kInk(30, 30, 30);
const QColor kMuted(110, 110, 110);

// Shares as percentages at QCustomPlot's usual round steps (25%, 10%, 5% ...), for any range.
class PercentTicker : public QCPAxisTicker {
  protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override {
        return QCPAxisTicker::getTickLabel(tick * 100.0, locale, formatChar, std::max(0, precision - 2)) +
               "%";
    }
};

// `text` broken at spaces into lines no wider than `width` pixels in `f` (a long line stays whole).
QString wrapped(const QString& text, const QFont& f, int width) {
    const QFontMetricsF metrics(f);
    QStringList lines;
    for (const QString& paragraph : text.split('\n')) {
        if (paragraph.trimmed().isEmpty()) {
            lines << paragraph;  // a blank line kept on purpose (a row held for a later subtitle)
            continue;
        }
        QString line;
        for (const QString& word : paragraph.split(' ', Qt::SkipEmptyParts)) {
            const QString longer = line.isEmpty() ? word : line + ' ' + word;
            if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
                lines << line;
                line = word;
            } else {
                line = longer;
            }
        }
        lines << line;
    }
    return lines.join('\n');
}

}  // namespace

QColor methodColour(std::size_t index) {
    // Okabe & Ito (2008), without their yellow (too light on white), then two of Tol's muted.
    static const std::array<QColor, 9> colours = {QColor("#0072B2"), QColor("#E69F00"), QColor("#009E73"),
                                                  QColor("#CC79A7"), QColor("#D55E00"), QColor("#56B4E9"),
                                                  QColor("#332288"), QColor("#882255"), QColor("#999933")};
    return colours[index % colours.size()];
}

QColor networkColour(std::size_t index) {
    // Paul Tol's "bright" scheme: distinct from the method colours where both appear.
    static const std::array<QColor, 7> colours = {QColor("#4477AA"), QColor("#EE6677"), QColor("#228833"),
                                                  QColor("#CCBB44"), QColor("#66CCEE"), QColor("#AA3377"),
                                                  QColor("#BBBBBB")};
    return colours[index % colours.size()];
}

QCPScatterStyle methodShape(std::size_t index, const QColor& colour, double size) {
    static const std::array<QCPScatterStyle::ScatterShape, 9> shapes = {QCPScatterStyle::ssDisc,
                                                                        QCPScatterStyle::ssSquare,
                                                                        QCPScatterStyle::ssTriangle,
                                                                        QCPScatterStyle::ssDiamond,
                                                                        QCPScatterStyle::ssTriangleInverted,
                                                                        QCPScatterStyle::ssCrossCircle,
                                                                        QCPScatterStyle::ssPlusSquare,
                                                                        QCPScatterStyle::ssStar,
                                                                        QCPScatterStyle::ssCross};
    const auto shape = shapes[index % shapes.size()];
    // Solid where the shape is a plain area; white inside where a cross or plus must stay visible.
    const bool solid = shape == QCPScatterStyle::ssDisc || shape == QCPScatterStyle::ssSquare ||
                       shape == QCPScatterStyle::ssTriangle || shape == QCPScatterStyle::ssDiamond ||
                       shape == QCPScatterStyle::ssTriangleInverted;
    return solid ? QCPScatterStyle(shape, QPen(colour.darker(130), 1.2), QBrush(colour), size)
                 : QCPScatterStyle(shape, QPen(colour, 1.6), QBrush(Qt::white), size);
}

QColor noDataColour() {
    return QColor(215, 215, 215);
}

QCPColorGradient iouGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor("#440154"));
    g.setColorStopAt(0.25, QColor("#3B528B"));
    g.setColorStopAt(0.5, QColor("#21918C"));
    g.setColorStopAt(0.75, QColor("#5EC962"));
    g.setColorStopAt(1.0, QColor("#FDE725"));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(noDataColour());
    return g;
}

QString methodTitle(const std::string& name) {
    const auto method = explain::parseMethod(name);
    return QString::fromStdString(method ? explain::methodTitle(*method) : name);
}

QString percent(double share) {
    return QString::number(100.0 * share, 'f', 1) + "%";
}

void setBaseFontPoints(QCustomPlot& plot, double points) {
    plot.setProperty("chartFontPoints", std::clamp(points, 4.0, 24.0));
}

double baseFontPoints(const QCustomPlot& plot) {
    const QVariant points = plot.property("chartFontPoints");
    return points.isValid() ? points.toDouble() : kStandardFontPoints;
}

void setLayoutWidth(QCustomPlot& plot, int pixels) {
    plot.setProperty("chartLayoutWidth", pixels);
}

int layoutWidth(const QCustomPlot& plot) {
    const QVariant width = plot.property("chartLayoutWidth");
    return width.isValid() ? width.toInt() : std::max(plot.width(), 420);
}

QFont font(const QCustomPlot& plot, double points, bool bold) {
    QFont f("DejaVu Sans");
    const double scaled = points * baseFontPoints(plot) / kStandardFontPoints;
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(scaled * kLayoutDpi / 72.0))));
    f.setBold(bold);
    return f;
}

void reset(QCustomPlot& plot) {
    // Legend entries are chosen by each chart (proxies, one entry per method), never automatic.
    plot.setAutoAddPlottableToLegend(false);
    plot.clearItems();
    plot.clearPlottables();
    plot.plotLayout()->clear();
    plot.plotLayout()->setRowSpacing(4);
    plot.setBackground(Qt::white);
}

void appendRow(QCustomPlot& plot, QCPLayoutElement* element, double stretch) {
    QCPLayoutGrid* layout = plot.plotLayout();
    const int row = layout->elementCount() == 0 ? 0 : layout->rowCount();
    layout->addElement(row, 0, element);
    layout->setRowStretchFactor(row, stretch);
}

void addTitle(QCustomPlot& plot, const QString& title, const QString& subtitle) {
    // Wrapped to the figure's width: a text element never narrows, so one long line would push the
    // whole layout past the right edge of a one-column figure.
    const int width = layoutWidth(plot) - 16;
    const QFont titleFont = font(plot, 11, true);
    auto* heading = new QCPTextElement(&plot, wrapped(title, titleFont, width), titleFont);
    heading->setTextColor(kInk);
    appendRow(plot, heading);
    if (subtitle.isEmpty())
        return;
    const QFont subtitleFont = font(plot, 8.5);
    auto* second = new QCPTextElement(&plot, wrapped(subtitle, subtitleFont, width), subtitleFont);
    second->setTextColor(kMuted);
    appendRow(plot, second);
}

void styleAxisRect(QCPAxisRect* rect) {
    const QCustomPlot& plot = *rect->parentPlot();
    for (QCPAxis* axis : rect->axes()) {
        axis->setTickLabelFont(font(plot, 8));
        axis->setLabelFont(font(plot, 9));
        axis->setTickLabelColor(kInk);
        axis->setLabelColor(kInk);
        axis->setBasePen(QPen(kMuted));
        axis->setTickPen(QPen(kMuted));
        axis->setSubTickPen(QPen(kMuted));
        axis->grid()->setPen(QPen(QColor(225, 225, 225), 0, Qt::SolidLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
}

Panels addPanels(QCustomPlot& plot, const QStringList& titles, int columns, bool sharedAxes) {
    Panels panels{new QCPLayoutGrid, {}};
    appendRow(plot, panels.outer, 1.0);
    auto* grid = new QCPLayoutGrid;
    panels.outer->addElement(0, 0, grid);
    grid->setColumnSpacing(14);
    grid->setRowSpacing(10);
    auto* margins = new QCPMarginGroup(&plot);
    const int count = static_cast<int>(titles.size());
    columns = std::max(1, std::min(columns, count));
    for (int i = 0; i < count; ++i) {
        const int row = i / columns, column = i % columns;
        auto* panel = new QCPLayoutGrid;
        grid->addElement(row, column, panel);
        panel->setRowSpacing(0);
        if (!titles[i].isEmpty()) {
            // Wrapped to the panel's share of the width: a text element never narrows, so a long
            // title would run out of the figure at one column.
            const QFont titleFont = font(plot, 9, true);
            const int panelWidth = (layoutWidth(plot) - 14 * (columns - 1)) / columns - 8;
            auto* title = new QCPTextElement(&plot, wrapped(titles[i], titleFont, panelWidth), titleFont);
            title->setTextColor(kInk);
            panel->addElement(0, 0, title);
            panel->setRowStretchFactor(0, 0.001);
        }
        auto* rect = new QCPAxisRect(&plot);
        panel->addElement(panel->elementCount() == 0 ? 0 : 1, 0, rect);
        // The same margins everywhere make every plot area the same size, so cells and bars compare.
        rect->setMarginGroup(QCP::msAll, margins);
        styleAxisRect(rect);
        if (sharedAxes) {
            rect->axis(QCPAxis::atLeft)->setTickLabels(column == 0);
            rect->axis(QCPAxis::atBottom)->setTickLabels(i + columns >= count);
        }
        panels.rects.push_back(rect);
    }
    return panels;
}

QCPLegend* addLegend(QCustomPlot& plot, int columns) {
    // Centred: empty elements either side take the width the legend does not need.
    auto* row = new QCPLayoutGrid;
    appendRow(plot, row);
    auto* legend = new QCPLegend;
    row->addElement(0, 0, new QCPLayoutElement(&plot));
    row->addElement(0, 1, legend);
    row->addElement(0, 2, new QCPLayoutElement(&plot));
    row->setColumnStretchFactors({1.0, 0.001, 1.0});
    legend->setLayer("legend");
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    // Wider rows do not fit a figure's width: at most five entries a row, and about 130 px each
    // (a method's name at 8.5 pt), else the entries are cut at one column.
    const int fitting = std::max(1, layoutWidth(plot) / 130);
    legend->setWrap(std::clamp(std::min(columns, fitting), 1, 5));
    legend->setBorderPen(Qt::NoPen);
    legend->setFont(font(plot, 8.5));
    legend->setTextColor(kInk);
    legend->setIconSize(18, 10);
    legend->setColumnSpacing(14);
    return legend;
}

int facetColumns(std::size_t count) {
    if (count <= 3)
        return static_cast<int>(std::max<std::size_t>(count, 1));
    return static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
}

void showMessage(QCustomPlot& plot, const QString& title, const QString& message) {
    reset(plot);
    addTitle(plot, title);
    const QFont messageFont = font(plot, 10);
    auto* text =
        new QCPTextElement(&plot, wrapped(message, messageFont, layoutWidth(plot) - 16), messageFont);
    text->setTextColor(kMuted);
    appendRow(plot, text, 1.0);
}

void setTextTicks(QCPAxis* axis, const QStringList& labels) {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < labels.size(); ++i)
        ticker->addTick(i, labels[i]);
    axis->setTicker(ticker);
    axis->setSubTicks(false);
    axis->grid()->setVisible(false);
}

void setShareTicks(QCPAxis* axis) {
    axis->setTicker(QSharedPointer<QCPAxisTicker>(new PercentTicker));
    axis->setSubTicks(false);
}

QCPItemText* addText(QCPAxisRect* rect, QPointF at, const QString& text, const QFont& font,
                     const QColor& colour, Qt::Alignment alignment) {
    auto* item = new QCPItemText(rect->parentPlot());
    item->setClipAxisRect(rect);
    item->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    item->position->setType(QCPItemPosition::ptPlotCoords);
    item->position->setCoords(at);
    item->setPositionAlignment(alignment);
    item->setFont(font);
    item->setColor(colour);
    item->setText(text);
    return item;
}

void keepSquare(QCPAxisRect* rect, const QCPRange& x, const QCPRange& y) {
    rect->setProperty("squareX", QPointF(x.lower, x.upper));
    rect->setProperty("squareY", QPointF(y.lower, y.upper));
    rect->axis(QCPAxis::atBottom)->setRange(x);
    rect->axis(QCPAxis::atLeft)->setRange(y);
}

void applySquareAspect(QCustomPlot& plot) {
    for (QCPAxisRect* rect : plot.axisRects()) {
        const QVariant x = rect->property("squareX"), y = rect->property("squareY");
        if (!x.isValid() || !y.isValid() || rect->width() <= 0 || rect->height() <= 0)
            continue;
        QCPAxis* xAxis = rect->axis(QCPAxis::atBottom);
        QCPAxis* yAxis = rect->axis(QCPAxis::atLeft);
        xAxis->setRange(x.toPointF().x(), x.toPointF().y());
        yAxis->setRange(y.toPointF().x(), y.toPointF().y());
        // Grow the range of the longer side around its centre until a unit is as long on both axes.
        const double xPixels = rect->width() / xAxis->range().size();
        const double yPixels = rect->height() / yAxis->range().size();
        if (yPixels > xPixels)
            yAxis->setScaleRatio(xAxis, 1.0);
        else
            xAxis->setScaleRatio(yAxis, 1.0);
    }
}

}  // namespace saliency::ui::chart
