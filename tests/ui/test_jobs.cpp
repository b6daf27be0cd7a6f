// ui/jobs: the app's statistics come from the same code as a study's. A scan recorded from the
// grid's explanations (MapRecorder through ProjectSession) holds the same rows as one that
// `saliency-cli study` stored; "compute statistics for the whole data set" (StudyJob) reports
// progress, can be cancelled and resumes; and a project made in the app, marked by hand, fills the
// statistics dock's charts with no CLI step (issue 12). Offscreen, on the committed demo checkpoints.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>

#include <opencv2/imgcodecs.hpp>

// qcustomplot.h declares its signals with Qt's `signals` keyword and loops with `foreach`, both of
// which QT_NO_KEYWORDS (set for every test) removes: give them back for this one header.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include "ComparisonGrid.h"
#include "DemoFixture.h"
#include "MainWindow.h"
#include "ProjectSession.h"
#include "StatisticsCharts.h"
#include "StatisticsView.h"
#include "common/Progress.h"
#include "data/Dataset.h"
#include "data/DemoData.h"
#include "io/ScanReader.h"
#include "jobs/StudyJob.h"
#include "saliency/ModelSession.h"
#include "study/FileFingerprint.h"
#include "study/ProjectDatabase.h"
#include "study/StudyRunner.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::ui;

namespace {

const fs::path kDemoModel = fs::path(SALIENCY_SOURCE_DIR) / "models/cnn4-demo.pt";
const fs::path kSecondModel = fs::path(SALIENCY_SOURCE_DIR) / "models/efficientnet-b0-demo.pt";

const fs::path& demoData() {
    return saliency::test::demoDataSet(8, 21, 128);
}

using MapKey = std::pair<std::string, std::string>;  // scan path, method

std::map<MapKey, study::MapRecord> mapsByKey(study::ProjectDatabase& db) {
    std::map<std::int64_t, std::string> paths;
    for (const auto& s : db.scans())
        paths[s.id] = s.path;
    std::map<MapKey, study::MapRecord> out;
    for (const auto& m : db.maps())
        out[{paths.at(m.scanId), m.method}] = m;
    return out;
}

void compareOptional(const std::optional<double>& a, const std::optional<double>& b, const char* what) {
    QVERIFY2(a.has_value() == b.has_value(), what);
    if (a)
        QVERIFY2(std::abs(*a - *b) < 1e-6, what);
}

}  // namespace

class TestJobs : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("Saliency Studio Tests");
        QCoreApplication::setApplicationName("test_jobs");
        QVERIFY(fs::exists(kDemoModel));
    }

    // The same scans through the app's path and through a study give the same rows.
    void mapsRecordedFromTheGridEqualAStudysRows() {
        QTemporaryDir dir;
        const fs::path studied = fs::path(dir.path().toStdString()) / "study.sqlite";
        const fs::path app = fs::path(dir.path().toStdString()) / "app.sqlite";
        {
            study::ProjectDatabase db(studied);
            NullProgress progress;
            study::StudyOptions options{.data = demoData(), .checkpoints = {kDemoModel}};
            options.batchSize = 1;  // the app explains one scan at a time
            const auto summary = study::runStudy(db, options, progress);
            QCOMPARE(summary.studied, std::int64_t(8));
        }
        auto dataset = std::make_shared<const Dataset>(scanDataset(demoData(), ScanOptions{.decode = true}));
        auto session = explain::ModelSession::openCheckpoint(kDemoModel);
        ProjectSession project(app, true);
        project.bindDataSet(dataset);
        const int serviceId = 7;
        project.registerModel(serviceId, session->info(), study::fileFingerprint(kDemoModel));
        QSignalSpy recorded(&project, &ProjectSession::mapsRecorded);
        QSignalSpy failed(&project, &ProjectSession::recordingFailed);
        int masks = 0;
        for (const auto& item : dataset->items) {
            const cv::Mat rgb = readScan(dataset->absolute(item)).rgb;
            auto explanation = std::make_shared<const explain::ImageExplanation>(
                session->explain(rgb, {.methods = explain::allMethods()}));
            cv::Mat mask;
            if (item.maskPath) {
                mask = cv::imread((dataset->root / *item.maskPath).string(), cv::IMREAD_GRAYSCALE);
                ++masks;
            }
            const QString key = QString::fromStdString(item.relativePath.generic_string());
            project.recordMaps(key, mask, {{serviceId, explanation}});
            project.recordMaps(key, mask, {{serviceId, explanation}});  // a second visit: nothing new
        }
        QVERIFY(masks > 0);
        QVERIFY(project.waitForRecordings(60000));
        QTRY_COMPARE(recorded.count(), 8);
        QCOMPARE(failed.count(), 0);

        study::ProjectDatabase a(app, study::OpenMode::ExistingOnly);
        study::ProjectDatabase b(studied, study::OpenMode::ExistingOnly);
        const auto fromApp = mapsByKey(a);
        const auto fromStudy = mapsByKey(b);
        QCOMPARE(fromApp.size(), fromStudy.size());
        QCOMPARE(fromApp.size(), std::size_t(8 * 4));
        int withMaskIou = 0;
        for (const auto& [key, m] : fromStudy) {
            QVERIFY2(fromApp.contains(key), (key.first + " " + key.second).c_str());
            const auto& x = fromApp.at(key);
            QCOMPARE(x.available, m.available);
            QCOMPARE(x.targetClass, m.targetClass);
            QCOMPARE(x.layer, m.layer);
            compareOptional(x.measures.centreX, m.measures.centreX, "centre x");
            compareOptional(x.measures.centreY, m.measures.centreY, "centre y");
            compareOptional(x.measures.regionArea, m.measures.regionArea, "region area");
            compareOptional(x.measures.maskIou, m.measures.maskIou, "mask IoU");
            compareOptional(x.measures.energyInside, m.measures.energyInside, "energy inside");
            QCOMPARE(x.measures.pointingHit, m.measures.pointingHit);
            withMaskIou += x.measures.maskIou ? 1 : 0;
        }
        QVERIFY(withMaskIou > 0);  // the data set's masks reached the statistics
        // Method pairs (one network): 4 methods give 6 pairs per scan, as in the study.
        QCOMPARE(a.pairs().size(), b.pairs().size());
        QCOMPARE(a.pairs().size(), std::size_t(8 * 6));
        QCOMPARE(a.predictions().size(), std::size_t(8));
    }

    void aStudyJobReportsProgressCancelsAndResumes() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "p.sqlite";
        { study::ProjectDatabase create(file); }
        StudyJob job;
        QSignalSpy progressed(&job, &StudyJob::progressed);
        QSignalSpy finished(&job, &StudyJob::finished);
        // Cancel at the first progress after a scan is stored.
        connect(&job, &StudyJob::progressed, &job, [&job](const QString&, qint64 done) {
            if (done >= 1)
                job.cancel();
        });
        StudyRequest request{file, {.data = demoData(), .checkpoints = {kDemoModel}}};
        request.options.batchSize = 1;
        QVERIFY(job.start(request));
        QVERIFY(finished.wait(120000));
        QVERIFY(job.wait(10000));
        QCOMPARE(finished.first().at(1).toBool(), true);  // cancelled
        QVERIFY(progressed.count() >= 1);
        std::size_t stored = 0;
        {
            study::ProjectDatabase db(file, study::OpenMode::ExistingOnly);
            stored = db.scans().size();
        }
        QVERIFY(stored >= 1 && stored < 8);

        disconnect(&job, &StudyJob::progressed, &job, nullptr);
        finished.clear();
        QVERIFY(job.start(request));
        QVERIFY(finished.wait(120000));
        const auto args = finished.first();
        QCOMPARE(args.at(2).toString(), QString());
        const auto summary = args.at(0).value<std::shared_ptr<const study::StudySummary>>();
        QVERIFY(summary);
        QCOMPARE(summary->alreadyStored, std::int64_t(stored));
        QCOMPARE(summary->studied + summary->alreadyStored, std::int64_t(8));
    }

    // The test: a new project made in the app, maps marked from the keyboard, and the
    // statistics dock draws centres of mass, IoU between networks and methods, and agreement with
    // the masks, all from what the grid computed (no saliency-cli study).
    void aProjectMadeInTheAppFillsTheStatisticsWithoutTheCli() {
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("made-in-the-app.sqlite");
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.openProject(projectFile, true));
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.openModel(QString::fromStdString(kDemoModel.string()));
        window.openModel(QString::fromStdString(kSecondModel.string()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 120000);
        QVERIFY(loaded.at(0).at(0).toBool() && loaded.at(1).at(0).toBool());
        QSignalSpy filled(&window, &MainWindow::gridFilled);
        window.openDataset(QString::fromStdString(demoData().string()));
        QVERIFY(filled.wait(120000));
        // Two tumour scans (they have masks), a Grad-CAM map of each marked correct by hand.
        const auto* dataset = window.dataset();
        QVERIFY(dataset);
        int shown = 0;
        const int first = window.currentScan();  // already shown (and recorded): two others
        for (int i = 0; i < static_cast<int>(dataset->items.size()); ++i) {
            const auto& item = dataset->items[static_cast<size_t>(i)];
            if (!item.maskPath || shown == 2 || i == first)
                continue;
            filled.clear();
            QVERIFY(window.selectScan(QString::fromStdString(item.relativePath.generic_string())));
            QVERIFY(filled.wait(120000));
            window.grid()->setFocusedCell(0, 2);  // first network, Grad-CAM
            QVERIFY(window.markFocused(study::Verdict::Correct));
            ++shown;
        }
        QCOMPARE(shown, 2);
        QVERIFY(window.project()->waitForRecordings(60000));

        auto* view = window.findChild<StatisticsView*>();
        QVERIFY(view);
        QSignalSpy ready(view, &StatisticsView::statisticsReady);
        view->setProject(projectFile.toStdString());
        QVERIFY(ready.wait(60000));
        const auto chart = [view](StatisticsChart c) { return view->plot(static_cast<int>(c)); };
        for (const auto c : {StatisticsChart::Centres, StatisticsChart::NetworkIou,
                             StatisticsChart::MethodIou, StatisticsChart::MaskAgreement,
                             StatisticsChart::JudgedCorrect, StatisticsChart::CentreDistances,
                             StatisticsChart::MetricFamilies})
            QVERIFY2(chart(c)->plottableCount() > 0, qPrintable(chartTitle(c)));
        // At least the two shown scans (the first one filled before any selection is recorded too).
        QVERIFY(view->statistics()->scansWithMask >= 2);
    }

    void aStudyJobReportsAnErrorAsAMessage() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "p.sqlite";
        { study::ProjectDatabase create(file); }
        StudyJob job;
        QSignalSpy finished(&job, &StudyJob::finished);
        QVERIFY(job.start({file, {.data = demoData(), .checkpoints = {"/nonexistent/model.pt"}}}));
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().at(2).toString().isEmpty());
        QCOMPARE(finished.first().at(1).toBool(), false);
    }
};

QTEST_MAIN(TestJobs)
#include "test_jobs.moc"
