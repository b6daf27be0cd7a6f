#pragma once
// Window/level in the toolbar (issue 12): a preset (the file's own, full range, auto, brain) that is
// recomputed for every scan, or numbers typed in (or set by a right-drag on the scan) that are kept
// while browsing. Thin: it shows the state and reports what the user chose; the grid presenter
// applies it to the scan column and under the overlays.
#include <optional>

#include <QWidget>

#include "io/Scan.h"
#include "io/WindowPresets.h"

class QComboBox;
class QDoubleSpinBox;

namespace saliency::ui {

class WindowLevelControls : public QWidget {
    Q_OBJECT
  public:
    explicit WindowLevelControls(QWidget* parent = nullptr);

    // preset: the preset that made `window`, or nullopt for a window set by hand.
    void showWindow(const Window& window, std::optional<WindowPreset> preset);

    Q_SIGNAL void presetChosen(saliency::WindowPreset preset);
    Q_SIGNAL void windowTyped(saliency::Window window);

  private:
    void typed();

    QComboBox* preset_ = nullptr;
    QDoubleSpinBox* width_ = nullptr;
    QDoubleSpinBox* level_ = nullptr;
    bool showing_ = false;  // no signals while the state is being shown
};

}  // namespace saliency::ui
