#include "WindowPlacement.h"

#include <algorithm>
#include <cmath>

namespace saliency::ui {

QRect initialWindowGeometry(const QRect& available, double share) {
    const QSize size(static_cast<int>(std::floor(available.width() * share)),
                     static_cast<int>(std::floor(available.height() * share)));
    QRect placed(QPoint(0, 0), size);
    placed.moveCenter(available.center());
    return placed;
}

QRect fittedWindowGeometry(const QRect& saved, const QRect& available) {
    if (available.contains(saved))
        return saved;
    QRect placed(saved.topLeft(), saved.size().boundedTo(available.size()));
    placed.moveLeft(std::clamp(placed.left(), available.left(), available.right() - placed.width() + 1));
    placed.moveTop(std::clamp(placed.top(), available.top(), available.bottom() - placed.height() + 1));
    return placed;
}

}  // namespace saliency::ui
