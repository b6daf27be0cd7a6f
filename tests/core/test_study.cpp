// The project database and batch studies (issue 4): schema, annotations, a study whose stored
// statistics are core/metrics' on the explainer's maps, resume, cancel, bad input.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <sqlite3.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "io/ScanReader.h"
#include "metrics/Aggregate.h"
#include "metrics/CentreOfMass.h"
#include "metrics/MaskAgreement.h"
#include "metrics/PairwiseAgreement.h"
#include "models/Checkpoint.h"
#include "models/ModelZoo.h"
#include "saliency/Explainer.h"
#include "saliency/GuidedDisplay.h"
#include "study/MapStatistics.h"
#include "study/MapThumbnail.h"
#include "study/MapsCsv.h"
#include "study/ProjectDatabase.h"
#include "study/StudyReport.h"
#include "study/StudyRunner.h"
#include "study/StudyStatistics.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::study;

namespace {

const std::vector<std::string> kClasses = {"Brain Tumor", "Healthy"};

// A tiny data set in the Kaggle layout: noise with a bright disc (and its mask) for tumours.
void makeDataSet(const fs::path& root, int perClass) {
    cv::RNG rng(7);
    for (const auto& cls : kClasses) {
        fs::create_directories(root / cls);
        for (int i = 1; i <= perClass; ++i) {
            cv::Mat image(40 + 4 * i, 44, CV_8UC3);
            rng.fill(image, cv::RNG::UNIFORM, 0, 90);
            const std::string stem =
                (cls == "Healthy" ? "Not Cancer  (" : "Cancer (") + std::to_string(i) + ")";
            if (cls == "Brain Tumor") {
                const cv::Point centre(8 + 3 * i, 12 + 2 * i);
                cv::circle(image, centre, 6, cv::Scalar(230, 230, 230), cv::FILLED);
                cv::Mat mask = cv::Mat::zeros(image.size(), CV_8UC1);
                cv::circle(mask, centre, 6, cv::Scalar(255), cv::FILLED);
                fs::create_directories(root / "masks" / cls);
                QVERIFY(cv::imwrite((root / "masks" / cls / (stem + ".png")).string(), mask));
            }
            QVERIFY(cv::imwrite((root / cls / (stem + ".png")).string(), image));
        }
    }
}

fs::path makeCheckpoint(const fs::path& file, std::uint64_t seed, int inputSize) {
    models::Classifier model = models::makeModel("cnn4", models::ModelOptions{.numClasses = 2, .seed = seed});
    models::ModelCard card;
    card.architecture = "cnn4";
    card.classes = kClasses;
    card.inputSize = inputSize;
    card.mean = {0.5f, 0.5f, 0.5f};
    card.std = {0.25f, 0.25f, 0.25f};
    models::saveCheckpoint(file, *model, card);
    return file;
}

// Says stop after `allowed` scans.
class CancelAfter final : public Progress {
  public:
    explicit CancelAfter(int allowed) : left_(allowed) {}
    void start(const std::string&, std::int64_t) override {}
    bool update(std::int64_t, const std::string&) override { return --left_ > 0; }
    void finish() override {}

  private:
    int left_;
};

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

std::int64_t queryInteger(const fs::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    const std::int64_t value = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return value;
}

std::string queryText(const fs::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    std::string value;
    if (sqlite3_step(s) == SQLITE_ROW)
        value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return value;
}

void execute(const fs::path& file, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

bool near(std::optional<double> a, std::optional<double> b, double tolerance) {
    if (a.has_value() != b.has_value())
        return false;
    return !a || std::abs(*a - *b) <= tolerance;
}

// The rows of a project, by names rather than ids, for comparing two projects.
struct Snapshot {
    std::map<std::string, MapRecord> maps;    // "scan|model|method"
    std::map<std::string, PairRecord> pairs;  // "first key|second key"
    std::map<std::string, PredictionRecord> predictions;
    std::set<std::string> scans;
};

Snapshot snapshot(ProjectDatabase& project) {
    Snapshot s;
    std::map<std::int64_t, std::string> scanPath, modelName, mapKey;
    for (const auto& scan : project.scans()) {
        scanPath[scan.id] = scan.path;
        s.scans.insert(scan.path + "|" + scan.fingerprint);
    }
    for (const auto& m : project.models())
        modelName[m.id] = m.name;
    for (const auto& m : project.maps()) {
        mapKey[m.id] = scanPath[m.scanId] + "|" + modelName[m.modelId] + "|" + m.method;
        s.maps[mapKey[m.id]] = m;
    }
    for (const auto& p : project.pairs())
        s.pairs[mapKey[p.firstMapId] + "||" + mapKey[p.secondMapId]] = p;
    for (const auto& p : project.predictions())
        s.predictions[scanPath[p.scanId] + "|" + modelName[p.modelId]] = p;
    return s;
}

void compareSnapshots(const Snapshot& a, const Snapshot& b) {
    QCOMPARE(a.scans, b.scans);
    QCOMPARE(a.maps.size(), b.maps.size());
    for (const auto& [key, m] : a.maps) {
        QVERIFY2(b.maps.contains(key), key.c_str());
        const MapRecord& o = b.maps.at(key);
        QCOMPARE(m.targetClass, o.targetClass);
        QCOMPARE(m.empty, o.empty);
        QCOMPARE(m.available, o.available);
        QVERIFY2(near(m.measures.centreX, o.measures.centreX, 1e-5), key.c_str());
        QVERIFY2(near(m.measures.centreY, o.measures.centreY, 1e-5), key.c_str());
        QVERIFY2(near(m.measures.regionArea, o.measures.regionArea, 1e-3), key.c_str());
        QVERIFY2(near(m.measures.maskIou, o.measures.maskIou, 1e-2), key.c_str());
        QVERIFY2(near(m.measures.energyInside, o.measures.energyInside, 1e-5), key.c_str());
    }
    QCOMPARE(a.pairs.size(), b.pairs.size());
    for (const auto& [key, p] : a.pairs) {
        QVERIFY2(b.pairs.contains(key), key.c_str());
        QVERIFY2(near(p.iou, b.pairs.at(key).iou, 1e-2), key.c_str());
        QVERIFY2(near(p.centreDistance, b.pairs.at(key).centreDistance, 1e-5), key.c_str());
    }
    QCOMPARE(a.predictions.size(), b.predictions.size());
    for (const auto& [key, p] : a.predictions) {
        QVERIFY2(b.predictions.contains(key), key.c_str());
        QCOMPARE(p.predictedClass, b.predictions.at(key).predictedClass);
    }
}

}  // namespace

class TestStudy : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        root_ = fs::path(dir_.path().toStdString());
        data_ = root_ / "data";
        makeDataSet(data_, 4);
        small_ = makeCheckpoint(root_ / "small.pt", 11, 32);
        large_ = makeCheckpoint(root_ / "large.pt", 12, 48);
    }

    // ---- the database ----

    void schemaIsCreatedAndReopened() {
        const fs::path file = root_ / "schema.sqlite";
        {
            ProjectDatabase project(file);
            const ProjectInfo info = project.info();
            QCOMPARE(info.schemaVersion, 1);
            QVERIFY(!info.dataRoot);
            QCOMPARE(info.thumbnailSize, 64);
            QCOMPARE(metrics::describe(info.binarisation), metrics::describe(metrics::Binarisation{}));
            project.bindDataSet("/data/brain", kClasses);
            const ModelRecord m = project.registerModel({.name = "vgg",
                                                         .checkpointPath = "/m/vgg.pt",
                                                         .architecture = "vgg16",
                                                         .cardJson = "{}",
                                                         .fingerprint = "00000000000000aa"});
            QCOMPARE(m.name, std::string("vgg"));
            // another file, same stem: a unique name; the same weights moved: the same model
            QCOMPARE(project
                         .registerModel({.name = "vgg",
                                         .checkpointPath = "/n/vgg.pt",
                                         .architecture = "vgg16",
                                         .cardJson = "{}",
                                         .fingerprint = "00000000000000bb"})
                         .name,
                     std::string("vgg (2)"));
            const ModelRecord moved = project.registerModel({.name = "vgg",
                                                             .checkpointPath = "/moved/vgg.pt",
                                                             .architecture = "vgg16",
                                                             .cardJson = "{}",
                                                             .fingerprint = "00000000000000aa"});
            QCOMPARE(moved.id, m.id);
            QCOMPARE(moved.checkpointPath, std::string("/moved/vgg.pt"));
            // the same path with other weights: refused, not silently mixed
            QVERIFY(errorOf([&] {
                        project.registerModel({.name = "vgg",
                                               .checkpointPath = "/moved/vgg.pt",
                                               .architecture = "vgg16",
                                               .cardJson = "{}",
                                               .fingerprint = "00000000000000cc"});
                    }).find("has changed") != std::string::npos);
        }
        QCOMPARE(queryInteger(file, "PRAGMA user_version"), 1);
        QCOMPARE(queryInteger(file, "PRAGMA application_id"), 0x53414c53);
        QCOMPARE(queryText(file, "PRAGMA journal_mode"), std::string("wal"));
        ProjectDatabase again(file, OpenMode::ExistingOnly);
        QCOMPARE(again.info().dataRoot.value_or(""), std::string("/data/brain"));
        QCOMPARE(again.info().classes, kClasses);
        QCOMPARE(again.models().size(), std::size_t(2));
        // another data set or other classes on the same project: a clear error
        QVERIFY(errorOf([&] { again.bindDataSet("/data/other", kClasses); }).find("/data/brain") !=
                std::string::npos);
        QVERIFY(errorOf([&] {
                    again.bindDataSet("/data/brain", {"a", "b"});
                }).find("class folders") != std::string::npos);
    }

    void badProjectFilesAreClearErrors() {
        const fs::path text = root_ / "notes.sqlite";
        std::ofstream(text) << "these are not the droids you are looking for\n";
        QVERIFY(errorOf([&] { ProjectDatabase p(text); }).find("not an SQLite database") !=
                std::string::npos);
        QVERIFY_THROWS_EXCEPTION(FileError, ProjectDatabase{text});

        const fs::path missing = root_ / "missing.sqlite";
        QVERIFY(errorOf([&] { ProjectDatabase p(missing, OpenMode::ExistingOnly); }).find("does not exist") !=
                std::string::npos);
        QVERIFY(!fs::exists(missing));

        const fs::path foreign = root_ / "foreign.sqlite";
        execute(foreign, "CREATE TABLE addresses (name TEXT)");
        QVERIFY(errorOf([&] { ProjectDatabase p(foreign); }).find("not a Saliency Studio project") !=
                std::string::npos);
        QCOMPARE(queryText(foreign, "PRAGMA journal_mode"), std::string("delete"));  // left unchanged

        const fs::path newer = root_ / "newer.sqlite";
        { ProjectDatabase p(newer); }
        execute(newer, "PRAGMA user_version = 99");
        QVERIFY(errorOf([&] { ProjectDatabase p(newer); }).find("newer") != std::string::npos);

        // an SQLite header over garbage: SQLite's own reason, with the file named
        const fs::path damaged = root_ / "damaged.sqlite";
        {
            std::ofstream out(damaged, std::ios::binary);
            out.write("SQLite format 3", 16);
            out << std::string(5000, 'x');
        }
        const std::string reason = errorOf([&] { ProjectDatabase p(damaged); });
        QVERIFY2(!reason.empty() && reason.find(damaged.string()) != std::string::npos, reason.c_str());
    }

    void annotationsAreSetOverwrittenAndListed() {
        ProjectDatabase project(root_ / "annotations.sqlite");
        const std::int64_t scan = project.putScan({.path = "Healthy/a.png",
                                                   .classIndex = 1,
                                                   .className = "Healthy",
                                                   .width = 10,
                                                   .height = 10,
                                                   .fingerprint = "1"});
        const std::int64_t model = project
                                       .registerModel({.name = "cnn4",
                                                       .checkpointPath = "/m/cnn4.pt",
                                                       .architecture = "cnn4",
                                                       .cardJson = "{}",
                                                       .fingerprint = "2"})
                                       .id;
        const AnnotationKey key{scan, model, "gradcam", ""};
        QVERIFY(!project.annotation(key));
        const Annotation first = project.setAnnotation({key, Verdict::Incorrect, "eye sockets"});
        QCOMPARE(first.verdict, Verdict::Incorrect);
        QCOMPARE(first.note, std::string("eye sockets"));
        QVERIFY(first.time.size() >= 20 && first.time.back() == 'Z');
        const Annotation second = project.setAnnotation({key, Verdict::Correct, "on the tumour"});
        QCOMPARE(project.annotations().size(), std::size_t(1));  // overwritten, not added
        QCOMPARE(project.annotation(key)->verdict, Verdict::Correct);
        QCOMPARE(project.annotation(key)->note, std::string("on the tumour"));
        QVERIFY(second.time >= first.time);
        project.setAnnotation({{scan, model, "cam", ""}, Verdict::Unsure, ""});
        project.setAnnotation({{scan, model, "gradcam", "second reader"}, Verdict::Incorrect, ""});
        const auto all = project.annotations();
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all[0].key.method, std::string("cam"));
        QCOMPARE(all[1].key.annotator, std::string(""));
        QCOMPARE(all[2].key.annotator, std::string("second reader"));
        QVERIFY(project.removeAnnotation({scan, model, "cam", ""}));
        QVERIFY(!project.removeAnnotation({scan, model, "cam", ""}));
        QVERIFY(errorOf([&] {
                    project.setAnnotation({{scan + 100, model, "cam", ""}, Verdict::Correct, ""});
                }).find("no scan") != std::string::npos);
        QCOMPARE(parseVerdict("incorrect").value(), Verdict::Incorrect);
        QVERIFY(!parseVerdict("maybe"));
        // a kill after setAnnotation returned loses nothing: another connection sees it at once
        ProjectDatabase reader(project.file(), OpenMode::ExistingOnly);
        QCOMPARE(reader.annotations().size(), std::size_t(2));
    }

    void thumbnailsRoundTrip() {
        cv::Mat map(40, 30, CV_32FC1);
        for (int y = 0; y < map.rows; ++y)
            for (int x = 0; x < map.cols; ++x)
                map.at<float>(y, x) = static_cast<float>(x) / static_cast<float>(map.cols - 1);
        const cv::Mat back = decodeThumbnail(encodeThumbnail(map, 16));
        QCOMPARE(back.rows, 16);
        QCOMPARE(back.cols, 16);
        cv::Mat expected;
        cv::resize(map, expected, back.size(), 0, 0, cv::INTER_AREA);
        QVERIFY(cv::norm(back, expected, cv::NORM_INF) <= 0.5 / 255.0 + 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error, decodeThumbnail({1, 2, 3}));
    }

    // ---- studies ----

    void studyStoresWhatMetricsComputes() {
        const fs::path file = root_ / "study.sqlite";
        ProjectDatabase project(file);
        StudyOptions options{.data = data_, .checkpoints = {small_, large_}, .batchSize = 8};
        NullProgress quiet;
        const StudySummary summary = runStudy(project, options, quiet);
        QCOMPARE(summary.scans, std::int64_t(8));
        QCOMPARE(summary.studied, std::int64_t(8));
        QVERIFY(summary.skipped.empty());
        const std::size_t methods = explain::allMethods().size();
        QCOMPARE(summary.mapsAdded, std::int64_t(8 * 2 * methods));
        // per scan: one model pair per method, and every method pair per model
        const auto expectedPairs = 8 * (methods + 2 * methods * (methods - 1) / 2);
        QCOMPARE(summary.pairsAdded, static_cast<std::int64_t>(expectedPairs));
        QCOMPARE(project.maps().size(), 8 * 2 * methods);
        QCOMPARE(project.predictions().size(), std::size_t(16));

        // Recompute everything from the explainer and core/metrics, the same batch of 8 scans.
        const Snapshot stored = snapshot(project);
        const auto scans = project.scans();
        std::vector<cv::Mat> images;
        for (const auto& scan : scans)
            images.push_back(readScan(data_ / scan.path).rgb);
        std::map<std::string, cv::Mat> analysis;  // "scan|model|method"
        for (const auto& [name, path] : {std::pair{"small", small_}, std::pair{"large", large_}}) {
            models::Checkpoint checkpoint = models::loadCheckpoint(path);
            explain::Explainer explainer(*checkpoint.model);
            const auto explained = explainer.explain(images, checkpoint.card);
            for (std::size_t i = 0; i < scans.size(); ++i) {
                const auto& prediction = stored.predictions.at(scans[i].path + "|" + name);
                QCOMPARE(prediction.predictedClass, explained[i].predictedClass);
                QCOMPARE(prediction.correct, explained[i].predictedClass == scans[i].classIndex);
                const auto maskFile = scans[i].maskPath;
                std::optional<cv::Mat> mask;
                if (maskFile)
                    mask = cv::imread((data_ / *maskFile).string(), cv::IMREAD_GRAYSCALE);
                for (const auto& map : explained[i].maps) {
                    const std::string key =
                        scans[i].path + "|" + name + "|" + explain::methodName(map.method);
                    const cv::Mat a =
                        explain::isChannelMap(map.method) ? explain::absMaxGradient(map.map) : map.map;
                    analysis[key] = a;
                    const MapRecord& r = stored.maps.at(key);
                    QCOMPARE(r.empty, map.empty);
                    QCOMPARE(r.targetClass, explained[i].targetClass);
                    QCOMPARE(r.width, checkpoint.card.inputSize);
                    const auto centre = metrics::centreOfMass(a);
                    QCOMPARE(r.measures.centreX, centre ? std::optional(centre->x) : std::nullopt);
                    QCOMPARE(r.measures.centreY, centre ? std::optional(centre->y) : std::nullopt);
                    if (mask) {
                        QCOMPARE(r.measures.maskIou, metrics::iouWithMask(a, *mask));
                        QCOMPARE(r.measures.energyInside, metrics::energyInsideMask(a, *mask));
                        const auto game = metrics::pointingGame(a, *mask);
                        QCOMPARE(r.measures.pointingHit, game ? std::optional(game->hit) : std::nullopt);
                    } else {
                        QVERIFY(!r.measures.energyInside && !r.measures.pointingHit);
                    }
                    // the stored copy is the map, shrunk
                    cv::Mat small;
                    cv::resize(a, small, cv::Size(64, 64), 0, 0, cv::INTER_AREA);
                    const cv::Mat thumbnail = decodeThumbnail(project.thumbnailPng(r.id));
                    QVERIFY(cv::norm(thumbnail, small, cv::NORM_INF) <= 0.5 / 255.0 + 1e-6);
                }
            }
        }
        // the comparisons above are not all between undefined values
        const auto defined = std::count_if(stored.maps.begin(), stored.maps.end(), [](const auto& m) {
            return m.second.measures.maskIou && *m.second.measures.maskIou > 0 && m.second.measures.centreX;
        });
        QVERIFY(defined > 0);
        // pairs: metrics::comparePair on the maps (the 32 px map brought to the 48 px grid)
        for (const auto& [key, pair] : stored.pairs) {
            const auto split = key.find("||");
            const cv::Mat& a = analysis.at(key.substr(0, split));
            const cv::Mat& b = analysis.at(key.substr(split + 2));
            cv::Mat a2 = a, b2 = b;
            if (a.rows < b.rows)
                cv::resize(a, a2, b.size(), 0, 0, cv::INTER_LINEAR);
            else if (b.rows < a.rows)
                cv::resize(b, b2, a.size(), 0, 0, cv::INTER_LINEAR);
            const auto expected = metrics::comparePair(a2, b2);
            QVERIFY2(pair.iou == expected.iou, key.c_str());
            QVERIFY2(pair.centreDistance == expected.centreDistance, key.c_str());
        }

        // the report's numbers are the summaries of these rows
        const StudyStatistics statistics = computeStatistics(project);
        QCOMPARE(statistics.modelMethods.size(), 2 * methods);
        QCOMPARE(statistics.modelPairs.size(), methods);
        QCOMPARE(statistics.methodPairs.size(), 2 * methods * (methods - 1) / 2);
        const auto& gradCamPair = *std::find_if(statistics.modelPairs.begin(), statistics.modelPairs.end(),
                                                [](const auto& p) { return p.group == "gradcam"; });
        QCOMPARE(gradCamPair.first, std::string("large"));
        QCOMPARE(gradCamPair.second, std::string("small"));
        std::vector<std::optional<double>> ious;
        for (const auto& [key, pair] : stored.pairs) {
            if (pair.kind == PairKind::Models && key.find("|gradcam||") != std::string::npos)
                ious.push_back(pair.iou);
        }
        const metrics::Summary expected = metrics::summarise(ious);
        QCOMPARE(gradCamPair.iou.n + gradCamPair.iou.nUndefined, std::size_t(8));
        QCOMPARE(gradCamPair.iou.n, expected.n);
        QVERIFY(near(gradCamPair.iou.mean, expected.mean, 1e-12));
        QVERIFY(near(gradCamPair.iou.stdDev, expected.stdDev, 1e-12));
        const auto& first = statistics.modelMethods.front();
        QCOMPARE(first.model, std::string("small"));
        QCOMPARE(first.method, std::string("cam"));
        QCOMPARE(first.maps, std::size_t(8));
        QCOMPARE(first.withMask, std::size_t(4));

        const auto files = writeReport(statistics, root_ / "report");
        QCOMPARE(files.size(), std::size_t(6));
        for (const auto& f : files)
            QVERIFY(fs::file_size(f) > 0);
        QCOMPARE(writeMapsCsv(project, root_ / "maps.csv"), 8 * 2 * methods);
    }

    void rerunAddsNothing() {
        const fs::path file = root_ / "resume.sqlite";
        ProjectDatabase project(file);
        StudyOptions options{.data = data_, .checkpoints = {small_}, .batchSize = 3};
        NullProgress quiet;
        runStudy(project, options, quiet);
        const Snapshot before = snapshot(project);
        const StudySummary again = runStudy(project, options, quiet);
        QCOMPARE(again.studied, std::int64_t(0));
        QCOMPARE(again.alreadyStored, std::int64_t(8));
        QCOMPARE(again.mapsAdded, std::int64_t(0));
        QCOMPARE(again.pairsAdded, std::int64_t(0));
        compareSnapshots(before, snapshot(project));

        // Adding a model: named with the first, its maps and the new pairs are added, nothing else.
        options.checkpoints = {small_, large_};
        const StudySummary added = runStudy(project, options, quiet);
        QCOMPARE(added.studied, std::int64_t(8));
        QCOMPARE(added.mapsAdded, std::int64_t(8 * explain::allMethods().size()));
        QCOMPARE(project.models().size(), std::size_t(2));
        ProjectDatabase together(root_ / "together.sqlite");
        runStudy(together, options, quiet);
        compareSnapshots(snapshot(together), snapshot(project));

        // another data set on this project: refused before anything is written
        for (const auto& cls : kClasses) {
            fs::create_directories(root_ / "other" / cls);
            fs::copy_file(data_ / "Healthy" / "Not Cancer  (1).png", root_ / "other" / cls / "a.png");
        }
        options.data = root_ / "other";
        QVERIFY(errorOf([&] { runStudy(project, options, quiet); }).find("studies the data set") !=
                std::string::npos);
    }

    void cancelledThenResumedEqualsUninterrupted() {
        StudyOptions options{
            .data = data_,
            .checkpoints = {small_, large_},
            .methods = {explain::Method::Cam, explain::Method::GradCam, explain::Method::GuidedBackprop},
            .batchSize = 3};
        NullProgress quiet;
        ProjectDatabase whole(root_ / "whole.sqlite");
        runStudy(whole, options, quiet);

        ProjectDatabase interrupted(root_ / "interrupted.sqlite");
        CancelAfter cancel(4);
        QVERIFY_THROWS_EXCEPTION(Cancelled, runStudy(interrupted, options, cancel));
        QCOMPARE(interrupted.scans().size(), std::size_t(4));  // each finished scan is stored whole
        QCOMPARE(interrupted.maps().size(), std::size_t(4 * 2 * 3));
        const StudySummary resumed = runStudy(interrupted, options, quiet);
        QCOMPARE(resumed.alreadyStored, std::int64_t(4));
        QCOMPARE(resumed.studied, std::int64_t(4));
        compareSnapshots(snapshot(whole), snapshot(interrupted));
    }

    void badScansAreSkipped() {
        const fs::path data = root_ / "bad-data";
        makeDataSet(data, 2);
        std::ofstream(data / "Healthy" / "notes.jpg") << "not an image at all";
        {
            std::ofstream truncated(data / "Brain Tumor" / "Cancer (9).png", std::ios::binary);
            truncated.write("\x89PNG\r\n\x1a\n", 8);
        }
        ProjectDatabase project(root_ / "bad.sqlite");
        NullProgress quiet;
        const StudySummary summary =
            runStudy(project, {.data = data, .checkpoints = {small_}, .batchSize = 8}, quiet);
        QCOMPARE(summary.scans, std::int64_t(6));
        QCOMPARE(summary.studied, std::int64_t(4));
        QCOMPARE(summary.skipped.size(), std::size_t(2));
        for (const auto& s : summary.skipped)
            QVERIFY2(!s.reason.empty(), s.path.c_str());
        QCOMPARE(project.scans().size(), std::size_t(4));
        // a scan rewritten since it was studied: skipped when it needs work again, its rows kept
        const fs::path changed = data / "Healthy" / "Not Cancer  (1).png";
        QVERIFY(cv::imwrite(changed.string(), cv::Mat(30, 30, CV_8UC3, cv::Scalar(9, 9, 9))));
        const StudySummary withLarge =
            runStudy(project, {.data = data, .checkpoints = {small_, large_}, .batchSize = 8}, quiet);
        QCOMPARE(withLarge.studied, std::int64_t(3));
        QCOMPARE(withLarge.skipped.size(), std::size_t(3));
        QVERIFY(std::any_of(withLarge.skipped.begin(), withLarge.skipped.end(), [](const SkippedScan& s) {
            return s.path == "Healthy/Not Cancer  (1).png" && s.reason.find("changed") != std::string::npos;
        }));
        QCOMPARE(project.maps().size(), std::size_t(4 * 4 + 3 * 4));
        // a model of other classes is refused before anything is studied
        const fs::path threeClasses = root_ / "three.pt";
        {
            models::Classifier model =
                models::makeModel("cnn4", models::ModelOptions{.numClasses = 3, .seed = 1});
            models::ModelCard card;
            card.architecture = "cnn4";
            card.classes = {"a", "b", "c"};
            card.inputSize = 32;
            models::saveCheckpoint(threeClasses, *model, card);
        }
        QVERIFY(errorOf([&] {
                    runStudy(project, {.data = data, .checkpoints = {threeClasses}}, quiet);
                }).find("class folders") != std::string::npos);
        QCOMPARE(project.models().size(), std::size_t(2));
    }

  private:
    QTemporaryDir dir_;
    fs::path root_, data_, small_, large_;
};

QTEST_GUILESS_MAIN(TestStudy)
#include "test_study.moc"
