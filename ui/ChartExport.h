#pragma once
// A QCustomPlot chart as a file for a paper: PNG at a chosen DPI, SVG (vector, through
// QSvgGenerator and QCPPainter) or PDF (QCustomPlot::savePdf), at a size independent of the window.
// Files are written atomically: a failed export never leaves half a file.
#include <QSize>
#include <QString>

class QCustomPlot;

namespace saliency::ui {

// `size` in pixels at 96 dpi (the unit QCustomPlot lays out in); the PNG has size * dpi / 96
// pixels and carries the DPI in its header. The format comes from the suffix (FigureExport.h).
// Throws saliency::Error / FileError with a message for a user.
void exportPlot(QCustomPlot& plot, const QString& file, QSize size, double dpi = 300);

}  // namespace saliency::ui
