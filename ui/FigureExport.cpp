#include "FigureExport.h"

#include <cmath>

#include <QBuffer>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::ui {

namespace {

constexpr double kLegendHeight = 44;  // points

GridGeometry figureGeometry(const FigureOptions& options) {
    GridGeometry g;
    g.cell = options.cellPoints;
    g.rowHeaderWidth = 150;
    g.columnHeaderHeight = 20;
    g.headingHeight = 24;
    g.gap = 3;
    return g;
}

QString legendText(const DisplayOptions& d) {
    QStringList parts;
    parts << QString("colour map %1, opacity %2")
                 .arg(QString::fromStdString(explain::colourMapName(d.colourMap)))
                 .arg(d.heatmapOpacity, 0, 'f', 2);
    parts << "guided maps standardised (grey = no gradient)";
    if (d.centreMarker)
        parts << "green cross: centre of mass";
    if (d.maskOutline)
        parts << "red: tumour mask";
    if (d.thresholdContour)
        parts << QString("white: map >= %1").arg(d.contourLevel, 0, 'f', 2);
    return parts.join("; ");
}

// Draws in points: (0,0) to figureSize().
void drawFigure(QPainter& painter, const GridContent& content, const FigureOptions& options) {
    const GridGeometry g = figureGeometry(options);
    const QSizeF size = figureSize(content, options);
    painter.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    QFont font("DejaVu Sans");
    font.setPointSizeF(8.5);
    painter.setFont(font);
    painter.setPen(QColor(20, 20, 20));
    GridContent shown = content;
    shown.showHeaders = true;
    paintGrid(painter, shown, g, options.zoom, options.centre);
    if (!options.colourBar)
        return;
    const double top = size.height() - kLegendHeight + 8;
    const QRectF bar(g.rowHeaderWidth + g.gap, top, std::min(220.0, size.width() / 3), 10);
    paintColourBar(painter, bar, options.display.colourMap);
    painter.setPen(QColor(20, 20, 20));
    painter.drawText(QRectF(bar.left() - 30, bar.top() - 2, 26, 14), Qt::AlignRight | Qt::AlignVCenter, "0");
    painter.drawText(QRectF(bar.right() + 4, bar.top() - 2, 26, 14), Qt::AlignLeft | Qt::AlignVCenter, "1");
    QFont small = font;
    small.setPointSizeF(7.5);
    painter.setFont(small);
    painter.drawText(
        QRectF(g.rowHeaderWidth + g.gap, bar.bottom() + 4, size.width() - g.rowHeaderWidth - 8, 16),
        Qt::AlignLeft | Qt::AlignTop, legendText(options.display));
}

}  // namespace

FigureFormat figureFormatFor(const QString& file) {
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == "png")
        return FigureFormat::Png;
    if (suffix == "svg")
        return FigureFormat::Svg;
    if (suffix == "pdf")
        return FigureFormat::Pdf;
    throw Error("cannot export a figure as \"" + suffix.toStdString() + "\": use .png, .svg or .pdf");
}

QSizeF figureSize(const GridContent& content, const FigureOptions& options) {
    const GridGeometry g = figureGeometry(options);
    const QSizeF grid = g.size(std::max<int>(1, static_cast<int>(content.rows.size())),
                               std::max<int>(1, static_cast<int>(content.columns.size())));
    return {grid.width() + 4, grid.height() + (options.colourBar ? kLegendHeight : 4)};
}

void exportFigure(const GridContent& content, const QString& file, const FigureOptions& options) {
    const FigureFormat format = figureFormatFor(file);
    const QSizeF points = figureSize(content, options);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (format == FigureFormat::Png) {
        if (!(options.dpi >= 30 && options.dpi <= 1200))
            throw Error("the PNG resolution must be between 30 and 1200 dpi");
        const double scale = options.dpi / 72.0;
        QImage image(QSize(static_cast<int>(std::ceil(points.width() * scale)),
                           static_cast<int>(std::ceil(points.height() * scale))),
                     QImage::Format_RGB32);
        image.setDotsPerMeterX(static_cast<int>(std::lround(options.dpi / 0.0254)));
        image.setDotsPerMeterY(static_cast<int>(std::lround(options.dpi / 0.0254)));
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            painter.scale(scale, scale);
            drawFigure(painter, content, options);
        }
        if (!image.save(&buffer, "PNG"))
            throw Error("could not encode the figure as PNG");
    } else if (format == FigureFormat::Svg) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setResolution(72);  // one SVG unit = one point
        svg.setSize(points.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), points));
        svg.setTitle("Saliency Studio comparison");
        svg.setDescription(content.heading);
        QPainter painter(&svg);
        drawFigure(painter, content, options);
    } else {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(points, QPageSize::Point, "figure", QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(300);
        pdf.setTitle("Saliency Studio comparison");
        pdf.setCreator("Saliency Studio");
        QPainter painter(&pdf);
        painter.scale(300.0 / 72.0, 300.0 / 72.0);
        drawFigure(painter, content, options);
    }
    buffer.close();
    writeFileAtomically(file.toStdString(),
                        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

}  // namespace saliency::ui
