// How long the comparison grid takes to fill after selecting a scan, and the longest GUI-thread
// stall meanwhile (DESIGN.md section 8: grid within 1 s for the small models, no stall > 50 ms).
//   bench_grid DATA_DIR MODEL [MODEL ...] [--scans N]
// MODEL is a checkpoint, or ARCH=WEIGHTS for torchvision weights with a 2-class head
// (e.g. resnet50=/tmp/r50.pt, imported at 224 px with the data set's classes).
// Runs the real MainWindow offscreen (QT_QPA_PLATFORM=offscreen), selects N scans one after the
// other (each after the previous grid filled), and prints per-scan fill times and the stall.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>

#include "MainWindow.h"
#include "ScanBrowser.h"
#include "StallMonitor.h"

namespace {

double median(std::vector<double> v) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

bool waitFor(QSignalSpy& spy, int count, int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    while (spy.count() < count && clock.elapsed() < timeoutMs)
        spy.wait(std::max(1, static_cast<int>(timeoutMs - clock.elapsed())));
    return spy.count() >= count;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QApplication::setOrganizationName("Saliency Studio Bench");
    QStringList args = QApplication::arguments();
    args.removeFirst();
    int scans = 10;
    const int at = static_cast<int>(args.indexOf("--scans"));
    if (at >= 0 && at + 1 < args.size()) {
        scans = args[at + 1].toInt();
        args.remove(at, 2);
    }
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_grid DATA_DIR MODEL [MODEL ...] [--scans N]\n");
        return 2;
    }
    saliency::ui::MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QSignalSpy models(&window, &saliency::ui::MainWindow::modelLoaded);
    QSignalSpy loaded(&window, &saliency::ui::MainWindow::datasetLoaded);
    QSignalSpy filled(&window, &saliency::ui::MainWindow::gridFilled);
    for (int i = 1; i < args.size(); ++i) {
        const QStringList spec = args[i].split('=');
        if (spec.size() == 2)
            window.importModel(spec[0], spec[1], {"Brain Tumor", "Healthy"}, 224);
        else
            window.openModel(args[i]);
    }
    if (!waitFor(models, static_cast<int>(args.size()) - 1, 120000) ||
        window.modelCount() != args.size() - 1) {
        std::fprintf(stderr, "bench_grid: could not load the models\n");
        return 1;
    }
    window.openDataset(args[0]);
    if (!waitFor(loaded, 1, 120000) || !loaded.first().first().toBool()) {
        std::fprintf(stderr, "bench_grid: could not open the data set\n");
        return 1;
    }
    waitFor(filled, 1, 120000);  // the first scan, selected on opening (warm-up)
    saliency::ui::StallMonitor stalls;
    std::vector<double> fill;
    std::vector<double> stall;
    for (int s = 0; s < scans; ++s) {
        filled.clear();
        stalls.start();
        QElapsedTimer clock;
        clock.start();
        if (!window.browser()->selectNext())
            break;
        if (!waitFor(filled, 1, 120000))
            break;
        fill.push_back(clock.elapsed() / 1000.0);
        // Let the last cells paint before reading the stall monitor.
        QSignalSpy none(&window, &saliency::ui::MainWindow::destroyed);
        none.wait(100);
        stall.push_back(stalls.longestStallMs());
        stalls.stop();
        std::printf("scan %2d: grid filled in %6.3f s, longest GUI stall %5.1f ms\n", s + 1, fill.back(),
                    stall.back());
    }
    std::printf(
        "models %lld, scans %zu: median fill %.3f s, max fill %.3f s, longest GUI-thread stall %.1f ms\n",
        static_cast<long long>(args.size() - 1), fill.size(), median(fill),
        fill.empty() ? 0.0 : *std::max_element(fill.begin(), fill.end()),
        stall.empty() ? 0.0 : *std::max_element(stall.begin(), stall.end()));
    return 0;
}
