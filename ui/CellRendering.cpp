#include "CellRendering.h"

#include <algorithm>
#include <cmath>

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRectF>

#include <opencv2/imgproc.hpp>

#include "ImageConversion.h"
#include "metrics/Binarise.h"
#include "metrics/CentreOfMass.h"
#include "saliency/GuidedDisplay.h"
#include "saliency/Method.h"
#include "saliency/Overlay.h"
#include "saliency/SharedScale.h"

namespace saliency::ui {

namespace {

const QColor kMaskColour(255, 70, 70);
const QColor kContourColour(255, 255, 255);
const QColor kCentreColour(0, 255, 120);

QVector<QPolygonF> contoursOf(const cv::Mat& binary, double sx, double sy) {
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(binary.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    QVector<QPolygonF> out;
    for (const auto& c : contours) {
        QPolygonF polygon;
        // Pixel centres: a pixel (x, y) covers [x, x+1) so its centre is x + 0.5.
        for (const auto& p : c)
            polygon << QPointF((p.x + 0.5) * sx, (p.y + 0.5) * sy);
        if (!polygon.isEmpty())
            polygon << polygon.front();
        out << polygon;
    }
    return out;
}

// The one-channel map statistics and contours are computed on.
cv::Mat scalarMap(const explain::SaliencyMap& map) {
    if (map.map.empty())
        return {};
    return map.map.channels() == 1 ? map.map : explain::absMaxGradient(map.map);
}

void paintMark(QPainter& painter, const QRectF& target, CellMark mark) {
    if (mark == CellMark::None)
        return;
    const double side = std::clamp(target.height() / 7.0, 14.0, 30.0);
    QFont font = painter.font();
    font.setPixelSize(static_cast<int>(side * 0.7));
    paintMarkBadge(painter, QRectF(target.right() - side - 4, target.top() + 4, side, side), mark, font);
}

}  // namespace

cv::Mat displayBase(const cv::Mat& rgb) {
    const int side = std::max(rgb.cols, rgb.rows);
    if (side <= kCellRasterSide)
        return rgb;
    const double scale = static_cast<double>(kCellRasterSide) / side;
    cv::Mat out;
    cv::resize(rgb, out, cv::Size(), scale, scale, cv::INTER_AREA);
    return out;
}

QVector<QPolygonF> outlineOf(const cv::Mat& mask, const QSize& rasterSize) {
    if (mask.empty() || rasterSize.isEmpty())
        return {};
    cv::Mat binary;
    cv::compare(mask, 0, binary, cv::CMP_GT);
    return contoursOf(binary, static_cast<double>(rasterSize.width()) / mask.cols,
                      static_cast<double>(rasterSize.height()) / mask.rows);
}

void paintMarkBadge(QPainter& painter, const QRectF& badge, CellMark mark, const QFont& symbolFont) {
    if (mark == CellMark::None)
        return;
    const QColor colour = mark == CellMark::Correct     ? QColor(40, 170, 80)
                          : mark == CellMark::Incorrect ? QColor(215, 50, 50)
                                                        : QColor(230, 160, 30);
    const QString symbol = mark == CellMark::Correct     ? QString(QChar(0x2713))
                           : mark == CellMark::Incorrect ? QString(QChar(0x2717))
                                                         : QString("?");
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawEllipse(badge);
    QFont font = symbolFont;
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter, symbol);
    painter.restore();
}

CellContent renderOriginal(const cv::Mat& rgbBase, const cv::Mat& mask, const DisplayOptions& options) {
    CellContent cell;
    cell.image = toQImage(rgbBase);
    cell.title = "Scan";
    cell.kind = CellKind::Scan;
    if (options.maskOutline)
        cell.maskOutline = outlineOf(mask, cell.image.size());
    return cell;
}

CellContent renderMap(const cv::Mat& rgbBase, const explain::SaliencyMap& map, const cv::Mat& mask,
                      const DisplayOptions& options, const QString& classCaption, double sharedPeak) {
    CellContent cell;
    cell.title = QString::fromStdString(explain::methodTitle(map.method));
    cell.caption = classCaption;
    const bool shared = options.sharedScale && sharedPeak > 0;
    const bool gradient =
        !shared && (map.map.empty() ? explain::isChannelMap(map.method) : map.map.channels() > 1);
    cell.kind = gradient ? CellKind::Gradient : CellKind::Heatmap;
    if (!map.available || map.map.empty()) {
        cell.message = QString::fromStdString(map.message.empty() ? "not available" : map.message);
        return cell;
    }
    if (map.map.channels() == 1 || shared) {
        explain::OverlayOptions overlay;
        overlay.colourMap = options.colourMap;
        overlay.imageWeight = std::clamp(1.0 - options.heatmapOpacity, 0.0, 1.0);
        const cv::Mat shown = shared ? explain::onSharedScale(map, sharedPeak) : map.map;
        cell.image = toQImage(explain::overlay(rgbBase, shown, overlay));
    } else {
        // Guided gradients are shown on their own, as pytorch-grad-cam's deprocess_image does.
        cv::Mat shown = explain::unitFloatToUint8(explain::standardisedGradient(map.map));
        cv::resize(shown, shown, rgbBase.size(), 0, 0, cv::INTER_LINEAR);
        cell.image = toQImage(shown);
    }
    if (map.empty) {
        cell.message = "empty map";
        return cell;
    }
    const cv::Mat scalar = scalarMap(map);
    const double sx = static_cast<double>(cell.image.width()) / scalar.cols;
    const double sy = static_cast<double>(cell.image.height()) / scalar.rows;
    if (options.thresholdContour) {
        cv::Mat normalised = scalar;
        double peak = 0;
        cv::minMaxLoc(scalar, nullptr, &peak);
        if (peak > 0)
            normalised = scalar / peak;
        cell.contour = contoursOf(
            metrics::binarise(normalised, metrics::Binarisation::atLevel(options.contourLevel)), sx, sy);
    }
    if (options.centreMarker) {
        if (const auto c = metrics::centreOfMass(scalar))
            cell.centre = QPointF(c->x * cell.image.width(), c->y * cell.image.height());
    }
    if (options.maskOutline)
        cell.maskOutline = outlineOf(mask, cell.image.size());
    return cell;
}

void paintCellImage(QPainter& painter, const QRectF& target, const CellContent& cell, double zoom,
                    QPointF centre, double strokeScale) {
    painter.save();
    painter.setClipRect(target);
    painter.fillRect(target, QColor(17, 17, 17));
    if (!cell.image.isNull()) {
        const QSizeF size = cell.image.size();
        const double fit = std::min(target.width() / size.width(), target.height() / size.height());
        const double scale = fit * std::max(1.0, zoom);
        // The image point `centre` lands in the middle of the cell.
        const QPointF origin =
            target.center() - QPointF(centre.x() * size.width() * scale, centre.y() * size.height() * scale);
        // Transforms compose: the caller's (an export's DPI scale) stays under this one.
        painter.translate(origin);
        painter.scale(scale, scale);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawImage(QPointF(0, 0), cell.image);
        painter.setRenderHint(QPainter::Antialiasing, true);
        auto pen = [&](const QColor& colour, double width) {
            QPen p(colour, width * strokeScale / scale);
            p.setCosmetic(false);
            return p;
        };
        painter.setBrush(Qt::NoBrush);
        painter.setPen(pen(kMaskColour, 1.5));
        for (const auto& polygon : cell.maskOutline)
            painter.drawPolyline(polygon);
        painter.setPen(pen(kContourColour, 1.5));
        for (const auto& polygon : cell.contour)
            painter.drawPolyline(polygon);
        if (cell.centre) {
            const double arm = 6.0 * strokeScale / scale;
            painter.setPen(pen(Qt::black, 3.5));
            painter.drawLine(*cell.centre - QPointF(arm, 0), *cell.centre + QPointF(arm, 0));
            painter.drawLine(*cell.centre - QPointF(0, arm), *cell.centre + QPointF(0, arm));
            painter.setPen(pen(kCentreColour, 1.8));
            painter.drawLine(*cell.centre - QPointF(arm, 0), *cell.centre + QPointF(arm, 0));
            painter.drawLine(*cell.centre - QPointF(0, arm), *cell.centre + QPointF(0, arm));
        }
    }
    painter.restore();
}

namespace {
// The displayed image's extent and its top-left corner, as paintCellImage places it.
std::pair<QSizeF, QPointF> shownImage(const QRectF& target, const QSizeF& imageSize, double zoom,
                                      QPointF centre) {
    const double fit = std::min(target.width() / imageSize.width(), target.height() / imageSize.height());
    const QSizeF shown = imageSize * (fit * std::max(1.0, zoom));
    return {shown, target.center() - QPointF(centre.x() * shown.width(), centre.y() * shown.height())};
}
}  // namespace

std::optional<QPointF> imagePointAt(const QRectF& target, const QSizeF& imageSize, double zoom,
                                    QPointF centre, QPointF position) {
    if (imageSize.isEmpty() || !target.contains(position))
        return std::nullopt;
    const auto [shown, origin] = shownImage(target, imageSize, zoom, centre);
    const QPointF p((position.x() - origin.x()) / shown.width(),
                    (position.y() - origin.y()) / shown.height());
    if (p.x() < 0 || p.y() < 0 || p.x() >= 1 || p.y() >= 1)
        return std::nullopt;
    return p;
}

QPointF cellPointOf(const QRectF& target, const QSizeF& imageSize, double zoom, QPointF centre,
                    QPointF normalised) {
    const auto [shown, origin] = shownImage(target, imageSize, zoom, centre);
    return origin + QPointF(normalised.x() * shown.width(), normalised.y() * shown.height());
}

QColor crosshairColour() {
    return {0, 255, 255};  // cyan: apart from the colour maps' ends, the mask (red) and centre (green)
}

void paintCrosshair(QPainter& painter, const QRectF& target, const QSizeF& imageSize, double zoom,
                    QPointF centre, QPointF normalised) {
    if (imageSize.isEmpty())
        return;
    const QPointF p = cellPointOf(target, imageSize, zoom, centre, normalised);
    if (!target.contains(p))
        return;  // zoomed out of view in this cell
    // Whole pixels, no antialiasing: a crisp one-pixel line (right of and below the point).
    const double x = std::floor(p.x());
    const double y = std::floor(p.y());
    painter.save();
    painter.setClipRect(target);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(crosshairColour(), 1));
    painter.drawLine(QPointF(x, target.top()), QPointF(x, target.bottom()));
    painter.drawLine(QPointF(target.left(), y), QPointF(target.right(), y));
    painter.restore();
}

void paintCell(QPainter& painter, const QRectF& target, const CellContent& cell, double zoom, QPointF centre,
               bool labels, bool focused) {
    paintCellImage(painter, target, cell, zoom, centre);
    painter.save();
    painter.setClipRect(target);
    if (labels) {
        QFont font = painter.font();
        font.setPointSizeF(std::max(7.0, std::min(10.0, target.height() / 22.0)));
        painter.setFont(font);
        const QFontMetricsF metrics(font);
        const double line = metrics.height();
        auto badge = [&](const QString& text, QPointF topLeft, const QColor& colour) {
            if (text.isEmpty())
                return;
            const QString elided = metrics.elidedText(text, Qt::ElideRight, target.width() - 8);
            const QRectF box(topLeft, QSizeF(metrics.horizontalAdvance(elided) + 8, line + 2));
            painter.fillRect(box, QColor(0, 0, 0, 160));
            painter.setPen(colour);
            painter.drawText(box.adjusted(4, 1, -4, -1), Qt::AlignLeft | Qt::AlignVCenter, elided);
        };
        badge(cell.title, target.topLeft() + QPointF(2, 2), Qt::white);
        badge(cell.caption, QPointF(target.left() + 2, target.bottom() - line - 4), QColor(230, 230, 230));
        if (cell.pending || !cell.message.isEmpty()) {
            const QString text = cell.pending ? QStringLiteral("computing...") : cell.message;
            painter.setPen(cell.pending ? QColor(170, 170, 170) : QColor(255, 200, 120));
            const QRectF box = cell.image.isNull() ? target.adjusted(8, line + 8, -8, -line - 8)
                                                   : QRectF(target.left() + 2, target.top() + line + 6,
                                                            target.width() - 4, line * 3);
            if (!cell.image.isNull())
                painter.fillRect(QRectF(box.topLeft(), QSizeF(box.width(), line + 2)), QColor(0, 0, 0, 160));
            painter.drawText(box, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, text);
        }
    }
    paintMark(painter, target, cell.mark);
    if (focused) {
        painter.setPen(QPen(QColor(61, 174, 233), 3));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(target.adjusted(1.5, 1.5, -1.5, -1.5));
    }
    painter.restore();
}

void paintColourBar(QPainter& painter, const QRectF& target, explain::ColourMap map) {
    const cv::Mat& lut = explain::colourLut(map);
    QLinearGradient gradient(target.topLeft(), target.topRight());
    for (int i = 0; i < 256; i += 15) {
        const auto& c = lut.at<cv::Vec3b>(i);
        gradient.setColorAt(i / 255.0, QColor(c[0], c[1], c[2]));
    }
    const auto& last = lut.at<cv::Vec3b>(255);
    gradient.setColorAt(1.0, QColor(last[0], last[1], last[2]));
    painter.save();
    painter.fillRect(target, gradient);
    painter.setPen(QColor(90, 90, 90));
    painter.drawRect(target);
    painter.restore();
}

}  // namespace saliency::ui
