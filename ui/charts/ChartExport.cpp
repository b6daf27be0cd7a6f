#include "ChartExport.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <qcustomplot.h>
#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "ChartStyle.h"
#include "StatisticsCharts.h"
#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::ui {

namespace {

using chart::kLayoutDpi;
constexpr double kMmPerInch = 25.4;

enum class Format { Png, Svg, Pdf };

Format formatOf(const std::filesystem::path& file) {
    std::string suffix = file.extension().string();
    std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (suffix == ".png")
        return Format::Png;
    if (suffix == ".svg")
        return Format::Svg;
    if (suffix == ".pdf")
        return Format::Pdf;
    throw Error("cannot export a chart as '" + suffix + "': use .png, .svg or .pdf");
}

void check(const ChartPaper& paper) {
    if (!(paper.widthMm >= 20 && paper.widthMm <= 1000))
        throw Error("the chart width must be between 20 and 1000 mm");
    if (!(paper.dpi >= 30 && paper.dpi <= 1200))
        throw Error("the PNG resolution must be between 30 and 1200 dpi");
    if (!(paper.fontPoints >= 4 && paper.fontPoints <= 24))
        throw Error("the chart font size must be between 4 and 24 points");
}

// The height at which every panel's plot area has the chart's aspect: lay out, measure the first
// panel, correct the height by the difference; twice, since text rows keep their height.
int fittedHeight(QCustomPlot& plot, const BuiltChart& built, int width) {
    if (built.panelRows == 0 || plot.axisRectCount() == 0)
        return std::max(160, width * 3 / 8);  // a message
    int height = width;
    for (int pass = 0; pass < 2; ++pass) {
        (void)plot.toPixmap(width, height, 1.0);  // lays the plot out at width x height
        const QRect area = plot.axisRect(0)->rect();
        const double wanted = built.plotAspect * area.width();
        height =
            std::clamp(height + static_cast<int>(std::lround(built.panelRows * (wanted - area.height()))),
                       160, 8 * width);
    }
    return height;
}

QByteArray pngBytes(QCustomPlot& plot, QSize size, double dpi) {
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

// Text as text: without pmNoCaching, QCustomPlot draws tick labels from cached pixmaps.
void setVectorModes(QCPPainter& painter) {
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
}

QByteArray svgBytes(QCustomPlot& plot, QSize size) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(static_cast<int>(kLayoutDpi));  // the document's width in mm is the paper's
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle("Saliency Studio statistics");
    QCPPainter painter;
    if (!painter.begin(&svg))
        throw Error("could not start the SVG drawing");
    setVectorModes(painter);
    plot.toPainter(&painter, size.width(), size.height());
    painter.end();
    return bytes;
}

// A page exactly the figure's size; device units are layout pixels, so nothing is rescaled.
QByteArray pdfBytes(QCustomPlot& plot, QSize size, double widthMm) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setCreator("Saliency Studio");
    pdf.setTitle("Saliency Studio statistics");
    pdf.setResolution(static_cast<int>(kLayoutDpi));
    const QSizeF page(widthMm, widthMm * size.height() / size.width());
    pdf.setPageLayout(QPageLayout(QPageSize(page, QPageSize::Millimeter, QString(), QPageSize::ExactMatch),
                                  QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QCPPainter painter;
    if (!painter.begin(&pdf))
        throw Error("could not start the PDF drawing");
    setVectorModes(painter);
    plot.toPainter(&painter, size.width(), size.height());
    painter.end();
    return bytes;
}

void writeBytes(const std::filesystem::path& file, const QByteArray& bytes) {
    writeFileAtomically(file, std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

}  // namespace

int layoutWidthPixels(const ChartPaper& paper) {
    return static_cast<int>(std::lround(paper.widthMm / kMmPerInch * kLayoutDpi));
}

int pngWidthPixels(const ChartPaper& paper) {
    return static_cast<int>(std::lround(layoutWidthPixels(paper) * (paper.dpi / kLayoutDpi)));
}

QSize layOutForExport(QCustomPlot& plot, StatisticsChart chart, const StatisticsData& data,
                      const ChartPaper& paper) {
    check(paper);
    const int width = layoutWidthPixels(paper);
    chart::setBaseFontPoints(plot, paper.fontPoints);
    chart::setLayoutWidth(plot, width);
    QObject::connect(&plot, &QCustomPlot::afterLayout, &plot, [&plot] { chart::applySquareAspect(plot); });
    const BuiltChart built = buildChart(plot, chart, data);
    return {width, fittedHeight(plot, built, width)};
}

void exportChart(StatisticsChart chart, const StatisticsData& data, const std::filesystem::path& file,
                 const ChartPaper& paper) {
    check(paper);
    const Format format = formatOf(file);
    QCustomPlot plot;  // never shown: drawn straight into the file
    const QSize size = layOutForExport(plot, chart, data, paper);
    switch (format) {
        case Format::Png:
            writeBytes(file, pngBytes(plot, size, paper.dpi));
            break;
        case Format::Svg:
            writeBytes(file, svgBytes(plot, size));
            break;
        case Format::Pdf:
            writeBytes(file, pdfBytes(plot, size, paper.widthMm));
            break;
    }
}

}  // namespace saliency::ui
