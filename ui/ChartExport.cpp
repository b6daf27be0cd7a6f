#include "ChartExport.h"

#include <cmath>

#include <qcustomplot.h>
#include <QBuffer>
#include <QSvgGenerator>

#include "FigureExport.h"
#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::ui {

namespace {

constexpr double kLayoutDpi = 96.0;

QByteArray pngBytes(QCustomPlot& plot, QSize size, double dpi) {
    if (!(dpi >= 30 && dpi <= 1200))
        throw Error("the PNG resolution must be between 30 and 1200 dpi");
    QImage image = plot.toPixmap(size.width(), size.height(), dpi / kLayoutDpi).toImage();
    if (image.isNull())
        throw Error("could not draw the chart (" + std::to_string(size.width()) + "x" +
                    std::to_string(size.height()) + " at " + std::to_string(dpi) + " dpi is too large?)");
    const int dotsPerMeter = static_cast<int>(std::lround(dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw Error("could not encode the chart as PNG");
    return bytes;
}

QByteArray svgBytes(QCustomPlot& plot, QSize size) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(static_cast<int>(kLayoutDpi));  // fonts in points come out as on screen
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle("Saliency Studio statistics");
    QCPPainter painter;
    if (!painter.begin(&svg))
        throw Error("could not start the SVG drawing");
    plot.toPainter(&painter, size.width(), size.height());
    painter.end();
    return bytes;
}

void writeBytes(const QString& file, const QByteArray& bytes) {
    writeFileAtomically(file.toStdString(),
                        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

}  // namespace

void exportPlot(QCustomPlot& plot, const QString& file, QSize size, double dpi) {
    if (size.isEmpty())
        size = plot.size();
    switch (figureFormatFor(file)) {
        case FigureFormat::Png:
            writeBytes(file, pngBytes(plot, size, dpi));
            break;
        case FigureFormat::Svg:
            writeBytes(file, svgBytes(plot, size));
            break;
        case FigureFormat::Pdf:
            // savePdf writes the file itself: let it write the temporary that replaces the target.
            replaceFileAtomically(file.toStdString(), [&](const std::filesystem::path& temporary) {
                if (!plot.savePdf(QString::fromStdString(temporary.string()), size.width(), size.height()))
                    throw FileError(temporary, "could not write the PDF");
            });
            break;
    }
}

}  // namespace saliency::ui
