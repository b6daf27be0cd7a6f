#pragma once
// The comparison as a figure for a paper: the same drawing as the grid (paintGrid) at a fixed cell
// size, with a heading, a colour bar and a legend, as PNG (at a chosen DPI), SVG or PDF. Files are
// written atomically (a failed export never leaves half a file). Safe to call from a worker thread.
#include <QString>

#include "ComparisonGrid.h"
#include "DisplayOptions.h"

namespace saliency::ui {

enum class FigureFormat { Png, Svg, Pdf };

struct FigureOptions {
    double dpi = 300;         // PNG only; SVG and PDF are vector (the maps are embedded rasters)
    double cellPoints = 180;  // cell side in points (1/72 inch)
    bool colourBar = true;
    DisplayOptions display;  // for the legend
    double zoom = 1.0;       // the grid's current view
    QPointF centre{0.5, 0.5};
};

// From the file's suffix (.png, .svg, .pdf; any case). Throws saliency::Error otherwise.
FigureFormat figureFormatFor(const QString& file);

// Throws saliency::Error / FileError with a message for a user.
void exportFigure(const GridContent& content, const QString& file, const FigureOptions& options = {});

// The figure's size in points, for the dialog that shows it.
QSizeF figureSize(const GridContent& content, const FigureOptions& options);

}  // namespace saliency::ui
