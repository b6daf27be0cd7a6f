#include "FigureExport.h"

#include "FigureLayout.h"

#include <algorithm>
#include <cmath>

#include <QBuffer>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::ui {

namespace {

using namespace figure;

// ---- painting, in points --------------------------------------------------------------------

void paintText(QPainter& painter, const PlacedText& text) {
    if (text.lines.isEmpty())
        return;
    const Measure m(text.style);
    painter.setFont(deviceFont(text.style, *painter.device()));
    painter.setPen(text.colour);
    for (qsizetype i = 0; i < text.lines.size(); ++i) {
        const QString& line = text.lines[i];
        const double x =
            text.centred ? text.topLeft.x() + (text.width - m.width(line)) / 2 : text.topLeft.x();
        painter.drawText(QPointF(x, text.topLeft.y() + static_cast<double>(i) * m.line() + m.ascent()), line);
    }
}

void paintBadge(QPainter& painter, const QRectF& badge, CellMark mark) {
    paintMarkBadge(painter, badge, mark, deviceFont({badge.height() * 0.7, true}, *painter.device()));
}

// Why a cell has no map (or "computing..."), in the cell.
void paintCellMessage(QPainter& painter, const QRectF& rect, const CellContent& cell, const Styles& styles) {
    const QString message = cell.pending ? QStringLiteral("computing...") : cell.message;
    if (message.isEmpty())
        return;
    const Measure m(styles.detail);
    const double width = rect.width() - 4;
    const int maxLines = std::max(1, static_cast<int>((rect.height() - 4) / m.line()));
    PlacedText text{{},
                    width,
                    wrap(message, m, width, maxLines),
                    styles.detail,
                    true,
                    cell.pending ? QColor(170, 170, 170) : QColor(255, 200, 120)};
    const double height = static_cast<double>(text.lines.size()) * m.line();
    text.topLeft = QPointF(rect.left() + 2, rect.center().y() - height / 2);
    painter.fillRect(QRectF(rect.left(), text.topLeft.y() - 1, rect.width(), height + 2),
                     QColor(0, 0, 0, 170));
    paintText(painter, text);
}

// Keeps the points of each polyline inside `area`, split where it leaves (a polyline that crosses
// the edge stops at its last point inside).
QVector<QPolygonF> inside(const QVector<QPolygonF>& polylines, const QPointF& offset, const QRectF& area) {
    QVector<QPolygonF> out;
    for (const QPolygonF& polyline : polylines) {
        QPolygonF part;
        for (const QPointF& p : polyline) {
            if (area.contains(p - offset)) {
                part << p - offset;
            } else if (!part.isEmpty()) {
                out << part;
                part.clear();
            }
        }
        if (part.size() > 1)
            out << part;
    }
    return out;
}

// A zoomed cell as the part of it the grid shows: SVG output has no clipping (Qt 6.4's generator
// ignores clip rectangles), so a zoomed map must not reach beyond its cell.
CellContent visiblePart(const CellContent& cell, const QSizeF& target, double zoom, QPointF centre) {
    if (zoom <= 1.0 || cell.image.isNull())
        return cell;
    const QSizeF size = cell.image.size();
    const double scale = std::min(target.width() / size.width(), target.height() / size.height()) * zoom;
    const QSizeF shown = target / scale;
    const QRectF wanted(QPointF(centre.x() * size.width(), centre.y() * size.height()) -
                            QPointF(shown.width() / 2, shown.height() / 2),
                        shown);
    const QRect pixels = wanted.toAlignedRect().intersected(cell.image.rect());
    if (pixels.isEmpty())
        return cell;
    CellContent out = cell;
    out.image = cell.image.copy(pixels);
    const QPointF offset = pixels.topLeft();
    const QRectF area(QPointF(0, 0), QSizeF(pixels.size()));
    out.contour = inside(cell.contour, offset, area);
    out.maskOutline = inside(cell.maskOutline, offset, area);
    out.centre.reset();
    if (cell.centre && area.contains(*cell.centre - offset))
        out.centre = *cell.centre - offset;
    return out;
}

void paintCells(QPainter& painter, const Figure& f, const FigureOptions& options, const Styles& styles) {
    // Lines and the centre cross thinner in small cells, as they would be drawn by hand.
    const double stroke = std::clamp(f.cell / 120.0, 0.45, 1.0);
    const double badge = std::clamp(f.cell * 0.2, 7.0, 12.0);
    for (const auto& [rect, cell] : f.cells) {
        if (!cell) {
            painter.fillRect(rect, QColor(235, 235, 235));
            continue;
        }
        paintCellImage(painter, rect, visiblePart(*cell, rect.size(), options.zoom, options.centre), 1.0,
                       {0.5, 0.5}, stroke);
        paintCellMessage(painter, rect, *cell, styles);
        paintBadge(painter, QRectF(rect.right() - badge - 1.5, rect.top() + 1.5, badge, badge), cell->mark);
    }
}

void paintSymbol(QPainter& painter, const LegendSymbol& s, const FigureOptions& options) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QRectF r = s.rect;
    auto dark = [&] { painter.fillRect(r, kCellBackground); };
    auto line = [&](const QColor& colour, double width) {
        painter.setPen(QPen(colour, width, Qt::SolidLine, Qt::FlatCap));
        painter.drawLine(QPointF(r.left() + 1.5, r.center().y()), QPointF(r.right() - 1.5, r.center().y()));
    };
    switch (s.kind) {
        case Symbol::ColourBar:
            paintColourBar(painter, r, options.display.colourMap);
            break;
        case Symbol::Gradient:
            painter.fillRect(r, QColor(128, 128, 128));
            painter.setPen(QPen(QColor(90, 90, 90), 0.3));
            painter.drawRect(r);
            break;
        case Symbol::Mask:
            dark();
            line(QColor(255, 70, 70), 1.0);
            break;
        case Symbol::Contour:
            dark();
            line(Qt::white, 1.0);
            break;
        case Symbol::Centre: {
            dark();
            const double arm = r.width() * 0.32;
            const QPointF c = r.center();
            for (const auto& [colour, width] :
                 {std::pair{QColor(Qt::black), 1.8}, std::pair{QColor(0, 255, 120), 0.9}}) {
                painter.setPen(QPen(colour, width));
                painter.drawLine(c - QPointF(arm, 0), c + QPointF(arm, 0));
                painter.drawLine(c - QPointF(0, arm), c + QPointF(0, arm));
            }
            break;
        }
        case Symbol::Mark:
            paintBadge(painter, r, s.mark);
            break;
    }
    painter.restore();
}

// The whole figure; the painter's coordinates are points, (0,0) to f.size.
void paintFigure(QPainter& painter, const Figure& f, const FigureOptions& options) {
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    const Styles styles(options.fontPoints);
    // The label font from the start: an SVG's groups carry the painter's font even where they
    // draw no text, and the application's default font is sized for the screen.
    painter.setFont(deviceFont(styles.label, *painter.device()));
    painter.fillRect(QRectF(QPointF(0, 0), f.size), Qt::white);
    paintCells(painter, f, options, styles);
    for (const auto& symbol : f.symbols)
        paintSymbol(painter, symbol, options);
    for (const auto& text : f.texts)
        paintText(painter, text);
}

QSize pixelSize(const QSizeF& points, double dpi) {
    return {static_cast<int>(std::lround(points.width() / 72.0 * dpi)),
            static_cast<int>(std::ceil(points.height() / 72.0 * dpi))};
}

QByteArray pngBytes(const Figure& f, const FigureOptions& options) {
    const QSize pixels = pixelSize(f.size, options.dpi);
    QImage image(pixels, QImage::Format_RGB32);
    const int dotsPerMetre = static_cast<int>(std::lround(options.dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        const double scale = pixels.width() / f.size.width();  // the one scale: pixels per point
        painter.scale(scale, scale);
        paintFigure(painter, f, options);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw Error("could not encode the figure as PNG");
    return bytes;
}

QByteArray svgBytes(const Figure& f, const FigureOptions& options, const QString& heading) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    // Size in units of 0.01 mm, so that the width attribute reads the millimetres asked for; the
    // view box is in points, so the painter draws in points with no scale of its own.
    svg.setResolution(2540);
    svg.setSize(QSize(static_cast<int>(std::lround(f.size.width() / kPointsPerMm * 100)),
                      static_cast<int>(std::lround(f.size.height() / kPointsPerMm * 100))));
    svg.setViewBox(QRectF(QPointF(0, 0), f.size));
    svg.setTitle("Saliency Studio comparison");
    svg.setDescription(heading);
    {
        QPainter painter(&svg);
        paintFigure(painter, f, options);
    }
    return bytes;
}

QByteArray pdfBytes(const Figure& f, const FigureOptions& options) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setPageSize(QPageSize(f.size, QPageSize::Point, "figure", QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(1200);
    pdf.setTitle("Saliency Studio comparison");
    pdf.setCreator("Saliency Studio");
    {
        QPainter painter(&pdf);
        const double scale = pdf.logicalDpiX() / 72.0;  // the one scale: device units per point
        painter.scale(scale, scale);
        paintFigure(painter, f, options);
    }
    return bytes;
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

QString figureSuffix(FigureFormat format) {
    switch (format) {
        case FigureFormat::Png:
            return "png";
        case FigureFormat::Svg:
            return "svg";
        case FigureFormat::Pdf:
            return "pdf";
    }
    return "png";
}

FigureLayout figureLayoutFromName(const QString& name) {
    if (name == figureLayoutName(FigureLayout::NetworksByMethods))
        return FigureLayout::NetworksByMethods;
    if (name == figureLayoutName(FigureLayout::MethodsByNetworks))
        return FigureLayout::MethodsByNetworks;
    throw Error("unknown figure layout \"" + name.toStdString() +
                "\": use networks-by-methods or methods-by-networks");
}

QString figureLayoutName(FigureLayout layout) {
    return layout == FigureLayout::NetworksByMethods ? "networks-by-methods" : "methods-by-networks";
}

void checkFigureOptions(const FigureOptions& options) {
    if (!(options.widthMm >= 30 && options.widthMm <= 500))
        throw Error("the figure's width must be between 30 and 500 mm");
    if (!(options.dpi >= 30 && options.dpi <= 1200))
        throw Error("the PNG resolution must be between 30 and 1200 dpi");
    if (!(options.fontPoints >= 4 && options.fontPoints <= 24))
        throw Error("the font size must be between 4 and 24 pt");
}

QSizeF figureSize(const GridContent& content, const FigureOptions& options) {
    return layOut(content, options).size;
}

QSize figurePixelSize(const GridContent& content, const FigureOptions& options) {
    return pixelSize(figureSize(content, options), options.dpi);
}

std::vector<FigureText> figureTexts(const GridContent& content, const FigureOptions& options) {
    std::vector<FigureText> out;
    for (const PlacedText& text : layOut(content, options).texts) {
        const Measure m(text.style);
        for (qsizetype i = 0; i < text.lines.size(); ++i) {
            const double width = m.width(text.lines[i]);
            const double x = text.centred ? text.topLeft.x() + (text.width - width) / 2 : text.topLeft.x();
            out.push_back({text.lines[i],
                           QRectF(x, text.topLeft.y() + static_cast<double>(i) * m.line(), width, m.line())});
        }
    }
    return out;
}

void exportFigure(const GridContent& content, const QString& file, const FigureOptions& options) {
    const FigureFormat format = figureFormatFor(file);
    const Figure figure = layOut(content, options);
    const QByteArray bytes = format == FigureFormat::Png   ? pngBytes(figure, options)
                             : format == FigureFormat::Svg ? svgBytes(figure, options, content.heading)
                                                           : pdfBytes(figure, options);
    writeFileAtomically(file.toStdString(),
                        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

}  // namespace saliency::ui
