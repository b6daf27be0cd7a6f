// ui/: image conversion, cell rendering, the main window with the comparison grid (its layout,
// focus mode, linked cursor), figure export, offscreen. The networks are the committed demo checkpoint
// (models/cnn4-demo.pt).
#include <QComboBox>
#include <QMessageBox>
#include <QMouseEvent>
#include <QProcess>
#include <QScreen>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <sqlite3.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CellRendering.h"
#include "ComparisonGrid.h"
#include "DemoFixture.h"
#include "ExplanationService.h"
#include "FigureExport.h"
#include "GridLayout.h"
#include "ImageConversion.h"
#include "MainWindow.h"
#include "ProjectSession.h"
#include "ScanBrowser.h"
#include "StallMonitor.h"
#include "StatisticsView.h"
#include "WindowPlacement.h"
#include "common/Progress.h"
#include "data/DemoData.h"
#include "study/ProjectDatabase.h"
#include "study/ReaderStudy.h"
#include "study/StudyRunner.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::ui;

namespace {

const QString kDemoModel = QString(SALIENCY_SOURCE_DIR) + "/models/cnn4-demo.pt";

// A few demo scans with masks, made once for the whole suite.
const fs::path& demoData() {
    return saliency::test::demoDataSet(6, 5, 160);
}

bool nonEmptyPixels(const QImage& image) {
    if (image.isNull())
        return false;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    const QColor first = rgb.pixelColor(0, 0);
    for (int y = 0; y < rgb.height(); y += 3)
        for (int x = 0; x < rgb.width(); x += 3)
            if (rgb.pixelColor(x, y) != first)
                return true;
    return false;
}

QMessageBox* findErrorDialog(QWidget& window) {
    for (auto* box : window.findChildren<QMessageBox*>())
        if (box->objectName() == "errorDialog" && box->isVisible())
            return box;
    return nullptr;
}

// Grid content with a plain grey image in every cell (no network needed).
GridContent testContent(int rows, int columns) {
    GridContent content;
    content.heading = "test scan";
    QImage image(96, 96, QImage::Format_RGB888);
    image.fill(QColor(60, 60, 60));
    for (int c = 0; c < columns; ++c)
        content.columns << (c == 0 ? QString("Scan") : QString("Method %1").arg(c));
    for (int r = 0; r < rows; ++r) {
        GridRow row;
        row.modelId = r + 1;
        row.title = QString("network %1").arg(r);
        for (int c = 0; c < columns; ++c) {
            CellContent cell;
            cell.image = image;
            cell.kind = c == 0 ? CellKind::Scan : CellKind::Heatmap;
            row.cells.push_back(cell);
        }
        content.rows.push_back(row);
    }
    return content;
}

bool noOverlap(const GridLayout& layout) {
    for (size_t i = 0; i < layout.cells.size(); ++i)
        for (size_t j = i + 1; j < layout.cells.size(); ++j)
            if (layout.cells[i].rect.intersects(layout.cells[j].rect))
                return false;
    return true;
}

}  // namespace

class TestUi : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("Saliency Studio Tests");  // keep users' settings untouched
        QCoreApplication::setApplicationName("test_ui");
        QVERIFY(fs::exists(kDemoModel.toStdString()));
    }

    void rgbMatBecomesQImageWithTheSameColours() {
        cv::Mat rgb(3, 5, CV_8UC3, cv::Scalar(0, 0, 0));
        rgb.at<cv::Vec3b>(1, 2) = {250, 10, 20};  // R, G, B (core's order)
        const QImage image = toQImage(rgb);
        QCOMPARE(image.size(), QSize(5, 3));
        QCOMPARE(image.pixelColor(2, 1), QColor(250, 10, 20));
        cv::Mat gray(2, 2, CV_8UC1, cv::Scalar(77));
        QCOMPARE(toQImage(gray).pixelColor(1, 1), QColor(77, 77, 77));
        QVERIFY(toQImage(cv::Mat()).isNull());
    }

    void maskOutlineIsDrawnOnTheEdgeOnly() {
        const QImage black = toQImage(cv::Mat(20, 20, CV_8UC3, cv::Scalar::all(0)));
        cv::Mat mask = cv::Mat::zeros(20, 20, CV_8UC1);
        cv::rectangle(mask, {5, 5}, {14, 14}, cv::Scalar(255), -1);
        const QImage out = withMaskOutline(black, mask, Qt::red);
        QCOMPARE(out.pixelColor(5, 10), QColor(Qt::red));     // edge
        QCOMPARE(out.pixelColor(10, 10), QColor(Qt::black));  // inside
        QCOMPARE(out.pixelColor(2, 2), QColor(Qt::black));    // outside
    }

    void mapCellHasOverlayCentreAndContour() {
        const cv::Mat base(40, 40, CV_8UC3, cv::Scalar::all(90));
        explain::SaliencyMap map;
        map.method = explain::Method::GradCam;
        map.map = cv::Mat::zeros(20, 20, CV_32FC1);
        cv::circle(map.map, {5, 14}, 3, cv::Scalar(1.0), -1);
        DisplayOptions options;
        options.thresholdContour = true;
        const CellContent cell = renderMap(base, map, cv::Mat(), options, "Brain Tumor 0.90");
        QCOMPARE(cell.image.size(), QSize(40, 40));
        QVERIFY(nonEmptyPixels(cell.image));
        QVERIFY(cell.centre.has_value());
        // centre of the disc (5,14) in a 20 px map is (5.5/20, 14.5/20) of the raster
        QVERIFY(std::abs(cell.centre->x() - 40 * 5.5 / 20) < 0.5);
        QVERIFY(std::abs(cell.centre->y() - 40 * 14.5 / 20) < 0.5);
        QCOMPARE(cell.contour.size(), 1);
        QVERIFY(cell.message.isEmpty());

        explain::SaliencyMap empty = map;
        empty.map = cv::Mat::zeros(20, 20, CV_32FC1);
        empty.empty = true;
        QCOMPARE(renderMap(base, empty, cv::Mat(), options, {}).message, QString("empty map"));
        explain::SaliencyMap unavailable = map;
        unavailable.available = false;
        unavailable.map = cv::Mat();
        unavailable.message = "CAM is defined only for ...";
        QVERIFY(renderMap(base, unavailable, cv::Mat(), options, {}).image.isNull());
    }

    void mainWindowFillsTheGridAndExports() {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        StallMonitor stalls;
        stalls.start();
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        QSignalSpy models(&window, &MainWindow::modelLoaded);
        QSignalSpy filled(&window, &MainWindow::gridFilled);
        window.openModel(kDemoModel);
        QVERIFY(models.wait(20000));
        QCOMPARE(models.first().first().toBool(), true);
        window.openDataset(QString::fromStdString(demoData().string()));
        QVERIFY(loaded.wait(20000) || loaded.count() > 0);
        QCOMPARE(loaded.first().first().toBool(), true);
        // The first scan is selected; the grid fills with one row of scan + four maps.
        QTRY_VERIFY_WITH_TIMEOUT(filled.count() > 0, 30000);
        const GridContent& content = window.grid()->content();
        QCOMPARE(content.columns.size(), 5);
        QCOMPARE(content.rows.size(), size_t(1));
        for (const auto& cell : content.rows[0].cells) {
            QVERIFY2(!cell.pending, qPrintable(cell.title));
            QVERIFY2(nonEmptyPixels(cell.image), qPrintable(cell.title + " " + cell.message));
        }
        QVERIFY(content.rows[0].subtitle.contains("predicted"));

        // Next scan from the keyboard: another fill.
        const int before = window.currentScan();
        filled.clear();
        QTest::keyClick(&window, Qt::Key_N);
        QTRY_VERIFY_WITH_TIMEOUT(filled.count() > 0, 30000);
        QVERIFY(window.currentScan() != before);

        // Export as PNG, SVG and PDF.
        QTemporaryDir out;
        const QString png = out.filePath("figure.png"), svg = out.filePath("figure.svg"),
                      pdf = out.filePath("figure.pdf");
        FigureOptions options;
        options.dpi = 150;
        options.widthMm = kOneColumnMm;
        window.exportFigure(png, options);
        window.exportFigure(svg, options);
        window.exportFigure(pdf, options);
        QImage image(png);
        QVERIFY(!image.isNull());
        // 88 mm at 150 dpi, whatever the window's size.
        QVERIFY(std::abs(image.width() - kOneColumnMm / 25.4 * 150) <= 1);
        QVERIFY(image.height() > 150);
        QVERIFY(nonEmptyPixels(image));
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdfFile.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QVERIFY_THROWS_EXCEPTION(std::exception, window.exportFigure(out.filePath("figure.bmp")));
        qInfo("longest GUI-thread stall during the test: %.1f ms", stalls.longestStallMs());
    }

    void marksFromTheKeyboardAreStoredAtOnceAndUndoable() {
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("study.sqlite");
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window) || true);
        QSignalSpy models(&window, &MainWindow::modelLoaded);
        QSignalSpy filled(&window, &MainWindow::gridFilled);
        window.openModel(kDemoModel);
        QVERIFY(models.wait(20000));
        window.openDataset(QString::fromStdString(demoData().string()));
        QTRY_VERIFY_WITH_TIMEOUT(filled.count() > 0, 30000);
        QVERIFY(window.openProject(projectFile, true));
        QVERIFY(window.project());

        auto stored = [&] {
            study::ProjectDatabase db(projectFile.toStdString(), study::OpenMode::ExistingOnly);
            return db.annotations();
        };
        // C marks the first map (CAM) correct and moves on; X marks Grad-CAM incorrect.
        QTest::keyClick(&window, Qt::Key_C);
        QCOMPARE(window.grid()->focusedCell(), std::make_pair(0, 2));
        QTest::keyClick(&window, Qt::Key_X);
        auto marks = stored();  // a second connection sees them: committed
        QCOMPARE(marks.size(), size_t(2));
        QCOMPARE(window.grid()->content().rows[0].cells[1].mark, CellMark::Correct);
        QCOMPARE(window.grid()->content().rows[0].cells[2].mark, CellMark::Incorrect);
        // Undo takes the last mark back, in the database too; redo restores it.
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(stored().size(), size_t(1));
        QCOMPARE(window.grid()->content().rows[0].cells[2].mark, CellMark::None);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(stored().size(), size_t(2));
        // Shift+U: the whole row unsure, one undo step.
        QTest::keyClick(&window, Qt::Key_U, Qt::ShiftModifier);
        marks = stored();
        QCOMPARE(marks.size(), size_t(4));
        for (const auto& m : marks)
            QCOMPARE(m.verdict, study::Verdict::Unsure);
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(stored().size(), size_t(2));
        // The browser's "Marked" filter shows the one scan with marks, "Not marked yet" the others.
        auto* markFilter = window.browser()->findChildren<QComboBox*>().at(2);
        markFilter->setCurrentIndex(1);
        QCOMPARE(window.browser()->visibleCount(), 1);
        markFilter->setCurrentIndex(2);
        QCOMPARE(window.browser()->visibleCount(), static_cast<int>(window.dataset()->items.size()) - 1);
        markFilter->setCurrentIndex(0);
        // A click in the statistics view narrows the browser to the scans behind it.
        auto* statistics = window.findChild<StatisticsView*>();
        QVERIFY(statistics);
        const QString first =
            QString::fromStdString(window.dataset()->items[0].relativePath.generic_string());
        Q_EMIT statistics->filterRequested("cnn4-demo", "cam", {}, {}, {first});
        QCOMPARE(window.browser()->visibleCount(), 1);
        window.browser()->setSubset(std::nullopt);
        QCOMPARE(window.browser()->visibleCount(), static_cast<int>(window.dataset()->items.size()));
        // Reopening the project shows the marks again.
        MainWindow again;
        QSignalSpy againLoaded(&again, &MainWindow::modelLoaded);
        QSignalSpy againFilled(&again, &MainWindow::gridFilled);
        again.openModel(kDemoModel);
        QVERIFY(againLoaded.wait(20000));
        QVERIFY(again.openProject(projectFile, false));  // opens the project's data set
        QTRY_VERIFY_WITH_TIMEOUT(againFilled.count() > 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(again.grid()->content().rows[0].cells[1].mark, CellMark::Correct, 10000);
    }

    void aKilledMarkingSessionLosesNoSavedMark() {
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("killed.sqlite");
        QProcess child;
        child.start(MARKING_CHILD, {projectFile, QString::fromStdString(demoData().string())});
        QVERIFY(child.waitForStarted(10000));
        // Let it save a good number of marks, then SIGKILL it in the middle of whatever it does.
        QByteArray out;
        while (out.count('\n') < 60 && child.state() == QProcess::Running)
            if (child.waitForReadyRead(10000))
                out += child.readAllStandardOutput();
        child.kill();  // SIGKILL on Unix: no destructor, no flush, no rollback
        QVERIFY(child.waitForFinished(10000));
        out += child.readAllStandardOutput();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        // The last verdict printed for each map is the one that must be stored.
        std::map<std::pair<std::string, std::string>, std::string> shown;
        for (const auto& line : out.split('\n')) {
            const auto fields = line.split('\t');
            if (fields.size() == 3)
                shown[{fields[0].toStdString(), fields[1].toStdString()}] = fields[2].toStdString();
        }
        QVERIFY(shown.size() >= 20);

        sqlite3* raw = nullptr;
        QCOMPARE(sqlite3_open_v2(projectFile.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr),
                 SQLITE_OK);
        sqlite3_stmt* check = nullptr;
        QCOMPARE(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_step(check), SQLITE_ROW);
        QCOMPARE(QString(reinterpret_cast<const char*>(sqlite3_column_text(check, 0))), QString("ok"));
        sqlite3_finalize(check);
        sqlite3_close(raw);

        study::ProjectDatabase db(projectFile.toStdString(), study::OpenMode::ExistingOnly);
        std::map<std::int64_t, std::string> paths;
        for (const auto& scan : db.scans())
            paths[scan.id] = scan.path;
        std::map<std::pair<std::string, std::string>, std::string> stored;
        for (const auto& a : db.annotations())
            stored[{paths[a.key.scanId], a.key.method}] = study::verdictName(a.verdict);
        // Every map shown as saved is stored with the verdict shown, except at most one: the mark in
        // flight when the kill came may have committed (a newer verdict) before it could be printed.
        int newer = 0;
        for (const auto& [key, verdict] : shown) {
            QVERIFY2(stored.count(key),
                     qPrintable(QString::fromStdString(key.first + " " + key.second + " lost")));
            newer += stored[key] != verdict ? 1 : 0;
        }
        QVERIFY(newer <= 1);
        QVERIFY(stored.size() <= shown.size() + 1);
    }

    // Issue 17: a reader session killed (SIGKILL) mid-way keeps every judgement it showed as saved,
    // and opened again resumes at the first item not judged.
    void aKilledReaderSessionLosesNoJudgement() {
        QTemporaryDir dir;
        const QString projectFile = dir.filePath("reader-killed.sqlite");
        std::int64_t sessionId = 0;
        {
            study::ProjectDatabase project(projectFile.toStdString());
            study::StudyOptions options{.data = demoData(), .checkpoints = {kDemoModel.toStdString()}};
            NullProgress quiet;
            study::runStudy(project, options, quiet);
            sessionId = study::createReaderStudy(project, {.name = "killed", .readers = {"ann"}, .repeatShare = 0.2})
                            .front();
        }
        QProcess child;
        child.start(MARKING_CHILD, {"--reader", projectFile, QString::fromStdString(demoData().string()),
                                    QString::number(sessionId)});
        QVERIFY(child.waitForStarted(10000));
        QByteArray out;
        while (out.count('\n') < 12 && child.state() == QProcess::Running)
            if (child.waitForReadyRead(10000))
                out += child.readAllStandardOutput();
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        out += child.readAllStandardOutput();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        std::map<int, std::pair<std::string, int>> shown;  // position -> (verdict, confidence)
        for (const auto& line : out.split('\n')) {
            const auto fields = line.split('\t');
            if (fields.size() == 3)
                shown[fields[0].toInt()] = {fields[1].toStdString(), fields[2].toInt()};
        }
        QVERIFY(shown.size() >= 12);
        study::ProjectDatabase db(projectFile.toStdString(), study::OpenMode::ExistingOnly);
        const auto items = db.readerItems(sessionId);
        QVERIFY(items.size() > shown.size());
        std::size_t judged = 0;
        for (const auto& item : items) {
            judged += item.verdict ? 1 : 0;
            const auto it = shown.find(item.position);
            if (it == shown.end())
                continue;
            QVERIFY2(item.verdict, qPrintable(QString("item %1 lost").arg(item.position)));
            QCOMPARE(study::verdictName(*item.verdict), it->second.first);
            QCOMPARE(item.confidence, std::optional(it->second.second));
        }
        // at most the judgement in flight when the kill came is stored without having been shown
        QVERIFY(judged == shown.size() || judged == shown.size() + 1);
        // the session resumes after the last judgement stored, and the reader's marks are there too
        QCOMPARE(study::nextUnjudged(items), std::optional<std::size_t>(judged));
        std::size_t firstShowings = 0;
        for (const auto& item : items)
            firstShowings += item.verdict && !item.repeatOf ? 1 : 0;
        std::size_t marks = 0;
        for (const auto& a : db.annotations())
            marks += a.key.annotator == "ann" ? 1 : 0;
        QCOMPARE(marks, firstShowings);
    }

    void theWrongKindOfModelFileShowsAnErrorDialog() {
        QTemporaryDir dir;
        const QString bogus = dir.filePath("notes.pt");
        std::ofstream(bogus.toStdString()) << "this is not a checkpoint";
        MainWindow window;
        window.show();
        QSignalSpy models(&window, &MainWindow::modelLoaded);
        window.openModel(bogus);
        QVERIFY(models.wait(20000));
        QCOMPARE(models.first().first().toBool(), false);
        QVERIFY(!models.first().at(1).toString().isEmpty());
        QMessageBox* box = findErrorDialog(window);
        QVERIFY(box);
        QVERIFY(box->text().contains("notes.pt"));
        QCOMPARE(window.modelCount(), 0);
    }

    void aMissingFolderIsReportedNotACrash() {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        window.openDataset("/nonexistent/folder");
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), false);
        QVERIFY(!window.dataset());
    }

    void browserFiltersAndWalksTheScans() {
        auto dataset = std::make_shared<const Dataset>(scanDataset(demoData()));
        ScanBrowser browser;
        QSignalSpy selected(&browser, &ScanBrowser::scanSelected);
        browser.setDataset(dataset);
        QCOMPARE(browser.visibleCount(), static_cast<int>(dataset->items.size()));
        QVERIFY(browser.currentIndex() >= 0);
        const int first = browser.currentIndex();
        QVERIFY(browser.selectNext());
        QVERIFY(browser.currentIndex() != first);
        QVERIFY(browser.selectPrevious());
        QCOMPARE(browser.currentIndex(), first);
        // A wrong prediction, then the "Predicted wrong" filter shows only that scan.
        browser.setPrediction(first, Verdict::Wrong, "x");
        for (int i = 0; i < static_cast<int>(dataset->items.size()); ++i)
            if (i != first)
                browser.setPrediction(i, Verdict::Right, "ok");
        auto* verdict = browser.findChildren<QComboBox*>().at(1);
        verdict->setCurrentIndex(2);
        QCOMPARE(browser.visibleCount(), 1);
        QCOMPARE(browser.currentIndex(), first);
        verdict->setCurrentIndex(1);
        QCOMPARE(browser.visibleCount(), static_cast<int>(dataset->items.size()) - 1);
    }

    // ---- the grid's layout, focus mode, linked cursor, window placement (issue 12) -------------

    void fittingGivesTheLargestSquareCellsThatFit() {
        const struct {
            QSizeF area;
            int rows, columns;
        } cases[] = {{{887, 780}, 2, 5}, {{1000, 560}, 2, 5}, {{1300, 800}, 3, 5},
                     {{640, 900}, 1, 5}, {{1600, 700}, 4, 2}, {{500, 500}, 1, 1}};
        for (const auto& c : cases) {
            const GridGeometry g = GridGeometry::fitting(c.area, c.rows, c.columns, true, 120);
            QCOMPARE(g.cellRect(0, 0).width(), g.cellRect(0, 0).height());
            if (g.cell == 120)
                continue;  // at the readable minimum: the grid scrolls (below)
            const QSizeF used = g.size(c.rows, c.columns);
            QVERIFY2(used.width() <= c.area.width() && used.height() <= c.area.height(), "inside the area");
            GridGeometry larger = g;
            larger.cell += 1;
            const QSizeF more = larger.size(c.rows, c.columns);
            QVERIFY2(more.width() > c.area.width() || more.height() > c.area.height(), "the largest");
        }
        // Never below the readable minimum: the grid scrolls instead.
        QCOMPARE(GridGeometry::fitting({300, 200}, 3, 5, true, 120).cell, 120.0);
        QCOMPARE(GridGeometry::fitting({1600, 400}, 4, 2, true, 120).cell, 120.0);
        QCOMPARE(GridGeometry::fitting({0, 0}, 1, 1, false, 64).cell, 64.0);
    }

    void theScanColumnOnceLeavesOneScanCell() {
        const GridContent content = testContent(3, 5);
        for (const QSizeF area : {QSizeF(1000, 900), QSizeF(1600, 700), QSizeF(900, 1400)}) {
            const GridLayout every = GridLayout::arrange(content, {}, area, 120, 26);
            const GridLayout once = GridLayout::arrange(content, {ScanColumn::Once, -1}, area, 120, 26);
            QCOMPARE(every.cells.size(), size_t(15));
            QCOMPARE(once.cells.size(), size_t(1 + 3 * 4));
            QCOMPARE(std::count_if(once.cells.begin(), once.cells.end(),
                                   [](const auto& p) { return p.column == 0; }),
                     1);
            for (int r = 0; r < 3; ++r)
                for (int c = 1; c < 5; ++c)
                    QVERIFY(once.rectOf(r, c).has_value());
            QVERIFY(once.cell >= every.cell);  // never smaller than the scan in every row
            QVERIFY(once.size.width() <= area.width() && once.size.height() <= area.height());
            // The map columns: four when the scan sits in a row of its own above them, else five.
            std::set<double> lefts;
            for (const auto& p : once.cells)
                if (p.column > 0)
                    lefts.insert(p.rect.left());
            QCOMPARE(lefts.size(), size_t(4));  // four map columns, whatever the arrangement
            const bool onTop = once.cell > every.cell;
            const QRectF scan = *once.rectOf(0, 0);
            for (const auto& p : once.cells)
                if (p.column > 0)
                    QVERIFY(onTop ? scan.bottom() < p.rect.top() : scan.right() < p.rect.left());
            QCOMPARE(once.columnHeaders.size(), size_t(onTop ? 4 : 5));
            QVERIFY(noOverlap(once));
        }
        // Wide and low with few rows: the scan row on top gives larger cells.
        const GridContent two = testContent(2, 5);
        const GridLayout top = GridLayout::arrange(two, {ScanColumn::Once, -1}, {1000, 900}, 120, 26);
        QVERIFY(top.cell > GridLayout::arrange(two, {}, {1000, 900}, 120, 26).cell);
        QCOMPARE(top.columnHeaders.size(), size_t(4));
    }

    void focusModeShowsOneNetworkLarge() {
        ComparisonGrid grid;
        grid.setContent(testContent(3, 5));
        grid.resize(1000, 700);
        const double every = grid.layout().cell;
        grid.setFocusedCell(2, 3);
        grid.setFocusMode(true);
        const GridLayout focused = grid.layout();
        QCOMPARE(focused.cells.size(), size_t(5));  // its scan and its four maps
        for (const auto& p : focused.cells)
            QCOMPARE(p.row, 2);
        QVERIFY(focused.cell > every);
        QVERIFY(focused.size.width() <= 1000 && focused.size.height() <= 700);
        QVERIFY(noOverlap(focused));
        QCOMPARE(grid.focusedCell(), std::make_pair(2, 3));  // the cell marking acts on
        grid.stepFocusRow(1);                                // after the last network, the first
        QCOMPARE(grid.arrangement().focusRow, 0);
        QCOMPARE(grid.focusedCell(), std::make_pair(0, 3));
        grid.setFocusedCell(1, 1);  // marking moved on to the next network: it is shown
        QCOMPARE(grid.arrangement().focusRow, 1);
        grid.setFocusMode(false);
        QCOMPARE(grid.layout().cells.size(), size_t(15));
    }

    void theCrosshairIsDrawnInEveryCellAtTheSamePoint() {
        ComparisonGrid grid;
        grid.setContent(testContent(2, 3));
        grid.resize(900, 600);
        grid.setView(2.0, {0.45, 0.55});  // zoomed and panned: the point is still the same one
        QSignalSpy moved(&grid, &ComparisonGrid::cursorMoved);
        const QRectF cell = *grid.layout().rectOf(1, 2);
        const QPointF position = cell.topLeft() + QPointF(cell.width() * 0.3, cell.height() * 0.6);
        QMouseEvent move(QEvent::MouseMove, position, grid.mapToGlobal(position), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&grid, &move);
        QCOMPARE(moved.size(), 1);
        const QPointF normalised = moved.first().first().toPointF();
        QCOMPARE(grid.linkedCursor(), std::optional<QPointF>(normalised));
        const QImage shot = grid.grab().toImage();
        const QSizeF imageSize = grid.content().rows[0].cells[0].image.size();
        for (const auto& p : grid.layout().cells) {
            const QPointF at = cellPointOf(p.rect, imageSize, grid.zoom(), grid.centre(), normalised);
            const int x = static_cast<int>(std::floor(at.x())), y = static_cast<int>(std::floor(at.y()));
            // On the vertical line above the point and the horizontal one left of it.
            QCOMPARE(shot.pixelColor(x, y - 7), crosshairColour());
            QCOMPARE(shot.pixelColor(x - 7, y), crosshairColour());
            QVERIFY(shot.pixelColor(x + 7, y + 7) != crosshairColour());  // a line, not a fill
        }
        grid.setLinkedCursor(std::nullopt);
        const QImage clean = grid.grab().toImage();
        for (int x = 0; x < clean.width(); x += 2)
            for (int y = 0; y < clean.height(); y += 2)
                QVERIFY(clean.pixelColor(x, y) != crosshairColour());
    }

    void theWindowOpensInsideTheScreen() {
        const QRect small(0, 0, 1280, 720);
        const QRect first = initialWindowGeometry(small);
        QVERIFY(small.contains(first));
        QCOMPARE(first.size(), QSize(1152, 648));
        // A saved geometry from a larger screen shrinks and moves inside; one that fits stays.
        const QRect shrunk = fittedWindowGeometry(QRect(200, 100, 1400, 900), small);
        QVERIFY(small.contains(shrunk));
        QCOMPARE(shrunk.size(), QSize(1280, 720));
        const QRect moved = fittedWindowGeometry(QRect(900, 500, 800, 500), QRect(0, 30, 1280, 690));
        QCOMPARE(moved, QRect(480, 220, 800, 500));
        QCOMPARE(fittedWindowGeometry(QRect(10, 40, 800, 600), small), QRect(10, 40, 800, 600));
        // The real window on the offscreen platform's screen (800x600 unless configured).
        MainWindow window;
        QVERIFY(window.screen());
        QVERIFY(window.screen()->availableGeometry().contains(window.geometry()));
    }
};

QTEST_MAIN(TestUi)
#include "test_ui.moc"
