#pragma once
// The comparison figure laid out once, in points, for a width in millimetres (FigureExport.h): the
// text measured the same way for every output device, where every label, cell and legend symbol
// goes. FigureExport paints it onto PNG, SVG and PDF with one scale per device. Internal to the
// export; the tests reach it through figureTexts().
#include <vector>

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QStringList>

#include "FigureExport.h"

class QPaintDevice;

namespace saliency::ui::figure {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kMargin = 2;     // points around the figure; also absorbs the PDF page's whole points
constexpr double kGap = 2;        // between cells
constexpr double kHeaderGap = 3;  // between headers and cells, and before the legend
constexpr double kLegendSpacing = 9;
constexpr double kMinimumCell = 12;  // points (4 mm): below this a map cannot be read
const QColor kText(20, 20, 20);
const QColor kDetail(80, 80, 80);
const QColor kCellBackground(17, 17, 17);

struct TextStyle {
    double points = 8;
    bool bold = false;
};

// The font that is `style.points` points tall in a painter whose coordinates are points: Qt turns
// point sizes into pixels with the device's DPI, and the painter's scale already does that once.
QFont deviceFont(const TextStyle& style, const QPaintDevice& device);

// Text measured the same way whatever device the figure is painted on (points in, points out).
class Measure {
  public:
    explicit Measure(const TextStyle& style);
    const TextStyle& style() const { return style_; }
    double width(const QString& text) const;
    double line() const;
    double ascent() const;
    QString elided(const QString& text, Qt::TextElideMode mode, double width) const;

  private:
    TextStyle style_;
    QFontMetricsF metrics_;
};

// Greedy wrap to `width`; a piece wider than a line is shortened in the middle with an ellipsis.
// maxLines > 0: the last line kept ends with an ellipsis when text is left over.
QStringList wrap(const QString& text, const Measure& m, double width, int maxLines = 0);

struct Styles {
    TextStyle title, label, detail;
    explicit Styles(double points)
        : title{points + 1, true}, label{points, true}, detail{std::max(4.0, points - 1), false} {}
};

struct PlacedText {
    QPointF topLeft;
    double width = 0;  // for centring
    QStringList lines;
    TextStyle style;
    bool centred = false;
    QColor colour = kText;
};

struct PlacedCell {
    QRectF rect;
    const CellContent* cell = nullptr;  // null: the grid has no such cell
};

enum class Symbol { ColourBar, Gradient, Mask, Centre, Contour, Mark };

struct LegendSymbol {
    Symbol kind = Symbol::Mask;
    QRectF rect;
    CellMark mark = CellMark::None;
};

struct Figure {
    QSizeF size;
    double cell = 0;
    std::vector<PlacedText> texts;
    std::vector<PlacedCell> cells;
    std::vector<LegendSymbol> symbols;
};

// Throws saliency::Error when the options are out of range or the columns do not fit the width.
Figure layOut(const GridContent& content, const FigureOptions& options);

}  // namespace saliency::ui::figure
