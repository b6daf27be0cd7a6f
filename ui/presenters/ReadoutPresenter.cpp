#include "ReadoutPresenter.h"

#include <algorithm>
#include <cmath>

#include <QRegularExpression>
#include <QStringList>

#include <opencv2/core.hpp>

#include "DatasetPresenter.h"
#include "ExplanationService.h"
#include "GridPresenter.h"

namespace saliency::ui {

namespace {

// The element of a (rows, cols) raster under a normalised point: pixel (x, y) covers [x, x+1).
cv::Point elementAt(QPointF normalised, int cols, int rows) {
    return {std::clamp(static_cast<int>(std::floor(normalised.x() * cols)), 0, cols - 1),
            std::clamp(static_cast<int>(std::floor(normalised.y() * rows)), 0, rows - 1)};
}

// Short enough for a status bar line with several networks: one-word titles as they are
// ("Grad-CAM"), longer ones by their initials ("Guided Backprop" GB, "Guided Grad-CAM" GGC).
QString shortTitle(explain::Method method) {
    const QString title = QString::fromStdString(explain::methodTitle(method));
    if (!title.contains(' '))
        return title;
    QString initials;
    for (const auto& word : title.split(QRegularExpression("[ -]"), Qt::SkipEmptyParts))
        initials += word.front().toUpper();
    return initials;
}

QString number(float value) {
    return QString::number(static_cast<double>(value), 'g', 3);
}

}  // namespace

ReadoutPresenter::ReadoutPresenter(const DatasetPresenter& dataset, const ExplanationService& service,
                                   const GridPresenter& grid, QObject* parent)
    : QObject(parent), dataset_(dataset), service_(service), grid_(grid) {}

std::optional<QPoint> ReadoutPresenter::pixel(QPointF normalised) const {
    const auto current = dataset_.current();
    if (!current || current->scan.intensity.empty())
        return std::nullopt;
    const cv::Mat& intensity = current->scan.intensity;
    const cv::Point p = elementAt(normalised, intensity.cols, intensity.rows);
    return QPoint(p.x, p.y);
}

std::optional<float> ReadoutPresenter::intensity(QPointF normalised) const {
    const auto current = dataset_.current();
    if (!current || current->scan.intensity.type() != CV_32FC1)
        return std::nullopt;
    const cv::Mat& intensity = current->scan.intensity;
    return intensity.at<float>(elementAt(normalised, intensity.cols, intensity.rows));
}

std::optional<float> ReadoutPresenter::mapValue(int modelId, explain::Method method,
                                                QPointF normalised) const {
    const auto current = dataset_.current();
    if (!current)
        return std::nullopt;
    const auto result = service_.result(dataset_.scanKey(current->index), modelId, grid_.explainRequest());
    return result ? valueIn(result->find(method), normalised) : std::nullopt;
}

std::optional<float> ReadoutPresenter::valueIn(const explain::SaliencyMap* map, QPointF normalised) {
    if (!map || !map->available || map->map.empty())
        return std::nullopt;
    const cv::Point p = elementAt(normalised, map->map.cols, map->map.rows);
    if (map->map.type() == CV_32FC1)
        return map->map.at<float>(p);
    if (map->map.type() != CV_32FC3)
        return std::nullopt;
    const cv::Vec3f& g = map->map.at<cv::Vec3f>(p);
    return std::max({std::abs(g[0]), std::abs(g[1]), std::abs(g[2])});
}

QString ReadoutPresenter::readout(QPointF normalised) const {
    const auto at = pixel(normalised);
    if (!at)
        return {};
    QString text = QString("x %1  y %2").arg(at->x()).arg(at->y());
    if (const auto value = intensity(normalised))
        text += QString("  intensity %1").arg(number(*value));
    const auto current = dataset_.current();
    const QString key = dataset_.scanKey(current->index);
    const auto request = grid_.explainRequest();
    for (const auto& model : service_.models()) {
        text += QString("  |  %1:").arg(service_.modelName(model.id));
        // One cache look-up per network, not per map: this runs on every mouse move.
        const auto result = service_.result(key, model.id, request);
        for (const auto method : grid_.methods()) {
            const auto value = result ? valueIn(result->find(method), normalised) : std::nullopt;
            text += QString(" %1 %2").arg(shortTitle(method), value ? number(*value) : QString("-"));
        }
    }
    return text;
}

void ReadoutPresenter::cursorMoved(QPointF normalised) {
    Q_EMIT readoutChanged(readout(normalised));
}

void ReadoutPresenter::cursorLeft() {
    Q_EMIT readoutChanged({});
}

}  // namespace saliency::ui
