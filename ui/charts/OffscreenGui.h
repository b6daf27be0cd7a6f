#pragma once
// A QApplication for drawing charts in a program that has none (saliency-cli report): created on
// Qt's offscreen platform whatever DISPLAY or QT_QPA_PLATFORM say, so that a report is drawn on a
// machine with no display, and destroyed with this guard. Where a QApplication already runs (the
// app, the tests) it is used as it is. No Qt in this header.
#include <memory>

namespace saliency::ui {

class OffscreenGui {
  public:
    OffscreenGui();  // throws saliency::Error when a non-widget Qt application runs
    ~OffscreenGui();
    OffscreenGui(const OffscreenGui&) = delete;
    OffscreenGui& operator=(const OffscreenGui&) = delete;

  private:
    struct Application;
    std::unique_ptr<Application> owned_;
};

}  // namespace saliency::ui
