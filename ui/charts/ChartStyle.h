#pragma once
// The look the statistics charts share, so that a figure of the paper reads like the next one:
// colour-blind-safe palettes (Okabe-Ito for methods, Paul Tol's for networks), one font, a title
// row, small multiples ("panels") with equal plot areas and shared axes, a legend row below.
// Every chart is rebuilt from nothing on each update (reset), which keeps the builders simple.
//
// Units: QCustomPlot lays out in pixels; here a pixel is always 1/96 inch (the layout unit), on
// screen and in every export, so a figure has one layout whatever the DPI or format. Fonts are
// given in points for the standard size (tick labels at 8 pt) and scaled by the plot's base font
// size (setBaseFontPoints), then set in layout pixels (rounded to 0.75 pt): a font in points would
// follow each paint device's own DPI and come out 3-4x too large in a 300-dpi PNG.
#include <cstddef>
#include <string>
#include <vector>

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QString>
#include <QStringList>

class QCustomPlot;
class QCPAxis;
class QCPAxisRect;
class QCPColorGradient;
class QCPItemText;
class QCPLayoutElement;
class QCPLayoutGrid;
class QCPLegend;
class QCPRange;
class QCPScatterStyle;

namespace saliency::ui::chart {

QColor methodColour(std::size_t index);
QColor networkColour(std::size_t index);
QCPScatterStyle methodShape(std::size_t index, const QColor& colour, double size);
QColor noDataColour();           // the grey of undefined cells
QCPColorGradient iouGradient();  // viridis: perceptually even, readable in grey print

QString methodTitle(const std::string& name);  // "gradcam" -> "Grad-CAM"
QString percent(double share);                 // 0.9358 -> "93.6%"
constexpr double kLayoutDpi = 96.0;
constexpr double kStandardFontPoints = 8.0;  // the tick labels' size; the other texts scale with it
// The size of the tick labels in points on `plot` (kStandardFontPoints unless set): every text scales.
void setBaseFontPoints(QCustomPlot& plot, double points);
double baseFontPoints(const QCustomPlot& plot);
// The width titles wrap to, in layout pixels: set for an export, else the plot's own width.
void setLayoutWidth(QCustomPlot& plot, int pixels);
int layoutWidth(const QCustomPlot& plot);
// `points` at the standard size, scaled to the plot's base font size.
QFont font(const QCustomPlot& plot, double points, bool bold = false);

// Clears items, plottables and layout, leaving an empty white plot.
void reset(QCustomPlot& plot);
// A bold title and, when given, a grey second line, as the plot's first rows.
void addTitle(QCustomPlot& plot, const QString& title, const QString& subtitle = {});
// Appends a row holding `element` across the plot (stretch small: it keeps its natural height).
void appendRow(QCustomPlot& plot, QCPLayoutElement* element, double stretch = 0.001);
// A grid of panels, each a small title above an axis rect (default axes). All plot areas are the
// same size; tick labels show on the left column and the bottom row only when `sharedAxes`.
// `outer` holds the panel grid at (0,0), so that a colour scale can go beside it at (0,1).
struct Panels {
    QCPLayoutGrid* outer = nullptr;
    std::vector<QCPAxisRect*> rects;
};
Panels addPanels(QCustomPlot& plot, const QStringList& titles, int columns, bool sharedAxes);
QCPLegend* addLegend(QCustomPlot& plot, int columns);
// Panels in a near-square grid: one row up to three, then 2 x 2 for the seed's four, 3 x 3 for nine.
int facetColumns(std::size_t count);
// A chart with nothing to plot says why, in the plot area.
void showMessage(QCustomPlot& plot, const QString& title, const QString& message);

void styleAxisRect(QCPAxisRect* rect);
void setTextTicks(QCPAxis* axis, const QStringList& labels);  // at 0, 1, 2, ...
void setShareTicks(QCPAxis* axis);                            // 0% .. 100% on [0, 1]
// Square plot units in `rect` (heat-map cells, the image plane): applySquareAspect, run after each
// layout (QCustomPlot::afterLayout), grows the longer side's range around the ranges given here.
void keepSquare(QCPAxisRect* rect, const QCPRange& x, const QCPRange& y);
void applySquareAspect(QCustomPlot& plot);
// Text at plot coordinates of `rect`, clipped to it.
QCPItemText* addText(QCPAxisRect* rect, QPointF at, const QString& text, const QFont& font,
                     const QColor& colour, Qt::Alignment alignment = Qt::AlignCenter);

}  // namespace saliency::ui::chart
