#pragma once
// The comparison as a figure for a paper, as PNG (at a chosen DPI), SVG or PDF. The figure is laid
// out once in points (1/72 inch) for the width asked for, from font metrics that do not depend on
// the output device, and then painted through one scale from points to the device's units: the same
// layout at every DPI and in every format. The cells are drawn by the grid's own cell painter
// (paintCellImage); each label appears once (column and row headers, no per-cell badges), and a
// legend explains the colours, the vector marks and the verdicts shown. Files are written
// atomically (a failed export never leaves half a file). Safe to call from a worker thread.
#include <vector>

#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QString>

#include "ComparisonGrid.h"
#include "DisplayOptions.h"

namespace saliency::ui {

enum class FigureFormat { Png, Svg, Pdf };

// Which way the table goes: a row per network and a column per method, or the transpose.
enum class FigureLayout { NetworksByMethods, MethodsByNetworks };

// Common journal column widths (Nature, Elsevier, IEEE are within a few mm of these).
constexpr double kOneColumnMm = 88;
constexpr double kTwoColumnsMm = 180;

struct FigureOptions {
    double widthMm = kTwoColumnsMm;  // the printed width; the height follows from the content
    double dpi = 300;                // PNG only; SVG and PDF are vector (the maps are embedded rasters)
    double fontPoints = 8;           // labels; the title is 1 pt larger, details and legend 1 pt smaller
    FigureLayout layout = FigureLayout::NetworksByMethods;
    bool scanColumn = true;  // the scan next to its maps
    bool colourBar = true;   // the colour bar and the key to guided maps
    bool title = true;       // the scan's name above the table
    DisplayOptions display;  // for the legend
    double zoom = 1.0;       // the grid's current view
    QPointF centre{0.5, 0.5};
};

// From the file's suffix (.png, .svg, .pdf; any case). Throws saliency::Error otherwise.
FigureFormat figureFormatFor(const QString& file);
QString figureSuffix(FigureFormat format);  // "png", "svg", "pdf"

// "networks-by-methods" / "methods-by-networks" (the CLI's names). Throws saliency::Error otherwise.
FigureLayout figureLayoutFromName(const QString& name);
QString figureLayoutName(FigureLayout layout);

// Throws saliency::Error naming the first option out of range (width 30-500 mm, 30-1200 dpi,
// fonts 4-24 pt).
void checkFigureOptions(const FigureOptions& options);

// Throws saliency::Error / FileError with a message for a user.
void exportFigure(const GridContent& content, const QString& file, const FigureOptions& options = {});

// The figure's size in points (width: exactly options.widthMm).
QSizeF figureSize(const GridContent& content, const FigureOptions& options);
// The PNG's size in pixels at options.dpi.
QSize figurePixelSize(const GridContent& content, const FigureOptions& options);

// Each line of text the figure writes and where (points): for tests that check every label is
// there once, inside the figure, and clear of the others.
struct FigureText {
    QString text;
    QRectF rect;
};
std::vector<FigureText> figureTexts(const GridContent& content, const FigureOptions& options);

}  // namespace saliency::ui
