// Data sets, splits, preprocessing and augmentation.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <set>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "data/Augment.h"
#include "data/Dataset.h"
#include "data/DatasetSummary.h"
#include "data/Preprocess.h"
#include "data/Split.h"

namespace fs = std::filesystem;
using namespace saliency;

namespace {

void writeImage(const fs::path& file, int w, int h, int seed) {
    fs::create_directories(file.parent_path());
    cv::Mat img(h, w, CV_8UC3);
    cv::randu(img, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::circle(img, {w / 2, h / 2}, std::min(w, h) / 4, cv::Scalar::all(seed % 255), -1);
    QVERIFY(cv::imwrite(file.string(), img));
}

void writeText(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

// A Kaggle-layout set: 12 tumour, 10 healthy, masks for tumours, plus bad files of each kind.
fs::path makeKaggleSet(const QTemporaryDir& dir) {
    const fs::path root = fs::path(dir.path().toStdString()) / "Brain Tumor Dataset";
    for (int i = 1; i <= 12; ++i) {
        const std::string name = "Cancer (" + std::to_string(i) + ")";
        writeImage(root / "Brain Tumor" / (name + ".jpg"), 64 + i, 60, i);
        cv::Mat mask = cv::Mat::zeros(60, 64 + i, CV_8UC1);
        cv::circle(mask, {20, 20}, 8, cv::Scalar(255), -1);
        fs::create_directories(root / "masks" / "Brain Tumor");
        cv::imwrite((root / "masks" / "Brain Tumor" / (name + ".png")).string(), mask);
    }
    for (int i = 1; i <= 10; ++i)
        writeImage(root / "Healthy" / ("Not Cancer  (" + std::to_string(i) + ").jpg"), 80, 80, i);
    writeText(root / "Healthy" / "Not Cancer  (11).jpg", "this is not a jpeg at all");
    writeText(root / "Healthy" / "empty.png", "");
    writeText(root / "Healthy" / "notes.txt", "radiologist's notes");
    writeText(root / "Healthy" / ".DS_Store", "hidden");
    return root;
}

}  // namespace

class TestData : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void naturalOrder() {
        QVERIFY(naturalLess("Cancer (2).jpg", "Cancer (10).jpg"));
        QVERIFY(!naturalLess("Cancer (10).jpg", "Cancer (2).jpg"));
        QVERIFY(naturalLess("Not Cancer  (7).jpg", "Not Cancer  (12).jpg"));
        QVERIFY(naturalLess("a", "b"));
        QVERIFY(naturalLess("x1", "x01a"));
        QVERIFY(!naturalLess("same", "same"));
    }

    void scansKaggleLayoutAndSkipsBadFiles() {
        QTemporaryDir dir;
        const fs::path root = makeKaggleSet(dir);
        const Dataset d = scanDataset(root);
        QCOMPARE(d.classes, (std::vector<std::string>{"Brain Tumor", "Healthy"}));
        QCOMPARE(d.items.size(), size_t(22));
        QCOMPARE(d.countPerClass().at(0), 12);
        QCOMPARE(d.countPerClass().at(1), 10);
        // natural order inside a class, two spaces kept
        QCOMPARE(d.items[1].relativePath.generic_string(), std::string("Brain Tumor/Cancer (2).jpg"));
        QCOMPARE(d.items[21].relativePath.generic_string(), std::string("Healthy/Not Cancer  (10).jpg"));
        // masks found for tumours only
        QVERIFY(d.items[0].maskPath.has_value());
        QCOMPARE(d.items[0].maskPath->generic_string(), std::string("masks/Brain Tumor/Cancer (1).png"));
        QVERIFY(!d.items[15].maskPath.has_value());
        QCOMPARE(d.items[0].width, 65);
        QCOMPARE(d.items[0].height, 60);
        QCOMPARE(d.items[0].format, std::string("jpeg"));
        // three bad files, each with a reason; the hidden file is ignored silently
        QCOMPARE(d.skipped.size(), size_t(3));
        std::set<std::string> skippedNames;
        for (const auto& s : d.skipped) {
            skippedNames.insert(s.relativePath.filename().string());
            QVERIFY2(!s.reason.empty(), s.relativePath.c_str());
        }
        QCOMPARE(skippedNames, (std::set<std::string>{"Not Cancer  (11).jpg", "empty.png", "notes.txt"}));
    }

    void viewsSidecarIsReadIntoTheItems() {
        QTemporaryDir dir;
        const fs::path root = makeKaggleSet(dir);
        QVERIFY(!scanDataset(root).items[0].view.has_value());  // no sidecar: no views
        // Columns in another order, a quoted name with a comma, a row with only the view, a row for
        // a file that is not in the set (ignored).
        writeText(root / "views.csv",
                  "view,file,slice_mm,slice,eye_level\n"
                  "coronal,Brain Tumor/Cancer (2).jpg,121.5,121,0\n"
                  "sagittal,\"Healthy/Not Cancer  (10).jpg\",,,\n"
                  "axial,Healthy/gone.jpg,1,1,1\n");
        const Dataset d = scanDataset(root);
        QVERIFY(!d.items[0].view.has_value());
        const ScanView& coronal = d.items[1].view.value();
        QCOMPARE(coronal.view, std::string("coronal"));
        QCOMPARE(coronal.slice.value(), 121);
        QCOMPARE(coronal.sliceMm.value(), 121.5);
        QCOMPARE(coronal.eyeLevel.value(), false);
        const ScanView& sagittal = d.items[21].view.value();
        QCOMPARE(sagittal.view, std::string("sagittal"));
        QVERIFY(!sagittal.slice && !sagittal.sliceMm && !sagittal.eyeLevel);

        // What viewsCsv writes parses back to the same values.
        const std::vector<ViewRow> rows{{"A/x, y.jpg", {"axial", 40, 40.0, true}},
                                        {"B/z.jpg", {"sagittal", std::nullopt, -12.25, std::nullopt}}};
        const std::string text = viewsCsv(rows);
        QCOMPARE(text, std::string("file,view,slice,slice_mm,eye_level\n\"A/x, y.jpg\",axial,40,40.0,1\n"
                                   "B/z.jpg,sagittal,,-12.2,\n"));
        const auto parsed = parseViews(text);
        QCOMPARE(parsed.size(), size_t(2));
        QCOMPARE(parsed.at("A/x, y.jpg").eyeLevel.value(), true);
        QCOMPARE(parsed.at("B/z.jpg").sliceMm.value(), -12.2);

        // Malformed sidecars are errors that name the line.
        for (const auto& [bad, expected] : std::vector<std::pair<std::string, std::string>>{
                 {"file,slice\nA.jpg,1\n", "line 1"},
                 {"file,view\nA.jpg,oblique\n", "line 2"},
                 {"file,view,slice\nA.jpg,axial,1.5\n", "line 2"},
                 {"file,view,eye_level\nA.jpg,axial,yes\n", "line 2"}}) {
            try {
                parseViews(bad);
                QFAIL(("accepted: " + bad).c_str());
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find("views.csv " + expected) != std::string::npos, e.what());
            }
        }
    }

    void summaryDescribesTheSet() {
        QTemporaryDir dir;
        const Dataset d = scanDataset(makeKaggleSet(dir));
        const DatasetSummary s = summarise(d);
        QVERIFY(s.usable());
        QCOMPARE(s.images, 22);
        QCOMPARE(s.classes[0].withMask, 12);
        QCOMPARE(s.classes[1].withMask, 0);
        const double expectedArea = double(cv::countNonZero([] {
            cv::Mat m = cv::Mat::zeros(60, 64, CV_8UC1);
            cv::circle(m, {20, 20}, 8, cv::Scalar(255), -1);
            return m;
        }()));
        QVERIFY(s.classes[0].meanMaskArea > 0.5 * expectedArea / (60 * 76) &&
                s.classes[0].meanMaskArea < expectedArea / (60 * 65));
        QCOMPARE(s.width.min, 65);
        QCOMPARE(s.width.max, 80);
        QCOMPARE(s.formats.at("jpeg"), 22);
        QCOMPARE(s.channels.at(3), 22);
        QCOMPARE(s.skipped.size(), size_t(3));
    }

    void unusableFoldersAreClearErrors() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        QVERIFY_THROWS_EXCEPTION(FileError, scanDataset(root / "missing"));
        writeText(root / "file.txt", "x");
        QVERIFY_THROWS_EXCEPTION(FileError, scanDataset(root / "file.txt"));
        try {
            scanDataset(root);  // no class folders
            QFAIL("expected an error");
        } catch (const FileError& e) {
            QVERIFY(std::string(e.what()).find("no class sub-folders") != std::string::npos);
        }
        // class folders with only broken files: scanned, but not usable
        writeText(root / "A" / "x.jpg", "text");
        const Dataset d = scanDataset(root);
        QCOMPARE(d.items.size(), size_t(0));
        QVERIFY(!summarise(d).usable());
    }

    void fingerprintChangesWithContent() {
        QTemporaryDir dir;
        const fs::path root = makeKaggleSet(dir);
        const std::string before = scanDataset(root, {.decode = false}).fingerprint();
        QCOMPARE(scanDataset(root, {.decode = false}).fingerprint(), before);
        fs::rename(root / "Healthy" / "Not Cancer  (1).jpg", root / "Brain Tumor" / "Moved.jpg");
        QVERIFY(scanDataset(root, {.decode = false}).fingerprint() != before);
    }

    void splitIsStratifiedSeededAndStable() {
        QTemporaryDir dir;
        const Dataset d = scanDataset(makeKaggleSet(dir));
        const SplitFractions f{0.5, 0.25, 0.25};
        const Split a = makeStratifiedSplit(d, f, 42);
        const Split b = makeStratifiedSplit(d, f, 42);
        const Split c = makeStratifiedSplit(d, f, 43);
        QCOMPARE(a.train, b.train);
        QCOMPARE(a.test, b.test);
        QVERIFY(a.train != c.train || a.test != c.test);
        // every item exactly once
        std::set<std::string> all;
        for (const auto* part : {&a.train, &a.validation, &a.test}) {
            for (const auto& p : *part)
                QVERIFY(all.insert(p.generic_string()).second);
        }
        QCOMPARE(all.size(), d.items.size());
        // stratified: per class 12 -> 6/3/3 and 10 -> 5/3/2 (cumulative rounding per class)
        auto countClass = [](const std::vector<fs::path>& part, const std::string& cls) {
            return std::count_if(part.begin(), part.end(),
                                 [&](const fs::path& p) { return p.begin()->string() == cls; });
        };
        QCOMPARE(countClass(a.train, "Brain Tumor"), 6);
        QCOMPARE(countClass(a.validation, "Brain Tumor"), 3);
        QCOMPARE(countClass(a.test, "Brain Tumor"), 3);
        QCOMPARE(countClass(a.train, "Healthy"), 5);
        QCOMPARE(countClass(a.validation, "Healthy"), 3);
        QCOMPARE(countClass(a.test, "Healthy"), 2);
        // Stable across versions and machines: pinned, so a change to the algorithm is noticed.
        std::string testPart;
        for (const auto& p : a.test)
            testPart += p.filename().string() + ";";
        QCOMPARE(
            testPart,
            std::string(
                "Cancer (5).jpg;Cancer (4).jpg;Cancer (10).jpg;Not Cancer  (3).jpg;Not Cancer  (7).jpg;"));
    }

    void splitRoundTripsThroughJson() {
        QTemporaryDir dir;
        const Dataset d = scanDataset(makeKaggleSet(dir));
        const Split s = makeStratifiedSplit(d, {}, 7);
        const fs::path file = fs::path(dir.path().toStdString()) / "split.json";
        saveSplit(s, file);
        QVERIFY(!fs::exists(fs::path(file.string() + ".part")));
        const Split loaded = loadSplit(file);
        QCOMPARE(loaded.seed, s.seed);
        QCOMPARE(loaded.train, s.train);
        QCOMPARE(loaded.validation, s.validation);
        QCOMPARE(loaded.test, s.test);
        QCOMPARE(loaded.datasetFingerprint, d.fingerprint());
        QCOMPARE(splitIndices(d, loaded.test).size(), s.test.size());
        // broken and foreign files are clear errors
        writeText(file, "{\"format\": \"something else\"}");
        QVERIFY_THROWS_EXCEPTION(FileError, loadSplit(file));
        writeText(file, "{ truncated");
        QVERIFY_THROWS_EXCEPTION(FileError, loadSplit(file));
        QVERIFY_THROWS_EXCEPTION(Error, splitIndices(d, {fs::path("Healthy/nope.jpg")}));
        QVERIFY_THROWS_EXCEPTION(Error, makeStratifiedSplit(d, {0.9, 0.2, 0.1}, 1));
    }

    void preprocessScalesAndNormalises() {
        cv::Mat rgb(4, 4, CV_8UC3, cv::Scalar(255, 0, 51));  // R=255, G=0, B=51
        const cv::Mat out = preprocess(rgb, 4, Normalisation::imagenet());
        QCOMPARE(out.size(), cv::Size(4, 4));
        const auto px = out.at<cv::Vec3f>(2, 3);
        QVERIFY(std::abs(px[0] - (1.0f - 0.485f) / 0.229f) < 1e-5f);
        QVERIFY(std::abs(px[1] - (0.0f - 0.456f) / 0.224f) < 1e-5f);
        QVERIFY(std::abs(px[2] - (0.2f - 0.406f) / 0.225f) < 1e-5f);
        // at the model's size no resampling happens: a checkerboard survives exactly
        cv::Mat board(8, 8, CV_8UC3);
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x)
                board.at<cv::Vec3b>(y, x) = cv::Vec3b::all((x + y) % 2 ? 255 : 0);
        const cv::Mat same = preprocess(board, 8, Normalisation::none());
        QCOMPARE(same.at<cv::Vec3f>(0, 1)[0], 1.0f);
        QCOMPARE(same.at<cv::Vec3f>(0, 0)[0], 0.0f);
        QCOMPARE(preprocess(board, 5, Normalisation::none()).size(), cv::Size(5, 5));
        // CHW layout
        std::vector<float> chw(3 * 16);
        hwcToChw(out, chw.data());
        QCOMPARE(chw[2 * 4 + 3], px[0]);
        QCOMPARE(chw[16 + 2 * 4 + 3], px[1]);
        QCOMPARE(chw[32 + 2 * 4 + 3], px[2]);
        QVERIFY_THROWS_EXCEPTION(Error, preprocess(cv::Mat(), 4, {}));
    }

    void augmentationIsDeterministic() {
        cv::Mat rgb(40, 50, CV_8UC3);
        cv::randu(rgb, cv::Scalar::all(0), cv::Scalar::all(255));
        AugmentOptions options;
        Rng r1(99), r2(99), r3(100);
        const cv::Mat a = augment(rgb, r1, options);
        const cv::Mat b = augment(rgb, r2, options);
        const cv::Mat c = augment(rgb, r3, options);
        QCOMPARE(a.size(), rgb.size());
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
        QVERIFY(cv::norm(a, c, cv::NORM_INF) > 0.0);
        QVERIFY(cv::norm(a, rgb, cv::NORM_INF) > 0.0);
        // disabled: identity, and the stream advances the same way
        options.enabled = false;
        Rng r4(99);
        QCOMPARE(cv::norm(augment(rgb, r4, options), rgb, cv::NORM_INF), 0.0);
        // flip only: exactly the mirror image
        AugmentOptions flipOnly{
            .flipProbability = 1.0, .maxRotationDegrees = 0, .brightness = 0, .contrast = 0};
        Rng r5(1);
        cv::Mat mirrored;
        cv::flip(rgb, mirrored, 1);
        QCOMPARE(cv::norm(augment(rgb, r5, flipOnly), mirrored, cv::NORM_INF), 0.0);
    }

    void rngStreamIsPinned() {
        // The demo data and splits rely on this stream being the same everywhere.
        Rng rng(12345);
        QCOMPARE(rng.next(), std::uint64_t(6597103971274460346ull));
        Rng u(1);
        for (int i = 0; i < 1000; ++i) {
            const double v = u.uniform();
            QVERIFY(v >= 0.0 && v < 1.0);
            const int k = u.uniformInt(-2, 2);
            QVERIFY(k >= -2 && k <= 2);
        }
        QVERIFY(Rng::mix(1, 0) != Rng::mix(1, 1));
        QVERIFY(Rng::mix(1, 0) != Rng::mix(2, 0));
    }
};

QTEST_APPLESS_MAIN(TestData)
#include "test_data.moc"
