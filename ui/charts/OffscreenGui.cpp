#include "OffscreenGui.h"

#include <QApplication>

#include "common/Error.h"

namespace saliency::ui {

// QApplication keeps references to argc and argv: they live as long as it does.
struct OffscreenGui::Application {
    int argc = 1;
    char name[16] = "saliency-charts";
    char* argv[2] = {name, nullptr};
    std::unique_ptr<QApplication> app;
};

OffscreenGui::OffscreenGui() {
    if (QCoreApplication::instance()) {
        if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
            throw Error("charts need a QApplication, and another kind of Qt application is running");
        return;
    }
    // Forced, not defaulted: a DISPLAY left over from an ssh session would otherwise be tried (and a
    // dead one aborts the program), and "xcb" may simply not be installed on a compute node.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    owned_ = std::make_unique<Application>();
    owned_->app = std::make_unique<QApplication>(owned_->argc, owned_->argv);
}

OffscreenGui::~OffscreenGui() = default;

}  // namespace saliency::ui
