#include "WindowLevelControls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>

namespace saliency::ui {

namespace {

QDoubleSpinBox* numberBox(const QString& name, const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setObjectName(name);
    box->setToolTip(tip);
    box->setRange(-1e6, 1e6);
    box->setDecimals(0);
    box->setKeyboardTracking(false);  // apply on Enter or focus out, not on every digit
    box->setButtonSymbols(QAbstractSpinBox::NoButtons);
    box->setMaximumWidth(64);
    return box;
}

}  // namespace

WindowLevelControls::WindowLevelControls(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    preset_ = new QComboBox;
    preset_->setObjectName("windowPreset");
    preset_->setToolTip(
        "Window/level of the scan (the scan column and under the maps). A preset is worked out for each "
        "scan; numbers typed here or a right-drag on the scan are kept while browsing. W: back to the "
        "preset");
    for (const auto preset : windowPresets())
        preset_->addItem(QString::fromStdString(windowPresetName(preset)), static_cast<int>(preset));
    preset_->addItem("Manual", -1);
    width_ =
        numberBox("windowWidth", "Window width, in the scan's own values (modality values for DICOM/NIfTI)");
    level_ = numberBox("windowLevel", "Window level (centre), in the scan's own values");
    layout->addWidget(new QLabel("W/L"));
    layout->addWidget(preset_);
    layout->addWidget(new QLabel("W"));
    layout->addWidget(width_);
    layout->addWidget(new QLabel("L"));
    layout->addWidget(level_);
    connect(preset_, &QComboBox::activated, this, [this](int index) {
        const int value = preset_->itemData(index).toInt();
        if (value >= 0)
            Q_EMIT presetChosen(static_cast<WindowPreset>(value));
        else
            typed();
    });
    connect(width_, &QDoubleSpinBox::valueChanged, this, &WindowLevelControls::typed);
    connect(level_, &QDoubleSpinBox::valueChanged, this, &WindowLevelControls::typed);
}

void WindowLevelControls::showWindow(const Window& window, std::optional<WindowPreset> preset) {
    showing_ = true;
    width_->setValue(window.width);
    level_->setValue(window.centre);
    preset_->setCurrentIndex(preset_->findData(preset ? static_cast<int>(*preset) : -1));
    showing_ = false;
}

void WindowLevelControls::typed() {
    if (showing_)
        return;
    Q_EMIT windowTyped(Window{level_->value(), std::max(1.0, width_->value())});
}

}  // namespace saliency::ui
