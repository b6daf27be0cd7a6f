// Training from the app: the GUI thread's longest stall while the core trainer runs on the
// TrainingJob thread and the dialog draws live curves (issue 7; DESIGN.md section 8: no stall over
// 50 ms), and the throughput the run reached.
//   bench_training_gui DATA_DIR [--arch cnn4] [--epochs 2] [--batch 16] [--image-size 128]
//                      [--screenshots DIR]
// Runs the real TrainingDialog (offscreen unless QT_QPA_PLATFORM says otherwise) on a fresh split
// of DATA_DIR, writing the checkpoint into a temporary folder. With --screenshots, saves the setup
// page, the progress page after the second-to-last epoch and the results page as PNGs (the user
// guide's pictures).
#include <cstdio>

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include "StallMonitor.h"
#include "TrainingDialog.h"
#include "TrainingJob.h"
#include "data/Dataset.h"

namespace {

QString option(QStringList& args, const QString& name, const QString& fallback) {
    const auto at = args.indexOf(name);
    if (at < 0 || at + 1 >= args.size())
        return fallback;
    const QString value = args[at + 1];
    args.remove(at, 2);
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QStringList args = QApplication::arguments();
    args.removeFirst();
    saliency::TrainConfig config;
    config.architecture = option(args, "--arch", "cnn4").toStdString();
    config.epochs = option(args, "--epochs", "2").toInt();
    config.batchSize = option(args, "--batch", "16").toInt();
    config.imageSize = option(args, "--image-size", "128").toInt();
    config.seed = 1;
    const QString screenshots = option(args, "--screenshots", "");
    if (args.size() != 1) {
        std::fprintf(
            stderr,
            "usage: bench_training_gui DATA_DIR [--arch A] [--epochs E] [--batch B] [--image-size PX]\n");
        return 2;
    }
    const auto dataset =
        std::make_shared<const saliency::Dataset>(saliency::scanDataset(args.front().toStdString()));
    QTemporaryDir dir;
    config.output = (dir.path() + "/bench.pt").toStdString();

    saliency::ui::TrainingDialog dialog;
    dialog.resize(980, 680);
    dialog.setDataset(dataset, std::nullopt);
    dialog.setConfig(config);
    dialog.show();
    const auto grab = [&](int page, const QString& name) {
        if (screenshots.isEmpty())
            return;
        dialog.pages()->setCurrentIndex(page);
        dialog.grab().save(screenshots + "/" + name);
    };
    grab(0, "training-setup.png");
    QObject::connect(dialog.job(), &saliency::ui::TrainingJob::epochDone, &dialog,
                     [&](const saliency::EpochResult& e) {
                         if (e.epoch == config.epochs - 1)
                             QTimer::singleShot(300, &dialog, [&] { grab(1, "training-progress.png"); });
                     });
    saliency::ui::StallMonitor stalls;
    QSignalSpy ended(&dialog, &saliency::ui::TrainingDialog::runEnded);
    QElapsedTimer clock;
    stalls.start();
    clock.start();
    if (!dialog.startTraining())
        return 1;
    if (!ended.wait(3'600'000) || !ended.first().first().toBool()) {
        std::fprintf(stderr, "the run failed: %s\n",
                     ended.isEmpty() ? "timeout" : qPrintable(ended.first().at(1).toString()));
        return 1;
    }
    stalls.stop();
    grab(2, "training-results.png");
    const auto result = dialog.lastResult();
    double imagesPerSecond = 0;
    for (const auto& e : result->history)
        imagesPerSecond += e.imagesPerSecond / static_cast<double>(result->history.size());
    std::printf("%s, %d epochs, batch %d, %d px, %lld training images on %s\n", config.architecture.c_str(),
                config.epochs, config.batchSize, config.imageSize,
                static_cast<long long>(result->trainImages), result->device.c_str());
    std::printf("wall time %.1f s; mean training throughput %.1f images/s\n", clock.elapsed() / 1000.0,
                imagesPerSecond);
    std::printf("longest GUI-thread stall %.1f ms over %d timer ticks\n", stalls.longestStallMs(),
                stalls.ticks());
    return 0;
}
