// saliency-studio: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QScreen>
#include <QTimer>

#include "ScanBrowserWindow.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("Saliency Studio");
    QApplication::setOrganizationName("Saliency Studio");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "See what a CNN looks at when it calls a brain MRI scan tumour or healthy.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption data("data", "Open this data set folder.", "DIR");
    const QCommandLineOption screenshot("screenshot",
                                        "Save a screenshot of the window once loaded, then quit.", "FILE");
    const QCommandLineOption size("size", "Window size, e.g. 1600x1000.", "WxH", "1400x900");
    parser.addOptions({data, screenshot, size});
    parser.process(app);

    saliency::ui::ScanBrowserWindow window;
    const QStringList wh = parser.value(size).split('x');
    if (wh.size() == 2)
        window.resize(wh[0].toInt(), wh[1].toInt());
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        auto grabAndQuit = [&window, file] {
            // One more event-loop turn so the scaled image is painted before grabbing.
            QTimer::singleShot(300, &window, [&window, file] {
                const bool ok = window.grab().save(file);
                QApplication::exit(ok ? 0 : 1);
            });
        };
        QObject::connect(&window, &saliency::ui::ScanBrowserWindow::scanShown, &window, grabAndQuit);
        QObject::connect(&window, &saliency::ui::ScanBrowserWindow::datasetLoaded, &window,
                         [grabAndQuit](bool ok) {
                             if (!ok)
                                 grabAndQuit();
                         });
        if (!parser.isSet(data))
            grabAndQuit();
    }
    if (parser.isSet(data))
        window.openDataset(parser.value(data));
    return QApplication::exec();
}
