// ui/: image conversion and the data-set browser window, offscreen.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ImageConversion.h"
#include "ScanBrowserWindow.h"

namespace fs = std::filesystem;
using namespace saliency::ui;

class TestUi : public QObject {
    Q_OBJECT
  private Q_SLOTS:
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

    void browserOpensADataSetAndShowsAScan() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (const char* cls : {"Brain Tumor", "Healthy"}) {
            fs::create_directories(root / cls);
            for (int i = 1; i <= 3; ++i) {
                cv::Mat img(40, 50, CV_8UC3, cv::Scalar::all(40 * i));
                cv::imwrite((root / cls / ("scan (" + std::to_string(i) + ").png")).string(), img);
            }
        }
        std::ofstream(root / "Healthy" / "broken.jpg") << "not an image";
        ScanBrowserWindow window;
        window.resize(900, 600);
        window.show();
        QSignalSpy loaded(&window, &ScanBrowserWindow::datasetLoaded);
        QSignalSpy shown(&window, &ScanBrowserWindow::scanShown);
        window.openDataset(dir.path());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), true);
        QVERIFY(window.dataset());
        QCOMPARE(window.dataset()->items.size(), size_t(6));
        QVERIFY(shown.wait(10000) || shown.count() > 0);
        QCOMPARE(shown.last().first().toString(), QString("Brain Tumor/scan (1).png"));
        // the skipped file is listed in the tree
        auto* tree = window.findChild<QTreeWidget*>();
        QVERIFY(tree);
        QCOMPARE(tree->topLevelItemCount(), 3);
        QVERIFY(tree->topLevelItem(2)->text(0).startsWith("Skipped files (1)"));
        // keyboard: Down moves to the next scan
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_Down);
        QVERIFY(shown.wait(10000));
        QCOMPARE(shown.last().first().toString(), QString("Brain Tumor/scan (2).png"));
    }

    void aMissingFolderIsReportedNotACrash() {
        ScanBrowserWindow window;
        QSignalSpy loaded(&window, &ScanBrowserWindow::datasetLoaded);
        window.openDataset("/nonexistent/folder");
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.first().first().toBool(), false);
        QVERIFY(!window.dataset());
    }
};

QTEST_MAIN(TestUi)
#include "test_ui.moc"
