// saliency-studio: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "BuildCommit.h"
#include "MainWindow.h"
#include "ProjectSession.h"
#include "saliency/Method.h"
#include "training/BuildInfo.h"

namespace {

// True when the command line holds one of `flags` (before a "--").
bool given(int argc, char** argv, std::initializer_list<std::string_view> flags) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--")
            return false;
        for (const auto flag : flags)
            if (arg == flag)
                return true;
    }
    return false;
}

// --screenshot / --export: once the grid has filled (or there is nothing to wait for), do them and quit.
void finishWhenReady(saliency::ui::MainWindow& window, int expectedModels, std::function<bool()> finish) {
    auto grab = [&window, finish] {
        // One more event-loop turn so that the last cells are painted.
        QTimer::singleShot(250, &window, [finish] { QApplication::exit(finish() ? 0 : 1); });
    };
    auto failedModels = std::make_shared<int>(0);
    QObject::connect(&window, &saliency::ui::MainWindow::modelLoaded, &window,
                     [failedModels, grab, &window, expectedModels](bool ok) {
                         *failedModels += ok ? 0 : 1;
                         if (!ok && !window.dataset() && *failedModels >= expectedModels)
                             grab();  // nothing else will come: show the error
                     });
    // The grid is complete once every model given has loaded (or failed) and its row has filled.
    QObject::connect(&window, &saliency::ui::MainWindow::gridFilled, &window,
                     [failedModels, grab, &window, expectedModels, done = std::make_shared<bool>(false)] {
                         if (!*done && window.modelCount() + *failedModels >= expectedModels) {
                             *done = true;
                             grab();
                         }
                     });
    QObject::connect(&window, &saliency::ui::MainWindow::datasetLoaded, &window, [grab](bool ok) {
        if (!ok)
            grab();
    });
    // Never hang a script: whatever is on screen after two minutes is saved.
    QTimer::singleShot(120000, &window, grab);
}

}  // namespace

int main(int argc, char** argv) {
    // --version and --help must answer on a machine without a display, where QApplication aborts
    // (no xcb) before the parser runs: the version is printed before Qt starts, and the help is
    // QCommandLineParser's, on the offscreen platform.
    if (given(argc, argv, {"--version", "-v"})) {
        std::fputs(saliency::versionReport("saliency-studio", saliency::buildCommit()).c_str(), stdout);
        return 0;
    }
    if (given(argc, argv, {"--help", "-h", "-?", "--help-all"}))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName("Saliency Studio");
    QApplication::setOrganizationName("Saliency Studio");
    QApplication::setApplicationVersion(saliency::projectVersion());
    QApplication::setWindowIcon(QIcon(":/icons/saliency-studio.svg"));
    QGuiApplication::setDesktopFileName(SALIENCY_APP_ID);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "See what a CNN looks at when it calls a brain MRI scan tumour or healthy.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption data("data", "Open this data set folder.", "DIR");
    const QCommandLineOption project(
        "project", "Open this project file (created when missing); marks go there.", "FILE");
    const QCommandLineOption split("split", "With --data: group the scans by this split (JSON).", "FILE");
    const QCommandLineOption model("model", "Open this checkpoint (repeatable).", "CKPT");
    const QCommandLineOption scan("scan", "Select this scan (path relative to the data set).", "PATH");
    const QCommandLineOption methods("methods", "Methods to show, e.g. gradcam,cam (default: all four).",
                                     "LIST");
    const QCommandLineOption screenshot("screenshot",
                                        "Save a screenshot once the grid has filled, then quit.", "FILE");
    const QCommandLineOption exportFile("export",
                                        "Export the comparison (PNG, SVG or PDF by suffix) once the grid "
                                        "has filled, then quit.",
                                        "FILE");
    const QCommandLineOption exportDpi("dpi", "Resolution of a PNG export.", "DPI", "300");
    const QCommandLineOption exportWidth(
        "width-mm", "Printed width of the export (88: one column, 180: two).", "MM", "180");
    const QCommandLineOption exportFont("font-pt", "Label size of the export in points.", "PT", "8");
    const QCommandLineOption exportLayout("layout", "networks-by-methods (default) or methods-by-networks.",
                                          "LAYOUT", "networks-by-methods");
    const QCommandLineOption noScanColumn("no-scan-column", "Export the maps without the scan column.");
    const QCommandLineOption size("size", "Window size, e.g. 1600x1000.", "WxH");
    parser.addOptions({project, data, split, model, scan, methods, screenshot, exportFile, exportDpi, size});
    parser.addOptions({exportWidth, exportFont, exportLayout, noScanColumn});
    parser.process(app);

    saliency::ui::MainWindow window;
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split('x');
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }  // otherwise the window placed itself inside the screen's available geometry
    if (parser.isSet(methods)) {
        try {
            window.setMethods(saliency::explain::parseMethods(parser.value(methods).toStdString()));
        } catch (const std::exception& e) {
            qCritical("saliency-studio: %s", e.what());
            return 2;
        }
    }
    window.show();

    QStringList models = parser.values(model);
    // A project opens its data set and its networks (asynchronously, like --data and --model); a
    // --model the project stores already is not opened a second time.
    int expectedModels = static_cast<int>(models.size());
    if (parser.isSet(project)) {
        if (!window.openProject(parser.value(project), true))
            return 1;
        QStringList stored;
        for (const auto& m : window.project()->storedModels())
            stored << QFileInfo(QString::fromStdString(m.checkpointPath)).canonicalFilePath();
        models.removeIf([&stored](const QString& m) { return stored.contains(QFileInfo(m).canonicalFilePath()); });
        expectedModels = static_cast<int>(models.size() + stored.size());
    }
    if (parser.isSet(screenshot) || parser.isSet(exportFile)) {
        const QString shot = parser.value(screenshot);
        const QString figure = parser.value(exportFile);
        saliency::ui::FigureOptions options;
        try {  // checked now: a wrong option fails at once, not after the grid has filled
            options.dpi = parser.value(exportDpi).toDouble();
            options.widthMm = parser.value(exportWidth).toDouble();
            options.fontPoints = parser.value(exportFont).toDouble();
            options.layout = saliency::ui::figureLayoutFromName(parser.value(exportLayout));
            options.scanColumn = !parser.isSet(noScanColumn);
            saliency::ui::checkFigureOptions(options);
        } catch (const std::exception& e) {
            qCritical("saliency-studio: %s", e.what());
            return 2;
        }
        auto finish = [&window, shot, figure, options] {
            bool ok = true;
            if (!shot.isEmpty() && !window.grab().save(shot)) {
                std::fprintf(stderr, "saliency-studio: cannot write %s\n", qPrintable(shot));
                ok = false;
            }
            if (!figure.isEmpty()) {
                try {
                    window.exportFigure(figure, options);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "saliency-studio: %s\n", e.what());
                    ok = false;
                }
            }
            return ok;
        };
        if (parser.isSet(data) || parser.isSet(project)) {
            finishWhenReady(window, expectedModels, finish);
        } else {
            // No grid to wait for: the window once the models are in (or failed).
            auto left = std::make_shared<int>(static_cast<int>(models.size()));
            auto done = [&window, finish] {
                QTimer::singleShot(250, &window, [finish] { QApplication::exit(finish() ? 0 : 1); });
            };
            if (*left == 0)
                done();
            QObject::connect(&window, &saliency::ui::MainWindow::modelLoaded, &window, [left, done] {
                if (--*left == 0)
                    done();
            });
        }
    }
    for (const auto& m : models)
        window.openModel(m);
    if (parser.isSet(scan)) {  // once the data set (given, or the project's) is open
        const QString wanted = parser.value(scan);
        QObject::connect(&window, &saliency::ui::MainWindow::datasetLoaded, &window,
                         [&window, wanted](bool ok) {
                             if (ok && !window.selectScan(wanted))
                                 qWarning("saliency-studio: no scan %s in the data set", qPrintable(wanted));
                         });
    }
    if (parser.isSet(data))
        window.openDataset(parser.value(data), parser.value(split));
    return QApplication::exec();
}
