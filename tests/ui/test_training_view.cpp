// Training from the app (issue 7), offscreen: the dialog drives the core trainer on its worker
// thread, the curves get points, the new model reaches the project's registry and the grid; a run
// cancelled mid-epoch keeps its last good checkpoint, which loads, and resumes to the end.
#include <QApplication>
#include <QComboBox>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>

#include "ComparisonGrid.h"
#include "DemoFixture.h"
#include "ExplanationService.h"
#include "MainWindow.h"
#include "ModelRegistry.h"
#include "ProjectSession.h"
#include "StallMonitor.h"
#include "TrainingCurves.h"
#include "TrainingDialog.h"
#include "TrainingJob.h"
#include "TrainingResults.h"
#include "common/Progress.h"
#include "data/DemoData.h"
#include "saliency/ModelSession.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::ui;

namespace {

// A small demo data set, made once for the suite: enough scans for train, validation and test parts.
const fs::path& demoData() {
    return saliency::test::demoDataSet(48, 11, 96);
}

std::shared_ptr<const Dataset> scanned() {
    static const auto dataset = std::make_shared<const Dataset>(scanDataset(demoData()));
    return dataset;
}

TrainConfig smallRun(const fs::path& output, int epochs, int batch) {
    TrainConfig c;
    c.architecture = "cnn4";
    c.epochs = epochs;
    c.batchSize = batch;
    c.imageSize = 48;
    c.learningRate = 2e-3;
    c.seed = 3;
    c.augment.enabled = false;
    c.device = DeviceChoice::Cpu;
    c.output = output;
    return c;
}

}  // namespace

class TestTrainingView : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() { QVERIFY(!demoData().empty()); }

    void formRoundTripsTheConfiguration() {
        TrainingDialog dialog;
        TrainConfig c = smallRun("/tmp/x/model.pt", 7, 12);
        c.architecture = "resnet50";
        c.freezeBackbone = true;
        c.schedule = LrSchedule::Cosine;
        c.optimiser = OptimiserKind::Sgd;
        c.patience = 4;
        dialog.setConfig(c);
        const TrainConfig back = dialog.config();
        QCOMPARE(back.architecture, std::string("resnet50"));
        QVERIFY(back.freezeBackbone);
        QCOMPARE(back.epochs, 7);
        QCOMPARE(back.batchSize, 12);
        QCOMPARE(back.imageSize, 48);
        QVERIFY(back.schedule == LrSchedule::Cosine);
        QVERIFY(back.optimiser == OptimiserKind::Sgd);
        QCOMPARE(back.patience, 4);
        QVERIFY(back.device == DeviceChoice::Cpu);
        QCOMPARE(back.seed, std::uint64_t{3});
        QVERIFY(!back.augment.enabled);
        QVERIFY(back.output == fs::path("/tmp/x/model.pt"));
        // CUDA is offered only where this build sees a GPU.
        bool offersCuda = false;
        for (auto* box : dialog.findChildren<QComboBox*>())
            offersCuda = offersCuda || box->findData("cuda") >= 0;
        QCOMPARE(offersCuda, cudaAvailable());
    }

    // The running-mean line: every batch a point, a gap between epochs, an interrupted epoch's points
    // replaced when a resumed run goes through it again.
    void curvesKeepEveryBatchAndRestartAnInterruptedEpoch() {
        TrainingCurves curves;
        const auto batch = [&](int epoch, int b) {
            TrainProgress p;
            p.epoch = epoch;
            p.epochs = 3;
            p.batch = b;
            p.batches = 4;
            p.loss = 0.5;
            p.accuracy = 0.5;
            curves.addBatch(p);
        };
        for (int b = 1; b <= 4; ++b)
            batch(1, b);
        QCOMPARE(curves.batchPoints(), 4);
        for (int b = 1; b <= 2; ++b)  // cancelled after batch 2 of epoch 2
            batch(2, b);
        QCOMPARE(curves.batchPoints(), 4 + 1 + 2);  // one gap between the epochs
        for (int b = 1; b <= 4; ++b)                // the resumed run does epoch 2 again
            batch(2, b);
        QCOMPARE(curves.batchPoints(), 4 + 1 + 4);
    }

    void withoutADataSetNothingStarts() {
        TrainingDialog dialog;
        dialog.setConfig(smallRun("/tmp/never.pt", 1, 4));
        QTimer::singleShot(0, [] {
            for (auto* w : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(w))
                    box->accept();
        });
        QVERIFY(!dialog.startTraining());
        QVERIFY(!dialog.isRunning());
    }

    void trainsOneEpochIntoTheRegistryAndTheGrid() {
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("study.sqlite");
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(window.openProject(projectFile, true));
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        window.openDataset(QString::fromStdString(demoData().string()));
        QVERIFY(loaded.wait(60000));
        QVERIFY(loaded.first().first().toBool());

        TrainingDialog* dialog = window.showTraining();
        QVERIFY(dialog->isVisible());
        const fs::path checkpoint = fs::path(dir.path().toStdString()) / "models" / "cnn4-app.pt";
        dialog->setConfig(smallRun(checkpoint, 1, 8));

        StallMonitor stalls;
        stalls.start();
        QSignalSpy ended(dialog, &TrainingDialog::runEnded);
        QSignalSpy modelLoaded(&window, &MainWindow::modelLoaded);
        QVERIFY(dialog->startTraining());
        QVERIFY(dialog->isRunning());
        QVERIFY(ended.wait(240000));
        stalls.stop();
        QVERIFY2(ended.first().first().toBool(), qPrintable(ended.first().at(1).toString()));
        qInfo("longest GUI-thread stall while training: %.1f ms (%d ticks)", stalls.longestStallMs(),
              stalls.ticks());

        // The curves got the batches and the epoch; the results page has the test evaluation.
        QVERIFY(dialog->curves()->batchPoints() >= 1);
        QCOMPARE(dialog->curves()->epochPoints(), 1);
        const auto result = dialog->lastResult();
        QVERIFY(result);
        QVERIFY(!result->cancelled);
        QCOMPARE(result->bestEpoch, 1);
        QVERIFY(result->test.has_value());
        QVERIFY(fs::exists(checkpoint));
        QCOMPARE(dialog->results()->confusionTable()->rowCount(), 2);
        std::int64_t counted = 0;
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c)
                counted +=
                    dialog->results()->confusionTable()->item(r, c)->text().section('\n', 0, 0).toLongLong();
        QCOMPARE(counted, result->test->evaluation.images);
        int wrong = 0;
        for (const auto& p : result->test->predictions)
            wrong += p.correct() ? 0 : 1;
        QCOMPARE(dialog->results()->misclassifiedList()->topLevelItemCount(), wrong);
        QCOMPARE(dialog->pages()->currentIndex(), 2);  // the results page

        // The new model is in the grid without a restart, and in the project's registry.
        if (modelLoaded.isEmpty())
            QVERIFY(modelLoaded.wait(60000));
        QVERIFY(modelLoaded.last().first().toBool());
        QCOMPARE(window.modelCount(), 1);
        bool registered = false;
        for (const auto& m : window.project()->storedModels())
            registered = registered || fs::path(m.checkpointPath) == fs::absolute(checkpoint);
        QVERIFY(registered);
        ModelRegistry* registry = window.showRegistry();
        QCOMPARE(registry->table()->rowCount(), 1);
        const int row = registry->rowOf("cnn4-app");
        QVERIFY(row >= 0);
        QCOMPARE(registry->table()->item(row, 9)->text(), QString("yes"));  // in the grid
        QVERIFY(registry->table()->item(row, 3)->text().endsWith('%'));     // test accuracy from the card

        // A mark on its map: no run may now rewrite that checkpoint, and the registry keeps the model.
        const int serviceId = window.service()->models().front().id;
        const QString scan = QString::fromStdString(scanned()->items.front().relativePath.generic_string());
        window.project()->mark(scan, serviceId, explain::Method::GradCam, study::Verdict::Correct);
        QTimer closer;  // accept the warnings the refusals show
        connect(&closer, &QTimer::timeout, [] {
            for (auto* w : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible())
                    box->accept();
        });
        closer.start(50);
        dialog->setConfig(smallRun(checkpoint, 1, 8));  // after a run the form suggests a new file
        QVERIFY(!dialog->startTraining(true));
        QVERIFY(!dialog->startTraining(false));
        QVERIFY(!dialog->isRunning());
        QVERIFY(!registry->removeRow(row));
        QCOMPARE(registry->table()->rowCount(), 1);
        window.project()->undoStack()->undo();  // the mark goes again
        closer.stop();
        QCOMPARE(window.project()->annotationCount(window.project()->storedModels().front().id),
                 std::size_t(0));

        // Rename in the registry: the project, the grid's row and the model panel follow.
        QVERIFY(registry->renameRow(row, "cnn4 from the app"));
        QCOMPARE(registry->rowOf("cnn4 from the app"), row);
        QCOMPARE(window.project()->storedModels().front().name, std::string("cnn4 from the app"));
        QCOMPARE(window.service()->modelName(serviceId), QString("cnn4 from the app"));
        QCOMPARE(window.grid()->content().rows.front().title, QString("cnn4 from the app"));
        // Remove: the model leaves the project and the grid (it has no marks).
        QVERIFY(registry->removeRow(registry->rowOf("cnn4 from the app")));
        QCOMPARE(registry->table()->rowCount(), 0);
        QCOMPARE(window.modelCount(), 0);
        QVERIFY(fs::exists(checkpoint));  // the file stays on disk
    }

    void cancelMidEpochKeepsTheLastCheckpointAndResumes() {
        QTemporaryDir dir;
        const fs::path checkpoint = fs::path(dir.path().toStdString()) / "cnn4-cancel.pt";
        TrainingDialog dialog;
        dialog.setDataset(scanned(), std::nullopt);
        dialog.setConfig(smallRun(checkpoint, 3, 4));
        // Cancel as soon as the second epoch has started: after epoch 1 wrote its checkpoint.
        // Directly on the training thread (the flag is atomic): no queue between the batch and the
        // cancel, so the run stops in epoch 2 however busy the machine is.
        TrainingJob* job = dialog.job();
        const auto canceller = connect(
            job, &TrainingJob::batchDone, job,
            [job](const TrainProgress& p) {
                if (p.epoch >= 2)
                    job->cancel();
            },
            Qt::DirectConnection);
        QSignalSpy ended(&dialog, &TrainingDialog::runEnded);
        QSignalSpy trained(&dialog, &TrainingDialog::modelTrained);
        QVERIFY(dialog.startTraining());
        QVERIFY(ended.wait(240000));
        const auto cancelled = dialog.lastResult();
        QVERIFY(cancelled);
        QVERIFY(cancelled->cancelled);
        QCOMPARE(cancelled->bestEpoch, 1);
        QCOMPARE(cancelled->history.size(), std::size_t(1));
        QVERIFY(!cancelled->test.has_value());
        QVERIFY(fs::exists(checkpoint));
        QVERIFY(fs::exists(trainingStatePath(checkpoint)));
        QCOMPARE(trained.count(), 1);  // offered to the grid
        QVERIFY(!dialog.isRunning());

        // The last good checkpoint loads, with the epoch it was written after.
        const auto session = explain::ModelSession::openCheckpoint(checkpoint);
        QCOMPARE(session->info().architecture, std::string("cnn4"));
        QVERIFY(QString::fromStdString(session->info().cardJson).contains("\"epoch\""));

        // After a restart: a new window takes the run from the checkpoint's card, and Resume continues
        // from the saved state to the planned end.
        disconnect(canceller);
        TrainingDialog later;
        later.setDataset(scanned(), std::nullopt);
        QVERIFY(later.loadRun(checkpoint));
        const TrainConfig loaded = later.config();
        QCOMPARE(loaded.architecture, std::string("cnn4"));
        QCOMPARE(loaded.epochs, 3);
        QCOMPARE(loaded.batchSize, 4);
        QCOMPARE(loaded.imageSize, 48);
        QCOMPARE(loaded.seed, std::uint64_t{3});
        QVERIFY(!loaded.augment.enabled);
        QVERIFY(loaded.output == checkpoint);
        QSignalSpy laterEnded(&later, &TrainingDialog::runEnded);
        QVERIFY(later.startTraining(true));
        QVERIFY(laterEnded.wait(240000));
        QVERIFY2(laterEnded.first().first().toBool(), qPrintable(laterEnded.first().at(1).toString()));
        const auto resumed = later.lastResult();
        QVERIFY(resumed);
        QVERIFY(!resumed->cancelled);
        QVERIFY(resumed->resumed);
        QCOMPARE(static_cast<int>(resumed->history.size()), 3);
        QCOMPARE(later.curves()->epochPoints(), 3);  // the earlier epochs come from the saved history
    }

    void aBadConfigurationIsAMessageNotACrash() {
        QTemporaryDir dir;
        TrainingDialog dialog;
        dialog.setDataset(scanned(), std::nullopt);
        TrainConfig c = smallRun(fs::path(dir.path().toStdString()) / "m.pt", 1, 4);
        c.weights = fs::path(dir.path().toStdString()) / "no-such-weights.pt";
        dialog.setConfig(c);
        QSignalSpy ended(&dialog, &TrainingDialog::runEnded);
        QTimer closer;  // accept the warning the failed run shows
        connect(&closer, &QTimer::timeout, [] {
            for (auto* w : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible())
                    box->accept();
        });
        closer.start(50);
        QVERIFY(dialog.startTraining());
        QVERIFY(ended.wait(60000));
        QVERIFY(!ended.first().first().toBool());
        QVERIFY(!ended.first().at(1).toString().isEmpty());
        QVERIFY(!dialog.isRunning());
    }
};

QTEST_MAIN(TestTrainingView)
#include "test_training_view.moc"
