#pragma once
// How a network's prediction is shown wherever it appears (grid rows, the browser, exported
// figures): a probability with two decimals, green when right and red when wrong.
#include <QColor>
#include <QString>

namespace saliency::ui {

inline const QColor kPredictionRight(40, 160, 70);
inline const QColor kPredictionWrong(210, 50, 50);

inline QString probabilityText(float p) {
    return QString::number(static_cast<double>(p), 'f', 2);
}

}  // namespace saliency::ui
