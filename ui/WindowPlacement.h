#pragma once
// Where the main window opens: inside the screen's available geometry (without the task bar),
// so that a small screen (1280x720) never hides the grid's last column behind its edge.
#include <optional>

#include <QRect>

namespace saliency::ui {

// First start (no saved geometry): `share` of the available area, centred on it.
QRect initialWindowGeometry(const QRect& available, double share = 0.9);

// A saved geometry shrunk to the available area if larger and moved inside it; unchanged when
// it fits already.
QRect fittedWindowGeometry(const QRect& saved, const QRect& available);

}  // namespace saliency::ui
