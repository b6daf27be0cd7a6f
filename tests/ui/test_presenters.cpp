// The main window's presenters (ui/presenters), each alone and offscreen: built from the core
// objects and widgets it needs, without a MainWindow. One test class per presenter, run from one
// main. The data are a few demo scans made at test time; the network is models/cnn4-demo.pt.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

// qcustomplot.h declares its signals with Qt's `signals` keyword and loops with `foreach`, both of
// which QT_NO_KEYWORDS (set for every test) removes: give them back for this one header.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include "ComparisonGrid.h"
#include "DemoFixture.h"
#include "ExplanationService.h"
#include "ModelPanel.h"
#include "ModelRegistry.h"
#include "ProjectSession.h"
#include "ReaderStudyWindow.h"
#include "SanityCheckWindow.h"
#include "ScanBrowser.h"
#include "TrainingDialog.h"
#include "common/Progress.h"
#include "data/DemoData.h"
#include "presenters/DatasetPresenter.h"
#include "presenters/ExportPresenter.h"
#include "presenters/GridPresenter.h"
#include "presenters/ModelsPresenter.h"
#include "presenters/ProjectPresenter.h"
#include "presenters/ReadoutPresenter.h"
#include "presenters/ReaderSessionPresenter.h"
#include "presenters/TrainingPresenter.h"
#include "study/ProjectDatabase.h"
#include "study/ReaderStudy.h"
#include "study/StudyRunner.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::ui;

namespace {

const QString kDemoModel = QString(SALIENCY_SOURCE_DIR) + "/models/cnn4-demo.pt";
constexpr int kWait = 30000;  // how long a spy waits before the test fails (not a threshold)

// A few demo scans with masks, made once for the whole executable.
const fs::path& demoData() {
    return saliency::test::demoDataSet(6, 7, 128);
}

QString demoFolder() {
    return QString::fromStdString(demoData().string());
}

bool hasPixels(const QImage& image) {
    if (image.isNull())
        return false;
    const QColor first = image.pixelColor(0, 0);
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            if (image.pixelColor(x, y) != first)
                return true;
    return false;
}

std::shared_ptr<explain::ModelSession> demoSession() {
    return explain::ModelSession::openCheckpoint(kDemoModel.toStdString());
}

// The presenters of one window, wired as MainWindow wires them (those a test needs).
struct Presenters {
    ExplanationService service;
    ScanBrowser browser;
    ModelPanel panel;
    ComparisonGrid gridView;
    DatasetPresenter dataset{browser, service};
    ModelsPresenter models{service, panel, nullptr};
    GridPresenter grid{gridView, service, dataset};

    Presenters() {
        QObject::connect(&dataset, &DatasetPresenter::selectionStarted, &grid,
                         &GridPresenter::startFillClock);
        QObject::connect(&dataset, &DatasetPresenter::currentChanged, &grid, &GridPresenter::showCurrentScan);
        QObject::connect(&models, &ModelsPresenter::added, &grid, &GridPresenter::modelAdded);
        QObject::connect(&models, &ModelsPresenter::removed, &grid, &GridPresenter::refresh);
        QObject::connect(&models, &ModelsPresenter::renamed, &grid, &GridPresenter::refresh);
    }
    bool openModel(const QString& file = kDemoModel) {
        QSignalSpy loaded(&models, &ModelsPresenter::loaded);
        models.open(file);
        return loaded.wait(kWait) && loaded.first().first().toBool();
    }
    // Opens the demo data set and waits until the first scan's grid is filled.
    bool openDemoAndFill() {
        QSignalSpy filled(&grid, &GridPresenter::filled);
        dataset.open(demoFolder());
        return filled.wait(kWait);
    }
};

}  // namespace

// ---- reader studies (issue 17) ------------------------------------------------------------------

class TestReaderStudy : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // A blinded session as a reader runs it: no network or method name on screen, the maps in the
    // order of the saved seed, repeats coming back; the app closed mid-session (nothing saved on the
    // way out) and opened again resumes at the first map not judged, with every judgement kept.
    void aBlindedSessionFollowsItsSeedAndResumes() {
        QTemporaryDir dir;
        const QString file = dir.filePath("readers.sqlite");
        std::int64_t sessionId = 0;
        std::vector<std::int64_t> expectedMaps;
        std::vector<std::optional<int>> expectedRepeats;
        {
            study::ProjectDatabase project(file.toStdString());
            study::StudyOptions options;
            options.data = demoData();
            options.checkpoints = {kDemoModel.toStdString()};
            options.methods = {explain::Method::Cam, explain::Method::GradCam};
            NullProgress quiet;
            study::runStudy(project, options, quiet);
            study::ReaderStudyPlan plan{.name = "blind", .readers = {"ann"}, .repeatShare = 0.25, .seed = 5};
            sessionId = study::createReaderStudy(project, plan).front();
            // What the seed gives: the study's maps in (scan, network, method) order, permuted.
            const auto session = project.readerSessions().front();
            std::vector<study::MapRecord> maps;
            for (const auto& m : project.maps())
                if (m.available && !m.empty)
                    maps.push_back(m);
            std::sort(maps.begin(), maps.end(), [](const auto& a, const auto& b) {
                return std::tie(a.scanId, a.modelId, a.method) < std::tie(b.scanId, b.modelId, b.method);
            });
            for (const auto& planned : study::plannedOrder(maps.size(), session.seed, 0.25)) {
                expectedMaps.push_back(maps[planned.map].id);
                expectedRepeats.push_back(planned.repeatOf);
            }
        }
        const std::size_t total = expectedMaps.size();
        QVERIFY(total > 8);
        const std::size_t beforeClosing = total / 2;

        std::vector<std::int64_t> shownMaps;  // in the order the reader saw them
        std::vector<QString> shownLabels;
        auto judgeUntil = [&](ReaderStudyWindow& window, std::size_t count, bool byKeys) {
            ReaderSessionPresenter& p = window.presenter();
            while (p.current() && p.judged() < count) {
                if (p.content().pending) {
                    QSignalSpy ready(&p, &ReaderSessionPresenter::contentReady);
                    QVERIFY(ready.wait(kWait));
                }
                const auto& item = p.items().at(*p.current());
                shownMaps.push_back(item.mapId);
                shownLabels.push_back(p.content().title);
                for (const QString& text : window.visibleTexts()) {
                    QVERIFY2(!text.contains("cnn4") && !text.contains("CAM") && !text.contains("cam") &&
                                 !text.contains("Brain Tumor") && !text.contains("Healthy"),
                             qPrintable("shown while blinded: " + text));
                }
                QVERIFY(!p.content().image.isNull());
                const bool correct = item.mapId % 3 != 0;
                if (byKeys) {
                    QTest::keyClick(&window, correct ? Qt::Key_C : Qt::Key_X);
                    QTest::keyClick(&window, Qt::Key_4);
                } else {
                    p.chooseConfidence(2);  // either order
                    p.chooseVerdict(correct ? study::Verdict::Correct : study::Verdict::Incorrect);
                }
            }
        };
        {
            Presenters w;
            ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
            connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
            QVERIFY(w.openModel());
            QVERIFY(w.openDemoAndFill());
            QVERIFY(project.open(file, false));
            ReaderStudyWindow window(*project.session(), w.service, DisplayOptions{}, {"cam", "gradcam"});
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.activateWindow();
            QCOMPARE(window.sessionCount(), 1);
            QVERIFY(window.sessionLabel(0).startsWith("blind - ann (0 of"));
            QVERIFY(window.startSession(sessionId));
            judgeUntil(window, 3, true);
            QCOMPARE(window.presenter().judged(), std::size_t(3));  // C/X then 1-5 from the keyboard
            judgeUntil(window, beforeClosing, false);
            QCOMPARE(window.presenter().judged(), beforeClosing);
        }  // closed without saving anything: every judgement was committed as it was made
        {
            study::ProjectDatabase stored(file.toStdString(), study::OpenMode::ReadOnly);
            QCOMPARE(stored.readerSessions().front().judged, beforeClosing);
        }
        {
            Presenters w;
            ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
            connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
            QVERIFY(w.openModel());
            QVERIFY(w.openDemoAndFill());
            QVERIFY(project.open(file, false));
            ReaderStudyWindow window(*project.session(), w.service, DisplayOptions{}, {"cam", "gradcam"});
            QVERIFY(window.startSession(sessionId));
            QCOMPARE(window.presenter().current(), std::optional<std::size_t>(beforeClosing));  // resumed
            QSignalSpy finished(&window.presenter(), &ReaderSessionPresenter::finished);
            judgeUntil(window, total, false);
            QCOMPARE(finished.size(), 1);
            QVERIFY(window.presenter().progressText().startsWith("Session complete"));
            QVERIFY(window.presenter().keyText().contains("cnn4-demo"));  // the key, after the session
        }
        QCOMPARE(shownMaps, expectedMaps);  // the saved seed's order, across the restart
        std::size_t repeats = 0;
        for (std::size_t p = 0; p < total; ++p) {
            if (!expectedRepeats[p])
                continue;
            ++repeats;
            QCOMPARE(shownLabels[p], shownLabels[static_cast<std::size_t>(*expectedRepeats[p])]);
        }
        QVERIFY(repeats > 0);
        study::ProjectDatabase stored(file.toStdString(), study::OpenMode::ReadOnly);
        const auto items = stored.readerItems(sessionId);
        for (const auto& item : items) {
            QVERIFY(item.verdict && item.confidence && item.seconds && item.time);
            QCOMPARE(*item.confidence, item.position < 3 ? 4 : 2);
        }
        QCOMPARE(stored.annotations().size(), total - repeats);  // first showings are ann's marks
        const auto intra = study::intraReaderAgreement(stored);
        QCOMPARE(intra.front().repeats, repeats);
        QCOMPARE(intra.front().same, repeats);  // the same map, the same verdict
    }
};

// ---- the sanity check window and the grid's badge ------------------------------------------------

class TestSanityCheckWindow : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    // What a user sees after Analyse > Sanity check > Run on the demo network: the strip, the chart,
    // Guided Backprop failing and Grad-CAM passing, and the failing method's column header badged.
    void aCheckShowsTheStripTheChartAndBadgesTheFailingColumns() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        SanityCheckWindow window(w.service);
        QObject::connect(&window, &SanityCheckWindow::checked, &w.grid, &GridPresenter::setSanityFailures);
        QVERIFY(!window.run());  // no scan yet: refused with the reason shown
        const auto current = w.dataset.current();
        QVERIFY(current);
        window.setScan("demo scan", current->scan.rgb);
        QSignalSpy checked(&window, &SanityCheckWindow::checked);
        QVERIFY(window.run());
        QVERIFY(!window.run());  // one at a time
        QVERIFY(checked.wait(120000));

        const auto* report = window.report();
        QVERIFY(report);
        QCOMPARE(report->columns.size(), std::size_t(6));  // trained + cnn4's five blocks
        QCOMPARE(report->rows.size(), std::size_t(4));
        const QImage strip = window.stripImage();
        QVERIFY(hasPixels(strip));
        QVERIFY(strip.width() > 6 * 128);
        QCOMPARE(window.chart()->graphCount(), 8);  // four methods on the Spearman and the SSIM panels
        const QString verdicts = window.verdictText();
        QVERIFY2(verdicts.contains("<b>Guided Backprop</b>: fails"), qPrintable(verdicts));
        QVERIFY2(verdicts.contains("<b>Grad-CAM</b>: passes"), qPrintable(verdicts));
        QVERIFY(verdicts.contains("Rule: a method fails when"));
        // the random-logit test beside it, a line per method with its rule
        const QString logit = verdicts.mid(verdicts.indexOf("Random-logit test"));
        QVERIFY2(logit.contains("<b>Grad-CAM</b>: ") && logit.contains("<b>Guided Backprop</b>: "), qPrintable(verdicts));
        QVERIFY(logit.contains("Rule: a method passes when the mean SSIM"));

        const auto failing = checked.first().at(1).value<std::vector<explain::Method>>();
        QVERIFY(std::find(failing.begin(), failing.end(), explain::Method::GuidedBackprop) != failing.end());
        const GridContent& content = w.gridView.content();
        const int guided = static_cast<int>(content.columns.indexOf("Guided Backprop"));
        const int gradCam = static_cast<int>(content.columns.indexOf("Grad-CAM"));
        QVERIFY(guided > 0 && gradCam > 0);
        QVERIFY2(content.columnBadges.value(guided).startsWith("fails sanity check: cnn4-demo"),
                 qPrintable(content.columnBadges.value(guided)));
        QVERIFY(content.columnBadges.value(gradCam).isEmpty());
        // The grid draws it (and survives a repaint with badges).
        w.gridView.resize(900, 500);
        QVERIFY(hasPixels(w.gridView.grab().toImage()));
        // Cleared when the network is checked again with no failure (or removed).
        w.grid.setSanityFailures(w.service.models().front().id, {});
        QVERIFY(w.gridView.content().columnBadges.value(guided).isEmpty());
    }
};

// ---- DatasetPresenter ---------------------------------------------------------------------------

class TestDatasetPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void openingAFolderLoadsEveryScanAndDecodesTheFirst() {
        ExplanationService service;
        ScanBrowser browser;
        DatasetPresenter presenter(browser, service);
        QSignalSpy loaded(&presenter, &DatasetPresenter::loaded);
        QSignalSpy shown(&presenter, &DatasetPresenter::scanShown);
        presenter.open(demoFolder());
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), true);
        const Dataset expected = scanDataset(demoData());
        QVERIFY(!expected.items.empty());
        QCOMPARE(presenter.dataset()->items.size(), expected.items.size());
        QCOMPARE(browser.visibleCount(), static_cast<int>(expected.items.size()));
        // The browser selected the first scan; its decode arrives from a worker.
        QVERIFY(shown.wait(kWait) || !shown.isEmpty());
        QCOMPARE(shown.first().first().toInt(), presenter.currentIndex());
        QVERIFY(presenter.current());
        QVERIFY(!presenter.current()->base.empty());
        QCOMPARE(
            presenter.scanKey(presenter.currentIndex()),
            QString::fromStdString(
                expected.items[static_cast<size_t>(presenter.currentIndex())].relativePath.generic_string()));
    }

    void aNewerSelectionSupersedesAnOlderDecode() {
        ExplanationService service;
        ScanBrowser browser;
        DatasetPresenter presenter(browser, service);
        QSignalSpy shown(&presenter, &DatasetPresenter::scanShown);
        presenter.open(demoFolder());
        QVERIFY(shown.wait(kWait));
        const int scans = static_cast<int>(presenter.dataset()->items.size());
        QVERIFY(scans >= 3);
        const int older = (presenter.currentIndex() + 1) % scans;
        const int newer = (presenter.currentIndex() + 2) % scans;
        shown.clear();
        // Two selections before either decode is back: only the newer one is shown.
        QVERIFY(browser.selectIndex(older));
        QVERIFY(browser.selectIndex(newer));
        QVERIFY(shown.wait(kWait));
        QThreadPool::globalInstance()->waitForDone();  // both decodes done ...
        QCoreApplication::sendPostedEvents();          // ... and their results delivered
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().first().toInt(), newer);
        QCOMPARE(presenter.current()->index, newer);
    }

    void aFolderWithNoReadableScansClearsTheCurrentScanAndSaysSo() {
        ExplanationService service;
        ScanBrowser browser;
        DatasetPresenter presenter(browser, service);
        QSignalSpy shown(&presenter, &DatasetPresenter::scanShown);
        presenter.open(demoFolder());
        QVERIFY(shown.wait(kWait));
        QVERIFY(presenter.current());

        QTemporaryDir bad;
        QVERIFY(QDir(bad.path()).mkpath("Healthy"));
        std::ofstream(bad.filePath("Healthy/broken.png").toStdString()) << "not a PNG";
        QSignalSpy loaded(&presenter, &DatasetPresenter::loaded);
        QSignalSpy changed(&presenter, &DatasetPresenter::currentChanged);
        QSignalSpy status(&presenter, &DatasetPresenter::status);
        presenter.open(bad.path());
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), true);  // a data set, with nothing to show
        QVERIFY(presenter.dataset()->items.empty());
        QCOMPARE(presenter.currentIndex(), -1);
        QVERIFY(!presenter.current());
        QCOMPARE(changed.size(), 1);
        const QString said = status.last().first().toString();
        QVERIFY2(said.contains("0 scans") && said.contains("1 skipped"), qPrintable(said));
    }

    void aMissingFolderIsAnErrorNotACrash() {
        ExplanationService service;
        ScanBrowser browser;
        DatasetPresenter presenter(browser, service);
        QSignalSpy loaded(&presenter, &DatasetPresenter::loaded);
        QSignalSpy error(&presenter, &DatasetPresenter::error);
        presenter.open("/nonexistent/folder");
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), false);
        QCOMPARE(error.size(), 1);
        QVERIFY(error.first().at(1).toString().contains("does not exist"));
        QVERIFY(!presenter.dataset());
    }

    void theBrowserShowsTheFirstNetworksVerdicts() {
        ExplanationService service;
        ScanBrowser browser;
        DatasetPresenter presenter(browser, service);
        service.addModel(demoSession());
        QSignalSpy progress(&service, &ExplanationService::classificationProgress);
        presenter.open(demoFolder());
        // Until every scan is classified (done == total).
        while (progress.isEmpty() || progress.last().at(0).toInt() < progress.last().at(1).toInt())
            QVERIFY(progress.wait(kWait));
        QVERIFY(service.prediction(presenter.scanKey(0), service.models().front().id).has_value());
    }
};

// ---- ModelsPresenter ----------------------------------------------------------------------------

class TestModelsPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void aCheckpointIsLoadedWithItsFingerprint() {
        ExplanationService service;
        ModelPanel panel;
        ModelsPresenter presenter(service, panel, nullptr);
        QSignalSpy loaded(&presenter, &ModelsPresenter::loaded);
        QSignalSpy added(&presenter, &ModelsPresenter::added);
        QSignalSpy opened(&presenter, &ModelsPresenter::fileOpened);
        presenter.open(kDemoModel);
        QCOMPARE(presenter.loading(), 1);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), true);
        QCOMPARE(presenter.loading(), 0);
        QCOMPARE(added.size(), 1);
        QCOMPARE(opened.first().first().toString(), kDemoModel);
        const int id = added.first().first().toInt();
        QCOMPARE(presenter.count(), 1);
        QCOMPARE(panel.count(), 1);
        QCOMPARE(presenter.fingerprint(id).size(), size_t(16));
        QCOMPARE(presenter.loadedFrom(kDemoModel), std::vector<int>{id});
    }

    void aBadFileGivesAnErrorMessageNotASilentFailure() {
        QTemporaryDir dir;
        const QString bogus = dir.filePath("notes.pt");
        std::ofstream(bogus.toStdString()) << "this is not a checkpoint";
        ExplanationService service;
        ModelPanel panel;
        ModelsPresenter presenter(service, panel, nullptr);
        QSignalSpy loaded(&presenter, &ModelsPresenter::loaded);
        QSignalSpy error(&presenter, &ModelsPresenter::error);
        presenter.open(bogus);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), false);
        QVERIFY(!loaded.first().at(1).toString().isEmpty());
        QCOMPARE(error.size(), 1);
        QVERIFY(error.first().at(1).toString().contains("notes.pt"));
        QCOMPARE(presenter.count(), 0);
        QCOMPARE(panel.count(), 0);
    }

    void missingWeightsToImportGiveAnErrorMessage() {
        ExplanationService service;
        ModelPanel panel;
        ModelsPresenter presenter(service, panel, nullptr);
        QSignalSpy loaded(&presenter, &ModelsPresenter::loaded);
        QSignalSpy error(&presenter, &ModelsPresenter::error);
        presenter.importWeights("resnet18", "/nonexistent/weights.pt", {"Brain Tumor", "Healthy"}, 224);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), false);
        QCOMPARE(error.size(), 1);
        QCOMPARE(presenter.count(), 0);
    }

    void renameAndRemoveReachTheServiceAndThePanel() {
        ExplanationService service;
        ModelPanel panel;
        ModelsPresenter presenter(service, panel, nullptr);
        QSignalSpy added(&presenter, &ModelsPresenter::added);
        presenter.open(kDemoModel);
        QVERIFY(added.wait(kWait));
        const int id = added.first().first().toInt();
        QSignalSpy renamed(&presenter, &ModelsPresenter::renamed);
        presenter.rename(id, "the small one");
        QCOMPARE(renamed.size(), 1);
        QCOMPARE(presenter.modelName(id), QString("the small one"));
        presenter.rename(id + 100, "nobody");  // not loaded: nothing happens
        QCOMPARE(renamed.size(), 1);
        QSignalSpy removed(&presenter, &ModelsPresenter::removed);
        presenter.remove(id);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(presenter.count(), 0);
        QCOMPARE(panel.count(), 0);
        QVERIFY(presenter.fingerprint(id).empty());
    }
};

// ---- GridPresenter ------------------------------------------------------------------------------

class TestGridPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void aRowPerNetworkFilledWithMaps() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openModel());  // the same checkpoint twice: two rows
        QVERIFY(w.openDemoAndFill());
        const GridContent& content = w.gridView.content();
        QCOMPARE(content.columns.size(), 5);  // the scan and the four seed methods
        QCOMPARE(content.rows.size(), size_t(2));
        for (const auto& row : content.rows) {
            QVERIFY(row.subtitle.contains("predicted"));
            for (const auto& cell : row.cells) {
                QVERIFY2(!cell.pending, qPrintable(cell.title));
                QVERIFY2(hasPixels(cell.image), qPrintable(cell.title + " " + cell.message));
            }
        }
        QCOMPARE(w.grid.classes().size(), 2);  // named by the first network
        QVERIFY(content.heading.contains("true class"));
    }

    void methodsAndTheTargetClassRebuildTheGrid() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        QSignalSpy filled(&w.grid, &GridPresenter::filled);
        w.grid.setMethods({explain::Method::GradCam});
        QCOMPARE(w.gridView.content().columns, QStringList({"Scan", "Grad-CAM"}));
        QVERIFY(filled.wait(kWait));
        QCOMPARE(w.grid.explainRequest().targetClass, -1);
        w.grid.setTargetClass(1);
        QCOMPARE(w.grid.explainRequest().targetClass, 1);
        QVERIFY(filled.wait(kWait));
        QVERIFY(!w.gridView.content().rows[0].cells[1].pending);
    }

    void withoutANetworkTheScanIsShownAndTheGridIsFilledAtOnce() {
        Presenters w;
        QSignalSpy filled(&w.grid, &GridPresenter::filled);
        w.dataset.open(demoFolder());
        QVERIFY(filled.wait(kWait));
        const GridContent& content = w.gridView.content();
        QCOMPARE(content.rows.size(), size_t(1));
        QCOMPARE(content.rows[0].title, QString("No network"));
        QVERIFY(hasPixels(content.rows[0].cells[0].image));
    }

    // A scan that cannot be read any more (cut short by a copy after the data set was opened): the
    // grid says which scan and why, in the cell, not only in the status bar.
    void anUnreadableScanIsExplainedInTheGrid() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        for (const auto& entry : std::filesystem::recursive_directory_iterator(demoFolder().toStdString())) {
            const auto relative = std::filesystem::relative(entry.path(), demoFolder().toStdString());
            if (entry.is_directory())
                std::filesystem::create_directories(root / relative);
            else if (entry.path().extension() == ".jpg")
                std::filesystem::copy_file(entry.path(), root / relative);
        }
        Presenters w;
        QSignalSpy shown(&w.dataset, &DatasetPresenter::scanShown);
        w.dataset.open(dir.path());
        QVERIFY(shown.wait(kWait));
        const int other =
            (w.dataset.currentIndex() + 1) % static_cast<int>(w.dataset.dataset()->items.size());
        const QString key = w.dataset.scanKey(other);
        std::filesystem::resize_file(root / key.toStdString(), 300);
        QSignalSpy changed(&w.dataset, &DatasetPresenter::currentChanged);
        QVERIFY(w.dataset.selectScan(key));
        QVERIFY(changed.wait(kWait));
        const GridContent& content = w.gridView.content();
        QVERIFY2(content.heading.contains(key) && content.heading.contains("cannot be read"),
                 qPrintable(content.heading));
        QCOMPARE(content.rows.size(), size_t(1));
        QCOMPARE(content.rows[0].title, QString("Not readable"));
        QVERIFY2(content.rows[0].cells[0].message.contains("JPEG") ||
                     content.rows[0].cells[0].message.contains("cut"),
                 qPrintable(content.rows[0].cells[0].message));
    }

    void windowLevelFollowsTheDragAndResets() {
        Presenters w;
        QSignalSpy shown(&w.dataset, &DatasetPresenter::scanShown);
        QSignalSpy label(&w.grid, &GridPresenter::windowChanged);
        w.dataset.open(demoFolder());
        QVERIFY(shown.wait(kWait));
        const Window original = w.dataset.current()->scan.window;
        QCOMPARE(w.grid.window().width, original.width);
        label.clear();
        Q_EMIT w.gridView.windowDragged(100, -50);  // as a right-drag reports it
        QVERIFY(w.grid.window().width > original.width);
        QVERIFY(w.grid.window().centre < original.centre);
        QCOMPARE(label.size(), 1);
        w.grid.resetWindow();
        QCOMPARE(w.grid.window().width, original.width);
        QCOMPARE(w.grid.window().centre, original.centre);
    }

    // Issue 12: a preset is worked out per scan, a window set by hand is kept while browsing, and
    // the window applies under the overlays too.
    void windowPresetsAndManualWindowsFollowTheBrowsing() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        const QImage before = w.gridView.content().rows[0].cells[1].image;
        w.grid.setWindowPreset(WindowPreset::FullRange);
        QCOMPARE(w.grid.windowPreset(), std::optional(WindowPreset::FullRange));
        const Window full = presetWindow(w.dataset.current()->scan, WindowPreset::FullRange);
        QCOMPARE(w.grid.window().width, full.width);
        // A narrow window by hand: the scan under the maps changes as well as the scan column.
        QSignalSpy changed(&w.grid, &GridPresenter::windowChanged);
        w.grid.setWindow(Window{.centre = 20, .width = 30});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(w.grid.windowPreset(), std::optional<WindowPreset>());
        QTRY_VERIFY_WITH_TIMEOUT(w.gridView.content().rows[0].cells[1].image != before, kWait);
        // Another scan keeps the hand-set window.
        QSignalSpy filled(&w.grid, &GridPresenter::filled);
        const Dataset* data = w.dataset.dataset();
        QVERIFY(
            w.dataset.selectScan(QString::fromStdString(data->items.at(1).relativePath.generic_string())));
        QVERIFY(filled.wait(kWait));
        QCOMPARE(w.grid.window().width, 30.0);
        QCOMPARE(w.grid.window().centre, 20.0);
        // Reset: back to the file's own window of this scan.
        w.grid.resetWindow();
        QCOMPARE(w.grid.windowPreset(), std::optional(WindowPreset::File));
        QCOMPARE(w.grid.window().width, w.dataset.current()->scan.window.width);
    }

    void displayOptionsReRenderTheCells() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        const QImage before = w.gridView.content().rows[0].cells[1].image;
        DisplayOptions display = w.grid.display();
        display.heatmapOpacity = 1.0;
        display.thresholdContour = true;
        QSignalSpy rendered(&w.grid, &GridPresenter::contentChanged);
        w.grid.setDisplay(display);
        QVERIFY(rendered.wait(kWait));  // the row, rendered again in a worker
        QVERIFY(w.gridView.content().rows[0].cells[1].image != before);
        const auto& cells = w.gridView.content().rows[0].cells;
        QVERIFY(std::any_of(cells.begin(), cells.end(),
                            [](const CellContent& c) { return !c.contour.isEmpty(); }));
        QVERIFY(w.grid.display() == display);
    }

    // View > Shared colour scale: two networks' maps of one method on one scale. cnn4's maps and
    // EfficientNet's have different magnitudes; with the shared scale at most one of them reaches the
    // top of the colour map per method, and the cells change; the figure legend says so.
    void aSharedScaleRendersEveryNetworkOnTheMethodsMaximum() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openModel(QString(SALIENCY_SOURCE_DIR) + "/models/efficientnet-b0-demo.pt"));
        QVERIFY(w.openDemoAndFill());
        const QImage before = w.gridView.content().rows[1].cells[2].image;  // EfficientNet's Grad-CAM
        DisplayOptions display = w.grid.display();
        display.sharedScale = true;
        QSignalSpy rendered(&w.grid, &GridPresenter::contentChanged);
        w.grid.setDisplay(display);
        QVERIFY(rendered.wait(kWait));
        while (rendered.count() < 2)  // both rows rendered again
            QVERIFY(rendered.wait(kWait));
        const auto& rows = w.gridView.content().rows;
        QCOMPARE(rows[0].cells[3].kind, CellKind::Heatmap);  // Guided Backprop as its magnitude
        QVERIFY(rows[1].cells[2].image != before || rows[0].cells[2].image != before);
        QVERIFY(hasPixels(rows[0].cells[2].image) && hasPixels(rows[1].cells[2].image));
    }
};

// ---- ReadoutPresenter ---------------------------------------------------------------------------

class TestReadoutPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void valuesAreTheMapsValuesAtThePoint() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        ReadoutPresenter readout(w.dataset, w.service, w.grid);
        const QPointF at(0.3, 0.6);
        const auto current = w.dataset.current();
        const cv::Mat& intensity = current->scan.intensity;
        const int x = static_cast<int>(at.x() * intensity.cols),
                  y = static_cast<int>(at.y() * intensity.rows);
        QCOMPARE(readout.pixel(at), std::optional<QPoint>(QPoint(x, y)));
        QCOMPARE(*readout.intensity(at), intensity.at<float>(y, x));
        const QString text = readout.readout(at);
        QVERIFY2(text.startsWith(QString("x %1  y %2").arg(x).arg(y)), qPrintable(text));
        const int id = w.service.models().front().id;
        QVERIFY(text.contains(w.service.modelName(id) + ": CAM "));
        const auto result = w.service.result(w.dataset.scanKey(current->index), id, w.grid.explainRequest());
        QVERIFY(result);
        QCOMPARE(result->maps.size(), size_t(4));
        for (const auto& map : result->maps) {
            const cv::Point p(static_cast<int>(at.x() * map.map.cols),
                              static_cast<int>(at.y() * map.map.rows));
            float expected = 0;
            if (map.map.channels() == 1) {
                expected = map.map.at<float>(p);
            } else {  // guided: the largest absolute gradient over the channels
                const cv::Vec3f g = map.map.at<cv::Vec3f>(p);
                expected = std::max({std::abs(g[0]), std::abs(g[1]), std::abs(g[2])});
            }
            QCOMPARE(*readout.mapValue(id, map.method, at), expected);
            const QString shown = " " + QString::number(static_cast<double>(expected), 'g', 3);
            QVERIFY2(text.contains(shown), qPrintable(shown + " in " + text));
        }
    }

    void theGridsCursorReachesTheReadout() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        ReadoutPresenter readout(w.dataset, w.service, w.grid);
        connect(&w.gridView, &ComparisonGrid::cursorMoved, &readout, &ReadoutPresenter::cursorMoved);
        connect(&w.gridView, &ComparisonGrid::cursorLeft, &readout, &ReadoutPresenter::cursorLeft);
        QSignalSpy changed(&readout, &ReadoutPresenter::readoutChanged);
        w.gridView.resize(900, 400);
        const QRectF cell = *w.gridView.layout().rectOf(0, 2);
        const QPointF position = cell.center();
        QMouseEvent move(QEvent::MouseMove, position, w.gridView.mapToGlobal(position), Qt::NoButton,
                         Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(&w.gridView, &move);
        QCOMPARE(changed.size(), 1);
        // The middle of a square cell is the middle of the image.
        QCOMPARE(changed.first().first().toString(), readout.readout({0.5, 0.5}));
        QVERIFY(w.gridView.linkedCursor().has_value());
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&w.gridView, &leave);
        QCOMPARE(changed.size(), 2);
        QVERIFY(changed.last().first().toString().isEmpty());
        QVERIFY(!w.gridView.linkedCursor());
    }

    void withoutAScanTheReadoutIsEmpty() {
        Presenters w;
        const ReadoutPresenter readout(w.dataset, w.service, w.grid);
        QVERIFY(!readout.pixel({0.5, 0.5}));
        QVERIFY(readout.readout({0.5, 0.5}).isEmpty());
    }
};

// ---- ExportPresenter ----------------------------------------------------------------------------

class TestExportPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void writesValidFiguresOfTheCurrentGrid() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        ExportPresenter presenter(w.grid, w.dataset, w.service, nullptr);
        QTemporaryDir out;
        presenter.exportFigure(out.filePath("figure.png"), {.dpi = 150});
        presenter.exportFigure(out.filePath("figure.svg"));
        presenter.exportFigure(out.filePath("figure.pdf"));
        const QImage png(out.filePath("figure.png"));
        QVERIFY(png.width() > 500 && png.height() > 150);
        QVERIFY(hasPixels(png));
        QVERIFY(QSvgRenderer(out.filePath("figure.svg")).isValid());
        QFile pdf(out.filePath("figure.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.readAll().startsWith("%PDF-"));
        QVERIFY_THROWS_EXCEPTION(std::exception, presenter.exportFigure(out.filePath("figure.bmp")));
        QVERIFY(!QFile::exists(out.filePath("figure.bmp")));
    }

    void exportsEachSelectedScanInAWorker() {
        Presenters w;
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        ExportPresenter presenter(w.grid, w.dataset, w.service, nullptr);
        QTemporaryDir out;
        QSignalSpy progress(&presenter, &ExportPresenter::selectionProgress);
        QSignalSpy exported(&presenter, &ExportPresenter::selectionExported);
        const int run = presenter.exportSelection({0, 1}, out.path(), "png");
        QVERIFY(run > 0);
        QVERIFY(exported.wait(kWait));
        QCOMPARE(exported.first().at(0).toInt(), run);
        QCOMPARE(exported.first().at(1).toInt(), 2);
        QVERIFY(exported.first().at(2).toStringList().isEmpty());
        QCOMPARE(progress.size(), 2);
        QCOMPARE(progress.last().at(1).toInt(), 2);
        for (const int i : {0, 1}) {
            const auto stem = w.dataset.dataset()->items[static_cast<size_t>(i)].relativePath.stem().string();
            const QImage figure(QDir(out.path()).filePath(QString::fromStdString(stem) + "-comparison.png"));
            QVERIFY(hasPixels(figure));
        }
        QCOMPARE(presenter.exportSelection({}, out.path(), "png"), 0);  // nothing selected: nothing starts
    }
};

// ---- ProjectPresenter ---------------------------------------------------------------------------

class TestProjectPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void aMarkIsInTheDatabaseAtOnceAndUndoRemovesIt() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        connect(&w.grid, &GridPresenter::contentChanged, &project, &ProjectPresenter::applyMarks);
        connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());

        QSignalSpy error(&project, &ProjectPresenter::error);
        QVERIFY(!project.markFocused(study::Verdict::Correct));  // no project yet: said so
        QCOMPARE(error.size(), 1);

        QTemporaryDir dir;
        const QString file = dir.filePath("study.sqlite");
        QSignalSpy opened(&project, &ProjectPresenter::opened);
        QVERIFY(project.open(file, true));
        QCOMPARE(opened.size(), 1);
        QVERIFY(project.session());
        auto stored = [&] {  // through a second connection: what is committed
            return study::ProjectDatabase(file.toStdString(), study::OpenMode::ExistingOnly).annotations();
        };
        QSignalSpy canUndo(&project, &ProjectPresenter::canUndoChanged);
        QSignalSpy stale(&project, &ProjectPresenter::statisticsStale);
        QVERIFY(project.markFocused(study::Verdict::Correct));
        QCOMPARE(stored().size(), size_t(1));
        QCOMPARE(w.gridView.content().rows[0].cells[1].mark, CellMark::Correct);
        QCOMPARE(w.gridView.focusedCell(), std::make_pair(0, 2));  // on to the next map
        QVERIFY(!canUndo.isEmpty() && canUndo.last().first().toBool());
        QVERIFY(stale.wait(kWait));  // the statistics follow, once

        project.undo();
        QCOMPARE(stored().size(), size_t(0));
        QCOMPARE(w.gridView.content().rows[0].cells[1].mark, CellMark::None);
        project.redo();
        QCOMPARE(stored().size(), size_t(1));
        // A whole row at once: every method of the network.
        QVERIFY(project.markFocused(study::Verdict::Unsure, true));
        QCOMPARE(stored().size(), size_t(4));
    }

    // Issue 12: Ctrl+Z on a mark of a scan no longer shown brings that scan and cell back and says
    // what it undid, instead of changing a mark out of sight.
    void undoShowsTheScanAndCellItChanges() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        connect(&w.grid, &GridPresenter::contentChanged, &project, &ProjectPresenter::applyMarks);
        connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
        QVERIFY(w.openModel());
        QVERIFY(w.openDemoAndFill());
        QTemporaryDir dir;
        QVERIFY(project.open(dir.filePath("undo.sqlite"), true));
        const QString marked = w.dataset.scanKey(w.dataset.current()->index);
        w.gridView.setFocusedCell(0, 3);
        QVERIFY(project.markFocused(study::Verdict::Incorrect));
        // Elsewhere now.
        QSignalSpy filled(&w.grid, &GridPresenter::filled);
        const Dataset* data = w.dataset.dataset();
        QVERIFY(
            w.dataset.selectScan(QString::fromStdString(data->items.at(2).relativePath.generic_string())));
        QVERIFY(filled.wait(kWait));
        QVERIFY(w.dataset.scanKey(w.dataset.current()->index) != marked);
        QSignalSpy status(&project, &ProjectPresenter::status);
        filled.clear();
        project.undo();
        QVERIFY(filled.wait(kWait));
        QCOMPARE(w.dataset.scanKey(w.dataset.current()->index), marked);
        QCOMPARE(w.gridView.focusedCell(), std::make_pair(0, 3));
        QCOMPARE(w.gridView.content().rows[0].cells[3].mark, CellMark::None);
        QVERIFY(!status.isEmpty());
        QVERIFY2(status.first().first().toString().startsWith("Undone"),
                 qPrintable(status.first().first().toString()));
    }

    void inFocusModeAMarkGoesToTheNetworkOnScreen() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        connect(&w.grid, &GridPresenter::contentChanged, &project, &ProjectPresenter::applyMarks);
        connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
        QVERIFY(w.openModel());
        QVERIFY(w.openModel(QString(SALIENCY_SOURCE_DIR) + "/models/efficientnet-b0-demo.pt"));  // two rows
        QVERIFY(w.openDemoAndFill());
        QTemporaryDir dir;
        const QString file = dir.filePath("study.sqlite");
        QVERIFY(project.open(file, true));
        // The scan once and the second network large: the cells are still (network, method).
        w.gridView.setScanColumn(ScanColumn::Once);
        w.gridView.setFocusMode(true);
        w.gridView.stepFocusRow(1);
        QCOMPARE(w.gridView.arrangement().focusRow, 1);
        QCOMPARE(w.gridView.focusedCell(), std::make_pair(1, 1));  // the network on screen, its first map
        QVERIFY(project.markFocused(study::Verdict::Incorrect));
        const auto marks =
            study::ProjectDatabase(file.toStdString(), study::OpenMode::ExistingOnly).annotations();
        QCOMPARE(marks.size(), size_t(1));
        QCOMPARE(w.gridView.content().rows[1].cells[1].mark, CellMark::Incorrect);
        QCOMPARE(w.gridView.content().rows[0].cells[1].mark, CellMark::None);
        QCOMPARE(w.gridView.focusedCell(), std::make_pair(1, 2));
        QCOMPARE(w.gridView.arrangement().focusRow, 1);
    }

    void aProjectReopensItsDataSetAndNetworks() {
        QTemporaryDir dir;
        const QString file = dir.filePath("bound.sqlite");
        {
            Presenters w;
            ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
            connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
            connect(&w.dataset, &DatasetPresenter::loaded, &project, &ProjectPresenter::bindDataSet);
            QVERIFY(w.openModel());
            QVERIFY(w.openDemoAndFill());
            QVERIFY(project.open(file, true));
        }
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        QSignalSpy datasetLoaded(&w.dataset, &DatasetPresenter::loaded);
        QSignalSpy modelLoaded(&w.models, &ModelsPresenter::loaded);
        QVERIFY(project.open(file, false));
        QVERIFY(datasetLoaded.wait(kWait) || !datasetLoaded.isEmpty());
        QVERIFY(fs::equivalent(w.dataset.dataset()->root, demoData()));
        QVERIFY(!modelLoaded.isEmpty() || modelLoaded.wait(kWait));
        QCOMPARE(w.models.count(), 1);
    }

    // Issue 17, deliverable 4: with Mark > Mark the lesion on, a drag on a cell stores a box and a
    // click a centre for the shown scan; the scan's maps are measured against it at once; Shift+L's
    // action removes it.
    void aDragOrClickOnACellMarksTheLesion() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        connect(&w.grid, &GridPresenter::contentChanged, &project, &ProjectPresenter::applyMarks);
        connect(&w.grid, &GridPresenter::filled, &project, &ProjectPresenter::recordShownMaps);
        connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
        connect(&w.gridView, &ComparisonGrid::lesionMarked, &project, &ProjectPresenter::markLesion);
        connect(&w.dataset, &DatasetPresenter::loaded, &project, &ProjectPresenter::bindDataSet);
        QVERIFY(w.openModel());
        QTemporaryDir dir;
        const QString file = dir.filePath("lesions.sqlite");
        QVERIFY(project.open(file, true));
        QVERIFY(w.openDemoAndFill());
        const Dataset& dataset = *w.dataset.dataset();
        const auto unmasked = std::find_if(dataset.items.begin(), dataset.items.end(),
                                           [](const DatasetItem& item) { return !item.maskPath; });
        QVERIFY(unmasked != dataset.items.end());
        const QString key = QString::fromStdString(unmasked->relativePath.generic_string());
        {
            QSignalSpy filled(&w.grid, &GridPresenter::filled);
            QVERIFY(w.dataset.selectScan(key));
            QVERIFY(filled.wait(kWait));
        }
        w.gridView.resize(900, 500);
        w.gridView.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w.gridView));
        const QRectF cell = *w.gridView.layout().rectOf(0, 2);
        const QSizeF image = w.gridView.content().rows[0].cells[2].image.size();
        const auto at = [&](double x, double y) {
            return cellPointOf(cell, image, w.gridView.zoom(), w.gridView.centre(), {x, y}).toPoint();
        };
        const auto stored = [&] {
            study::ProjectDatabase db(file.toStdString(), study::OpenMode::ExistingOnly);
            return db.lesionMarks();
        };
        const auto truths = [&] {  // the ground truth of the scan's stored maps
            study::ProjectDatabase db(file.toStdString(), study::OpenMode::ExistingOnly);
            const auto scan = db.findScan(key.toStdString());
            std::set<std::string> out;
            for (const auto& m : db.maps())
                if (scan && m.scanId == scan->id && m.available)
                    out.insert(m.measures.truth ? study::truthName(*m.measures.truth) : "none");
            return out;
        };
        QTRY_COMPARE_WITH_TIMEOUT(truths(), std::set<std::string>{"none"}, kWait);  // recorded, no ground truth

        // without the mode a drag pans, and marks nothing
        QTest::mousePress(&w.gridView, Qt::LeftButton, {}, at(0.3, 0.3));
        QTest::mouseMove(&w.gridView, at(0.6, 0.7));
        QTest::mouseRelease(&w.gridView, Qt::LeftButton, {}, at(0.6, 0.7));
        QVERIFY(stored().empty());

        w.gridView.setLesionMode(true);
        QTest::mousePress(&w.gridView, Qt::LeftButton, {}, at(0.3, 0.3));
        QTest::mouseMove(&w.gridView, at(0.6, 0.7));
        QTest::mouseRelease(&w.gridView, Qt::LeftButton, {}, at(0.6, 0.7));
        auto marks = stored();
        QCOMPARE(marks.size(), std::size_t(1));
        const double pixel = 1.5 / cell.width();  // a screen pixel or so of rounding
        QVERIFY(marks[0].box);
        QVERIFY(std::abs(marks[0].x0 - 0.3) < pixel && std::abs(marks[0].y0 - 0.3) < pixel);
        QVERIFY(std::abs(marks[0].x1 - 0.6) < pixel && std::abs(marks[0].y1 - 0.7) < pixel);
        QCOMPARE(w.gridView.lesions().size(), std::size_t(1));
        QVERIFY(project.session()->waitForRecordings(kWait));
        QTRY_COMPARE_WITH_TIMEOUT(truths(), std::set<std::string>{"box"}, kWait);

        // a click replaces the box with the lesion's centre
        QTest::mouseClick(&w.gridView, Qt::LeftButton, {}, at(0.5, 0.5));
        marks = stored();
        QCOMPARE(marks.size(), std::size_t(1));
        QVERIFY(!marks[0].box && std::abs(marks[0].x0 - 0.5) < pixel);
        QVERIFY(project.session()->waitForRecordings(kWait));
        QTRY_COMPARE_WITH_TIMEOUT(truths(), std::set<std::string>{"point"}, kWait);

        project.removeLesionMark();
        QVERIFY(stored().empty());
        QVERIFY(w.gridView.lesions().empty());
        QVERIFY(project.session()->waitForRecordings(kWait));
        QTRY_COMPARE_WITH_TIMEOUT(truths(), std::set<std::string>{"none"}, kWait);
    }

    void aFileThatIsNoProjectIsAnError() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        QTemporaryDir dir;
        const QString file = dir.filePath("notes.sqlite");
        std::ofstream(file.toStdString()) << "not a database, just some words that are long enough";
        QSignalSpy error(&project, &ProjectPresenter::error);
        QVERIFY(!project.open(file, false));
        QCOMPARE(error.size(), 1);
        QVERIFY(!project.session());
    }
};

// ---- TrainingPresenter --------------------------------------------------------------------------

class TestTrainingPresenter : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void aTrainedCheckpointIsHandedToTheModelsPresenter() {
        QTemporaryDir dir;
        const QString trained = dir.filePath("trained.pt");
        QVERIFY(QFile::copy(kDemoModel, trained));
        QVERIFY(QFile::copy(kDemoModel + ".json", trained + ".json"));
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        TrainingPresenter presenter(w.dataset, w.models, project, nullptr);
        TrainingDialog* dialog = presenter.showTraining();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(presenter.training(), dialog);

        QSignalSpy loaded(&w.models, &ModelsPresenter::loaded);
        Q_EMIT dialog->modelTrained(trained);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(loaded.first().first().toBool(), true);
        QCOMPARE(w.models.count(), 1);
        const auto first = w.models.loadedFrom(trained);
        QCOMPARE(first.size(), size_t(1));
        // A resumed run rewrites the file: the older load leaves, the new one comes in.
        Q_EMIT dialog->modelTrained(trained);
        QCOMPARE(w.models.count(), 0);
        QVERIFY(loaded.wait(kWait));
        QCOMPARE(w.models.count(), 1);
        QVERIFY(w.models.loadedFrom(trained) != first);
        dialog->close();
    }

    void theRegistryRenamesAndRemovesLoadedNetworks() {
        Presenters w;
        ProjectPresenter project(w.dataset, w.models, w.grid, w.service, nullptr);
        connect(&w.models, &ModelsPresenter::added, &project, &ProjectPresenter::registerModels);
        TrainingPresenter presenter(w.dataset, w.models, project, nullptr);
        QTemporaryDir dir;
        QVERIFY(project.open(dir.filePath("registry.sqlite"), true));
        QVERIFY(w.openModel());
        const int id = w.service.models().front().id;
        ModelRegistry* registry = presenter.showRegistry();
        const int row = registry->rowOf(w.models.modelName(id));
        QVERIFY(row >= 0);
        QVERIFY(registry->renameRow(row, "renamed in the registry"));
        QCOMPARE(w.models.modelName(id), QString("renamed in the registry"));
        QVERIFY(registry->removeRow(registry->rowOf("renamed in the registry")));
        QCOMPARE(w.models.count(), 0);
        registry->close();
    }
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("Saliency Studio Tests");  // keep users' settings untouched
    QCoreApplication::setApplicationName("test_presenters");
    if (!QFile::exists(kDemoModel) || demoData().empty())
        return 1;
    int failed = 0;
    {
        TestDatasetPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestModelsPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestGridPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestReadoutPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestExportPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestProjectPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestTrainingPresenter t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestSanityCheckWindow t;
        failed += QTest::qExec(&t, argc, argv);
    }
    {
        TestReaderStudy t;
        failed += QTest::qExec(&t, argc, argv);
    }
    return failed;
}

#include "test_presenters.moc"
