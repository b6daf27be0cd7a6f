// The project database and batch studies (issue 4): schema, annotations, a study whose stored
// statistics are core/metrics' on the explainer's maps, resume, cancel, bad input; and the report
// (issue 6): agreement between annotators, the seed's tables, the numbers behind the charts, "save as".
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <numeric>
#include <set>

#include <sqlite3.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "io/ScanReader.h"
#include "metrics/Aggregate.h"
#include "metrics/CentreOfMass.h"
#include "metrics/Complexity.h"
#include "metrics/Faithfulness.h"
#include "metrics/FaithfulnessCorrelation.h"
#include "metrics/Localisation.h"
#include "metrics/MaskAgreement.h"
#include "metrics/PairwiseAgreement.h"
#include "metrics/Road.h"
#include "metrics/Sensitivity.h"
#include "metrics/Proportion.h"
#include "models/Checkpoint.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "saliency/Explainer.h"
#include "saliency/GuidedDisplay.h"
#include "study/AgreementTables.h"
#include "study/AnnotationCsv.h"
#include "study/MapStatistics.h"
#include "study/MapThumbnail.h"
#include "study/MapsCsv.h"
#include "study/ProjectDatabase.h"
#include "study/ProjectMerge.h"
#include "study/ReaderStudy.h"
#include "study/ReviewQueue.h"
#include "study/Schema.h"
#include "study/SeedTables.h"
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

std::string readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A project with `scans` scans and the named models (no maps): enough to annotate.
struct TinyProject {
    std::vector<std::int64_t> scans;
    std::vector<std::int64_t> models;
};

TinyProject fillProject(ProjectDatabase& project, int scans, const std::vector<std::string>& models) {
    TinyProject t;
    for (int i = 0; i < scans; ++i) {
        t.scans.push_back(project.putScan({.path = "Healthy/" + std::to_string(i) + ".png",
                                           .classIndex = 1,
                                           .className = "Healthy",
                                           .width = 8,
                                           .height = 8,
                                           .fingerprint = std::to_string(i)}));
    }
    for (const auto& name : models) {
        t.models.push_back(project
                               .registerModel({.name = name,
                                               .checkpointPath = "/m/" + name + ".pt",
                                               .architecture = "cnn4",
                                               .cardJson = "{}",
                                               .fingerprint = name})
                               .id);
    }
    return t;
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
            QCOMPARE(info.schemaVersion, kSchemaVersion);
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
            // the same path with other weights and nothing computed from the old ones yet (a run
            // retrained in place): the row follows the file
            const ModelRecord retrained = project.registerModel({.name = "vgg",
                                                                 .checkpointPath = "/moved/vgg.pt",
                                                                 .architecture = "vgg16",
                                                                 .cardJson = "{}",
                                                                 .fingerprint = "00000000000000dd"});
            QCOMPARE(retrained.id, m.id);
            QCOMPARE(retrained.fingerprint, std::string("00000000000000dd"));
            // once a prediction refers to the weights: refused, not silently mixed
            const std::int64_t scan = project.putScan({.path = "a.png",
                                                       .classIndex = 0,
                                                       .className = "a",
                                                       .width = 4,
                                                       .height = 4,
                                                       .fingerprint = "1"});
            project.putPrediction({scan, m.id, {0.f, 1.f}, {0.5f, 0.5f}, 1, false});
            QVERIFY(errorOf([&] {
                        project.registerModel({.name = "vgg",
                                               .checkpointPath = "/moved/vgg.pt",
                                               .architecture = "vgg16",
                                               .cardJson = "{}",
                                               .fingerprint = "00000000000000cc"});
                    }).find("has changed") != std::string::npos);
        }
        QCOMPARE(queryInteger(file, "PRAGMA user_version"), std::int64_t(kSchemaVersion));
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

    // The model registry (issue 7): rename keeps names unique, remove never drops a radiologist's marks.
    void modelsAreRenamedAndRemoved() {
        const fs::path file = root_ / "registry.sqlite";
        ProjectDatabase project(file);
        const ModelRecord a = project.registerModel({.name = "a",
                                                     .checkpointPath = "/m/a.pt",
                                                     .architecture = "cnn4",
                                                     .cardJson = "{}",
                                                     .fingerprint = "a1"});
        const ModelRecord b = project.registerModel({.name = "b",
                                                     .checkpointPath = "/m/b.pt",
                                                     .architecture = "cnn4",
                                                     .cardJson = "{}",
                                                     .fingerprint = "b1"});
        QCOMPARE(project.renameModel(a.id, "  first net ").name, std::string("first net"));
        QVERIFY(errorOf([&] { project.renameModel(b.id, "first net"); }).find("already") !=
                std::string::npos);
        QVERIFY(errorOf([&] { project.renameModel(b.id, "   "); }).find("empty") != std::string::npos);
        QVERIFY(errorOf([&] { project.renameModel(999, "x"); }).find("no model") != std::string::npos);

        const std::int64_t scan = project.putScan({.path = "s.png",
                                                   .classIndex = 0,
                                                   .className = "a",
                                                   .width = 4,
                                                   .height = 4,
                                                   .fingerprint = "s"});
        project.putPrediction({scan, a.id, {0.f, 1.f}, {0.5f, 0.5f}, 1, false});
        project.setAnnotation({{scan, b.id, "gradcam", ""}, Verdict::Correct});
        // b has a mark: refused, and nothing changes
        QCOMPARE(project.annotationCount(b.id), std::size_t(1));
        QVERIFY(errorOf([&] { project.removeModel(b.id); }).find("1 mark") != std::string::npos);
        QCOMPARE(project.models().size(), std::size_t(2));
        // a has only a prediction: it goes, and its prediction with it
        project.removeModel(a.id);
        QCOMPARE(project.models().size(), std::size_t(1));
        QCOMPARE(project.models().front().name, std::string("b"));
        QVERIFY(project.predictions().empty());
        QCOMPARE(project.annotations().size(), std::size_t(1));
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

    // Issue 14: a 0-byte file (or any non-project) is refused, not made into a project, by every
    // mode that expects one; a read-only open never writes.
    void nonProjectsAreRefusedAndReadOnlyNeverWrites() {
        const fs::path empty = root_ / "empty.sqlite";
        std::ofstream(empty).close();
        for (const OpenMode mode : {OpenMode::ExistingOnly, OpenMode::ReadOnly}) {
            const std::string reason = errorOf([&] { ProjectDatabase p(empty, mode); });
            QVERIFY2(reason.find("empty (0 bytes)") != std::string::npos, reason.c_str());
            QCOMPARE(fs::file_size(empty), std::uintmax_t(0));
        }
        QVERIFY(errorOf([&] {
                    ProjectDatabase p(root_ / "absent.sqlite", OpenMode::ReadOnly);
                }).find("does not exist") != std::string::npos);
        QVERIFY(!fs::exists(root_ / "absent.sqlite"));

        const fs::path file = root_ / "readonly.sqlite";
        {
            ProjectDatabase project(file);
            const TinyProject t = fillProject(project, 1, {"net"});
            project.setAnnotation({{t.scans[0], t.models[0], "gradcam", "Dr A"}, Verdict::Correct, ""});
        }
        const std::int64_t before = static_cast<std::int64_t>(fs::file_size(file));
        ProjectDatabase reader(file, OpenMode::ReadOnly);
        QCOMPARE(reader.annotations().size(), std::size_t(1));
        QCOMPARE(reader.models().front().name, std::string("net"));
        QVERIFY_THROWS_EXCEPTION(FileError, reader.setAnnotation({{1, 1, "cam", ""}, Verdict::Unsure, ""}));
        QCOMPARE(static_cast<std::int64_t>(fs::file_size(file)), before);
        const fs::path foreign = root_ / "foreign-ro.sqlite";
        execute(foreign, "CREATE TABLE addresses (name TEXT)");
        QVERIFY(errorOf([&] {
                    ProjectDatabase p(foreign, OpenMode::ReadOnly);
                }).find("not a Saliency Studio project") != std::string::npos);
    }

    // A row pointing at a network that is not in the file (fuzz_project found it with a map row;
    // SQLite enforces the references on every write, so only a damaged file has one): refused when
    // the project is opened, with a reason, instead of an exception deep inside the statistics.
    void danglingReferencesAreRefusedAtOpen() {
        const fs::path file = root_ / "dangling.sqlite";
        {
            ProjectDatabase project(file);
            const TinyProject t = fillProject(project, 2, {"net"});
            project.setAnnotation({{t.scans[0], t.models[0], "gradcam", ""}, Verdict::Correct, ""});
        }
        execute(file, "PRAGMA foreign_keys = OFF; UPDATE annotations SET model_id = 999");
        for (const OpenMode mode : {OpenMode::CreateIfMissing, OpenMode::ReadOnly}) {
            const std::string reason = errorOf([&] { ProjectDatabase p(file, mode); });
            QVERIFY2(reason.find("damaged") != std::string::npos &&
                         reason.find("'annotations'") != std::string::npos,
                     reason.c_str());
        }
    }

    // Reader studies: three readers mark in copies of one project; the merge brings their marks
    // together, the statistics then give Fleiss' kappa and Krippendorff's alpha, checked against
    // the same formulas on the table written out by hand here. A copy of another study and a
    // reader who contradicts themself across copies are refused, and the output is not touched then.
    void readersCopiesAreMergedWithMultiRaterAgreement() {
        const fs::path organiser = root_ / "organiser.sqlite";
        TinyProject t;
        {
            ProjectDatabase project(organiser);
            project.bindDataSet("/data", {"Brain Tumor", "Healthy"});
            t = fillProject(project, 4, {"cnn", "vgg"});
        }
        // verdicts[reader][scan] on (scan, cnn, gradcam); -1: the reader did not judge it.
        const std::vector<std::string> readers = {"ann", "ben", "cat"};
        const std::vector<std::vector<int>> verdicts = {{0, 0, 1, 0}, {0, 1, 1, 0}, {0, 0, 1, -1}};
        std::vector<fs::path> copies;
        for (std::size_t r = 0; r < readers.size(); ++r) {
            copies.push_back(root_ / (readers[r] + ".sqlite"));
            fs::copy_file(organiser, copies.back(), fs::copy_options::overwrite_existing);
            ProjectDatabase copy(copies.back());
            for (std::size_t s = 0; s < 4; ++s) {
                if (verdicts[r][s] >= 0)
                    copy.setAnnotation({{t.scans[s], t.models[0], "gradcam", readers[r]},
                                        static_cast<Verdict>(verdicts[r][s]),
                                        ""});
            }
        }
        const fs::path merged = root_ / "merged.sqlite";
        const MergeSummary summary = mergeProjects(copies, merged);
        QCOMPARE(summary.copies, std::size_t(3));
        QCOMPARE(summary.marks, std::size_t(11));
        ProjectDatabase project(merged, OpenMode::ReadOnly);
        const StudyStatistics stats = computeStatistics(project);
        QCOMPARE(stats.annotators, readers);
        // Counts per scan (correct, incorrect, unsure): scans 0-2 judged by all three, scan 3 by two.
        const metrics::CategoryCounts all = {{3, 0, 0}, {2, 1, 0}, {0, 3, 0}};
        const metrics::CategoryCounts some = {{3, 0, 0}, {2, 1, 0}, {0, 3, 0}, {2, 0, 0}};
        QVERIFY(stats.fleissKappa && stats.krippendorffAlpha);
        // Fleiss by hand: P_u = 1, 1/3, 1 -> P = 7/9; p = (5/9, 4/9, 0) -> P_e = 41/81; kappa = 22/40.
        QVERIFY(std::abs(stats.fleissKappa->value - 0.55) < 1e-12);
        QCOMPARE(stats.fleissKappa->value, metrics::fleissKappa(all)->value);
        // Krippendorff by hand: n = 11, n_c = (7, 4); disagreements: scan 1 gives 2*1/2 + 1*2/2 = 2;
        // alpha = 1 - (10 * 2) / (121 - 49 - 16) = 1 - 20/56.
        QVERIFY(std::abs(stats.krippendorffAlpha->value - (1.0 - 20.0 / 56.0)) < 1e-12);
        QCOMPARE(stats.krippendorffAlpha->value, metrics::krippendorffAlphaNominal(some)->value);
        const std::string md = annotatorAgreementMarkdown(stats);
        QVERIFY2(md.find("Fleiss' kappa | 3 | 9 | 0.55") != std::string::npos, md.c_str());

        // Another study: a copy whose scan 0 is another file.
        const fs::path other = root_ / "other.sqlite";
        fs::copy_file(copies[1], other, fs::copy_options::overwrite_existing);
        execute(other, "UPDATE scans SET fingerprint = 'elsewhere' WHERE id = (SELECT min(id) FROM scans)");
        const fs::path refused = root_ / "refused.sqlite";
        const std::string reason = errorOf([&] { mergeProjects({copies[0], other}, refused); });
        QVERIFY2(reason.find("not a copy of the same study") != std::string::npos &&
                     reason.find("another file") != std::string::npos,
                 reason.c_str());
        QVERIFY(!fs::exists(refused) &&
                !fs::exists(root_ / "refused.sqlite.merging"));  // no half-merged output
        // The same reader, two verdicts on one map.
        const fs::path twin = root_ / "twin.sqlite";
        fs::copy_file(copies[0], twin, fs::copy_options::overwrite_existing);
        {
            ProjectDatabase copy(twin);
            copy.setAnnotation({{t.scans[0], t.models[0], "gradcam", "ann"}, Verdict::Incorrect, ""});
        }
        const std::string conflict = errorOf([&] { mergeProjects({copies[0], twin}, root_ / "c.sqlite"); });
        QVERIFY2(conflict.find("another verdict") != std::string::npos, conflict.c_str());
        QVERIFY(errorOf([&] {
                    mergeProjects({copies[0], merged}, merged);
                }).find("is one of the copies") != std::string::npos);
    }

    // Issue 17, reader sessions: the order is a seeded permutation with repeats a few screens after
    // their first showing, the same for the same seed on every run.
    void readerOrderIsSeededWithLaterRepeats() {
        const auto order = plannedOrder(40, 7, 0.25);
        QCOMPARE(order.size(), std::size_t(50));
        std::vector<int> firstShowings(40, 0);
        int repeats = 0;
        for (std::size_t p = 0; p < order.size(); ++p) {
            if (!order[p].repeatOf) {
                ++firstShowings[order[p].map];
                continue;
            }
            ++repeats;
            const auto of = static_cast<std::size_t>(*order[p].repeatOf);
            QVERIFY(!order[of].repeatOf);
            QCOMPARE(order[of].map, order[p].map);
            QVERIFY2(p - of >= 5, "a repeat comes at least five screens later");
        }
        QCOMPARE(repeats, 10);
        QVERIFY(std::all_of(firstShowings.begin(), firstShowings.end(), [](int n) { return n == 1; }));
        const auto again = plannedOrder(40, 7, 0.25), other = plannedOrder(40, 8, 0.25);
        auto maps = [](const std::vector<PlannedItem>& o) {
            std::vector<std::size_t> m;
            for (const auto& i : o)
                m.push_back(i.map);
            return m;
        };
        QCOMPARE(maps(again), maps(order));
        QVERIFY(maps(other) != maps(order));
        QCOMPARE(plannedOrder(3, 1, 0.0).size(), std::size_t(3));
        QCOMPARE(plannedOrder(0, 1, 0.5).size(), std::size_t(0));
    }

    // A study over a project's maps: blinded labels consistent across readers, each reader's order
    // from their saved seed, judgements kept as annotations, intra-reader agreement from the repeats,
    // the export with the key; readers' copies merged give what reading into one project gives.
    void readerStudiesAreBlindedAndMergeLikeOneProject() {
        const fs::path organiser = root_ / "readers.sqlite";
        std::vector<MapRecord> maps;
        {
            ProjectDatabase project(organiser);
            project.bindDataSet("/data", {"Brain Tumor", "Healthy"});
            const TinyProject t = fillProject(project, 6, {"cnn", "vgg"});
            for (const auto scan : t.scans)
                for (const auto model : t.models)
                    for (const std::string method : {"cam", "gradcam"}) {
                        MapRecord m{.scanId = scan, .modelId = model, .method = method, .targetClass = 0,
                                    .layer = "features", .width = 8, .height = 8};
                        m.id = project.putMap(m);
                        maps.push_back(m);
                    }
            const ReaderStudyPlan plan{.name = "pilot", .readers = {"ann", "ben"}, .repeatShare = 0.25, .seed = 11};
            QCOMPARE(createReaderStudy(project, plan).size(), std::size_t(2));
            QVERIFY(errorOf([&] { createReaderStudy(project, plan); }).find("already has") != std::string::npos);
            // a network a reader study shows stays, with the reason (not SQLite's foreign-key message)
            QCOMPARE(errorOf([&] { project.removeModel(t.models[0]); }),
                     std::string("'cnn' is shown in reader study 'pilot'; the project keeps a model whose maps a "
                                 "reader study shows"));
            ReaderStudyPlan unknown = plan;
            unknown.name = "other";
            unknown.methods = {"scorecam"};
            QVERIFY(errorOf([&] { createReaderStudy(project, unknown); }).find("no maps of method scorecam") !=
                    std::string::npos);
            const auto sessions = project.readerSessions();
            QCOMPARE(sessions.size(), std::size_t(2));
            std::map<std::string, std::pair<std::int64_t, std::string>> key;  // label -> (model, method)
            for (const auto& session : sessions) {
                const auto items = project.readerItems(session.id);
                QCOMPARE(items.size(), std::size_t(30));  // 24 maps, 6 shown again
                const auto order = plannedOrder(24, session.seed, 0.25);
                for (std::size_t p = 0; p < items.size(); ++p) {
                    QCOMPARE(items[p].mapId, maps[order[p].map].id);  // maps in (scan, model, method) order
                    QCOMPARE(items[p].repeatOf, order[p].repeatOf);
                    const auto [it, added] = key.emplace(items[p].label, std::make_pair(items[p].modelId, items[p].method));
                    QVERIFY2(it->second == std::make_pair(items[p].modelId, items[p].method),
                             "one label, one network and method, for every reader");
                }
            }
            QCOMPARE(key.size(), std::size_t(4));
        }

        // Each reader judges every item: ann flips her verdict on one repeat; ben is consistent.
        auto judgeAll = [](ProjectDatabase& project, const std::string& reader) {
            for (const auto& session : project.readerSessions()) {
                if (session.reader != reader)
                    continue;
                auto items = project.readerItems(session.id);
                bool flipped = false;
                while (const auto next = nextUnjudged(items)) {
                    auto& item = items[*next];
                    Verdict v = (item.mapId + (reader == "ann" ? 0 : 1)) % 3 == 0 ? Verdict::Incorrect : Verdict::Correct;
                    if (item.repeatOf && reader == "ann" && !flipped) {
                        v = *items[static_cast<std::size_t>(*item.repeatOf)].verdict == Verdict::Correct
                                ? Verdict::Incorrect
                                : Verdict::Correct;
                        flipped = true;
                    }
                    recordJudgement(project, session, item, v, 1 + static_cast<int>(item.mapId % 5), "", 1.5);
                    item.verdict = v;
                }
            }
        };
        const fs::path together = root_ / "readers-together.sqlite", annCopy = root_ / "ann-copy.sqlite",
                       benCopy = root_ / "ben-copy.sqlite", merged = root_ / "readers-merged.sqlite";
        for (const auto& copy : {together, annCopy, benCopy})
            fs::copy_file(organiser, copy, fs::copy_options::overwrite_existing);
        {
            ProjectDatabase one(together), ann(annCopy), ben(benCopy);
            judgeAll(one, "ann"), judgeAll(one, "ben"), judgeAll(ann, "ann"), judgeAll(ben, "ben");
        }
        const MergeSummary summary = mergeProjects({annCopy, benCopy}, merged);
        QCOMPARE(summary.readerJudgements, std::size_t(30));
        ProjectDatabase one(together, OpenMode::ReadOnly), both(merged, OpenMode::ReadOnly);
        QCOMPARE(both.annotations().size(), std::size_t(48));  // first showings only: 24 per reader
        const auto intraOne = intraReaderAgreement(one), intraBoth = intraReaderAgreement(both);
        QCOMPARE(intraBoth.size(), std::size_t(2));
        for (std::size_t r = 0; r < 2; ++r) {
            QCOMPARE(intraBoth[r].repeats, std::size_t(6));
            QCOMPARE(intraBoth[r].same, intraOne[r].same);
            QCOMPARE(intraBoth[r].kappa.has_value(), intraOne[r].kappa.has_value());
        }
        QCOMPARE(intraBoth[0].reader, std::string("ann"));
        QCOMPARE(intraBoth[0].same, std::size_t(5));
        QCOMPARE(intraBoth[1].same, std::size_t(6));
        const StudyStatistics a = computeStatistics(one), b = computeStatistics(both);
        QCOMPARE(a.annotators, b.annotators);
        QVERIFY(!a.annotatorAgreement.empty());
        QCOMPARE(annotatorAgreementMarkdown(a), annotatorAgreementMarkdown(b));

        const std::string csv = readerStudyCsv(both, "pilot").text();
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(61));
        QVERIFY(csv.starts_with("study,reader,position,label,scan,network,method,repeat_of,verdict,confidence"));
        const std::string protocol = readerStudyProtocol(both, "pilot");
        QVERIFY2(protocol.find("| ann | ") != std::string::npos && protocol.find("30 of 30") != std::string::npos &&
                     protocol.find("## Key") != std::string::npos,
                 protocol.c_str());
        QVERIFY(errorOf([&] { readerStudyCsv(both, "nope"); }).find("no reader study") != std::string::npos);
    }

    // A project of schema version 1 gains the reader tables when opened for writing; read-only it
    // is refused with the way out (open it once where it can be written).
    void schemaOneProjectsMigrateToReaderStudies() {
        const fs::path file = root_ / "v1.sqlite";
        { ProjectDatabase project(file); }
        // back to version 1's tables (the view as version 1 named its columns does not matter here)
        execute(file,
                "DROP VIEW map_statistics; DROP TABLE lesion_marks; ALTER TABLE maps DROP COLUMN truth; "
                "ALTER TABLE maps DROP COLUMN sparseness; ALTER TABLE maps DROP COLUMN effective_complexity; "
                "ALTER TABLE maps DROP COLUMN rank_accuracy; ALTER TABLE maps DROP COLUMN top_k_intersection; "
                "ALTER TABLE maps DROP COLUMN threshold_ious; ALTER TABLE maps DROP COLUMN deletion_auc; "
                "ALTER TABLE maps DROP COLUMN insertion_auc; ALTER TABLE maps DROP COLUMN faithfulness_correlation; "
                "ALTER TABLE maps DROP COLUMN road_morf; ALTER TABLE maps DROP COLUMN road_lerf; "
                "ALTER TABLE maps DROP COLUMN max_sensitivity; ALTER TABLE maps DROP COLUMN average_sensitivity; "
                "CREATE VIEW map_statistics AS SELECT id FROM maps; DROP TABLE reader_items; "
                "DROP TABLE reader_sessions; PRAGMA user_version = 1");
        QVERIFY(errorOf([&] { ProjectDatabase(file, OpenMode::ReadOnly); }).find("older project") != std::string::npos);
        { ProjectDatabase project(file, OpenMode::ExistingOnly); }
        QCOMPARE(queryInteger(file, "PRAGMA user_version"), std::int64_t(kSchemaVersion));
        QCOMPARE(queryInteger(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'reader_items'"), std::int64_t(1));
        QCOMPARE(queryInteger(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'lesion_marks'"), std::int64_t(1));
        QCOMPARE(queryInteger(file, "SELECT count(ground_truth) FROM map_statistics"), std::int64_t(0));
    }

    // The review queue: maps ordered by how much readers disagree, by readers against the pointing
    // game, and by mask IoU, with the reasons a radiologist reads; maps where everyone agrees are
    // not in the first two.
    void theReviewQueuePutsDisagreementFirst() {
        ProjectDatabase project(root_ / "review.sqlite");
        const TinyProject t = fillProject(project, 3, {"net"});
        const auto judge = [&](int scan, const char* reader, Verdict v) {
            project.setAnnotation(
                {{t.scans[static_cast<std::size_t>(scan)], t.models[0], "gradcam", reader}, v, ""});
        };
        judge(0, "a", Verdict::Correct), judge(0, "b", Verdict::Correct), judge(0, "c", Verdict::Correct);
        judge(1, "a", Verdict::Correct), judge(1, "b", Verdict::Incorrect), judge(1, "c", Verdict::Unsure);
        judge(2, "a", Verdict::Correct), judge(2, "b", Verdict::Incorrect), judge(2, "c", Verdict::Incorrect);
        const auto map = [&](int scan, bool hit, double iou) {
            MapRecord m{.scanId = t.scans[static_cast<std::size_t>(scan)],
                        .modelId = t.models[0],
                        .method = "gradcam",
                        .targetClass = 0,
                        .layer = "features",
                        .width = 8,
                        .height = 8};
            m.measures.pointingHit = hit;
            m.measures.maskIou = iou;
            project.putMap(m);
        };
        map(0, true, 0.6), map(1, false, 0.1), map(2, true, 0.3);

        const auto disagreement = reviewQueue(project, ReviewOrder::ReaderDisagreement);
        QCOMPARE(disagreement.size(), std::size_t(2));                 // scan 0: all three agree
        QCOMPARE(disagreement[0].scan, std::string("Healthy/1.png"));  // 1:1:1, 2/3 outside the mode
        QVERIFY(std::abs(disagreement[0].score - 2.0 / 3.0) < 1e-12);
        QCOMPARE(disagreement[0].reason, std::string("1 correct, 1 incorrect, 1 unsure"));
        QVERIFY(std::abs(disagreement[1].score - 1.0 / 3.0) < 1e-12);
        QCOMPARE(disagreement[1].network, std::string("net"));
        QCOMPARE(disagreement[1].modelId, t.models[0]);

        // Scan 2's peak is inside the mask but two of three call the map incorrect; scan 1's is
        // outside and one of its two decided verdicts says correct; scan 0 agrees.
        const auto pointing = reviewQueue(project, ReviewOrder::ReaderVersusPointing);
        QCOMPARE(pointing.size(), std::size_t(2));
        QCOMPARE(pointing[0].scan, std::string("Healthy/2.png"));
        QVERIFY(std::abs(pointing[0].score - 2.0 / 3.0) < 1e-12);
        QCOMPARE(pointing[1].scan, std::string("Healthy/1.png"));
        QVERIFY(std::abs(pointing[1].score - 0.5) < 1e-12);
        QVERIFY(pointing[1].reason.find("peak outside the mask") != std::string::npos);

        const auto iou = reviewQueue(project, ReviewOrder::LowMaskAgreement);
        QCOMPARE(iou.size(), std::size_t(3));
        QCOMPARE(iou[0].reason, std::string("mask IoU 0.10"));
        QCOMPARE(iou[2].scan, std::string("Healthy/0.png"));
        QCOMPARE(reviewQueueCsv(project).rows(), std::size_t(7));
        QCOMPARE(parseReviewOrder("reader-vs-pointing"), ReviewOrder::ReaderVersusPointing);
        QVERIFY(errorOf([] { parseReviewOrder("loudest"); }).find("reader-disagreement") !=
                std::string::npos);
    }

    // Names are UTF-8 where they enter, and inert where they leave: CSV cells that a spreadsheet
    // would run as formulas are neutralised (and come back unchanged on import), Markdown escapes HTML.
    void namesAreValidatedAndExportsEscaped() {
        ProjectDatabase project(root_ / "names.sqlite");
        const TinyProject t = fillProject(project, 2, {"<b>net</b>|x"});
        QVERIFY(errorOf([&] {
                    project.setAnnotation(
                        {{t.scans[0], t.models[0], "cam", "Dr \xC3\x28"}, Verdict::Correct, ""});
                }).find("not valid UTF-8") != std::string::npos);
        QVERIFY(errorOf([&] { project.renameModel(t.models[0], "bad \xFF name"); }).find("not valid UTF-8") !=
                std::string::npos);
        const std::string header = "scan,network,method,verdict,note,annotator\n";
        const std::string invalid = header + "Healthy/0.png,<b>net</b>|x,cam,correct,ok,Dr \xE9\n";
        QCOMPARE(errorOf([&] { readMarksCsv(project, invalid, std::nullopt); }),
                 std::string("line 2: field 6 is not valid UTF-8 (byte 4): save the file as UTF-8"));

        const std::string marks =
            header +
            "Healthy/0.png,<b>net</b>|x,cam,correct,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
            "@admin\n"
            "Healthy/1.png,<b>net</b>|x,cam,incorrect,-0.5,+1+1\n";
        importMarks(project, readMarksCsv(project, marks, std::nullopt), false);
        QCOMPARE(project.annotation({t.scans[0], t.models[0], "cam", "@admin"})->note,
                 std::string("=HYPERLINK(\"http://x\",\"y\")"));
        const std::string exported = marksCsv(project, std::nullopt).text();
        QCOMPARE(exported,
                 header +
                     "Healthy/0.png,<b>net</b>|x,cam,correct,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","
                     "'@admin\n"
                     "Healthy/1.png,<b>net</b>|x,cam,incorrect,-0.5,'+1+1\n");
        // the export imports back unchanged
        const auto again = readMarksCsv(project, exported, std::nullopt);
        QCOMPARE(importMarks(project, again, false).unchanged, std::size_t(2));

        const fs::path report = root_ / "names-report";
        writeReport(computeStatistics(project, std::nullopt), report);
        std::ifstream in(report / "report.md");
        const std::string md{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        QVERIFY2(md.find("&lt;b&gt;net&lt;/b&gt;\\|x") != std::string::npos, md.c_str());
        QVERIFY(md.find("<b>") == std::string::npos);
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

    void marksCsvIsCheckedThenImportedWhole() {
        ProjectDatabase project(root_ / "marks.sqlite");
        const TinyProject t = fillProject(project, 3, {"resnet", "vgg"});
        // names in any case, spaces around them, a quoted note with a comma, a spreadsheet's blank line
        const std::string text =
            "Scan,Network,Method,Verdict,Note\n"
            "Healthy/0.png, vgg ,Grad-CAM,CORRECT,\"on it, clearly\"\n"
            "Healthy/1.png,resnet,cam,unsure,\n"
            "\n";
        const auto marks = readMarksCsv(project, text, std::nullopt);
        QCOMPARE(marks.size(), std::size_t(2));
        QCOMPARE(marks[0].line, std::size_t(2));
        QCOMPARE(marks[0].annotation.key.scanId, t.scans[0]);
        QCOMPARE(marks[0].annotation.key.modelId, t.models[1]);
        QCOMPARE(marks[0].annotation.key.method, std::string("gradcam"));
        QCOMPARE(marks[0].annotation.key.annotator, std::string(""));
        QCOMPARE(marks[0].annotation.verdict, Verdict::Correct);
        QCOMPARE(marks[0].note.value(), std::string("on it, clearly"));
        const MarkImport first = importMarks(project, marks, false);
        QCOMPARE(first.added, std::size_t(2));
        QCOMPARE(project.annotation({t.scans[0], t.models[1], "gradcam", ""})->note,
                 std::string("on it, clearly"));
        // --annotator sets every line's annotator: the same lines are new marks of another reader
        const auto second = readMarksCsv(project, text, std::string("Dr B"));
        QCOMPARE(second[1].annotation.key.annotator, std::string("Dr B"));
        QCOMPARE(importMarks(project, second, false).added, std::size_t(2));
        QCOMPARE(project.annotations().size(), std::size_t(4));

        // Without a note column the stored note is neither compared nor dropped.
        const auto noNote = readMarksCsv(
            project, "scan,network,method,verdict\nHealthy/0.png,vgg,gradcam,incorrect\n", std::nullopt);
        QVERIFY(!noNote[0].note);
        try {
            importMarks(project, noNote, false);
            QFAIL("a changed verdict was overwritten without replace");
        } catch (const MarkConflicts& e) {
            QCOMPARE(e.count(), std::size_t(1));
            QVERIFY2(
                std::string(e.what()).find("line 2: stored correct, the file incorrect") != std::string::npos,
                e.what());
        }
        QCOMPARE(project.annotation({t.scans[0], t.models[1], "gradcam", ""})->verdict, Verdict::Correct);
        const MarkImport replaced = importMarks(project, noNote, true);
        QCOMPARE(replaced.replaced, std::size_t(1));
        const auto stored = project.annotation({t.scans[0], t.models[1], "gradcam", ""});
        QCOMPARE(stored->verdict, Verdict::Incorrect);
        QCOMPARE(stored->note, std::string("on it, clearly"));

        // A note that differs is a change too; one conflicting line keeps the whole file out.
        const std::string noteChanged =
            "scan,network,method,verdict,note\n"
            "Healthy/2.png,resnet,cam,correct,\n"
            "Healthy/1.png,resnet,cam,unsure,edge of the skull\n";
        QVERIFY_THROWS_EXCEPTION(
            MarkConflicts, importMarks(project, readMarksCsv(project, noteChanged, std::nullopt), false));
        QVERIFY(!project.annotation({t.scans[2], t.models[0], "cam", ""}));

        // Export: names, sorted by scan, network, method, annotator; only one annotator's on request.
        QCOMPARE(marksCsv(project, std::nullopt).text(),
                 std::string("scan,network,method,verdict,note,annotator\n"
                             "Healthy/0.png,vgg,gradcam,incorrect,\"on it, clearly\",\n"
                             "Healthy/0.png,vgg,gradcam,correct,\"on it, clearly\",Dr B\n"
                             "Healthy/1.png,resnet,cam,unsure,,\n"
                             "Healthy/1.png,resnet,cam,unsure,,Dr B\n"));
        QCOMPARE(marksCsv(project, std::string("Dr B")).rows(), std::size_t(2));
        QCOMPARE(marksCsv(project, std::string("nobody")).rows(), std::size_t(0));
    }

    void badMarksCsvNamesTheLine() {
        ProjectDatabase project(root_ / "bad-marks.sqlite");
        fillProject(project, 2, {"resnet"});
        const std::string header = "scan,network,method,verdict\n";
        const std::string good = "Healthy/0.png,resnet,cam,correct\n";
        auto errorFor = [&](const std::string& text) {
            return errorOf([&] { readMarksCsv(project, text, std::nullopt); });
        };
        QCOMPARE(errorFor(header + good + "Healthy/9.png,resnet,cam,correct\n").substr(0, 30),
                 std::string("line 3: unknown scan 'Healthy/"));
        QCOMPARE(errorFor(header + good + "Healthy/1.png,vgg,cam,correct\n"),
                 std::string("line 3: unknown network 'vgg' (the project's networks: resnet)"));
        QVERIFY(errorFor(header + "Healthy/0.png,resnet,occlusion,correct\n")
                    .starts_with("line 2: unknown method 'occlusion' (choose cam, gradcam,"));
        QCOMPARE(errorFor(header + "Healthy/0.png,resnet,cam,maybe\n"),
                 std::string("line 2: verdict 'maybe' is not correct, incorrect or unsure"));
        QCOMPARE(errorFor(header + good + "Healthy/1.png,resnet,cam\n"),
                 std::string("line 3: 3 fields where the header has 4"));
        // "GradCAM" and "gradcam" are one method: the same mark twice
        QCOMPARE(errorFor(header + "Healthy/0.png,resnet,gradcam,correct\n" + good +
                          "Healthy/0.png,resnet,GradCAM,unsure\n"),
                 std::string("line 4: the same mark (scan, network, method, annotator) as line 2"));
        QVERIFY(errorFor("scan,network,method\n" + good)
                    .starts_with("line 1: the header has no 'verdict' column"));
        QVERIFY(
            errorFor(good).starts_with("line 1: unknown column 'Healthy/0.png' (a header line is required"));
        QVERIFY(errorFor("\n\n").starts_with("the file is empty"));
        QCOMPARE(errorFor(header + "\"Healthy/0.png,resnet,cam,correct\n"),
                 std::string("line 2: a quoted field is never closed (missing \")"));
        QVERIFY(project.annotations().empty());
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
                    QCOMPARE(r.measures.sparseness, metrics::sparseness(a));
                    QCOMPARE(r.measures.effectiveComplexity, std::optional(metrics::effectiveComplexity(a)));
                    if (mask) {
                        QCOMPARE(r.measures.maskIou, metrics::iouWithMask(a, *mask));
                        QCOMPARE(r.measures.energyInside, metrics::energyInsideMask(a, *mask));
                        QCOMPARE(r.measures.rankAccuracy, metrics::relevanceRankAccuracy(a, *mask));
                        const int k = static_cast<int>(std::lround(static_cast<double>(a.total()) * 1000.0 / 50176.0));
                        QCOMPARE(r.measures.topKIntersection, std::optional(metrics::topKIntersection(a, *mask, k)));
                        const auto hits = metrics::thresholdHits(a, *mask);
                        QCOMPARE(r.measures.thresholdIous.size(), hits.size());
                        for (std::size_t t = 0; t < hits.size(); ++t)
                            QCOMPARE(r.measures.thresholdIous[t], hits[t].iou);
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

        // CheXlocalize's hit rate at Otsu: the maps whose IoU there is at least 0.5
        std::size_t otsuHits = 0, otsuMaps = 0;
        for (const auto& [key, m] : stored.maps)
            if (key.find("|small|cam") != std::string::npos && !m.measures.thresholdIous.empty() &&
                m.measures.thresholdIous[0]) {
                ++otsuMaps;
                otsuHits += *m.measures.thresholdIous[0] >= 0.5 ? 1 : 0;
            }
        QCOMPARE(first.thresholdRates.front().threshold, std::string("Otsu"));
        QCOMPARE(first.thresholdRates.front().maps, otsuMaps);
        QCOMPARE(first.thresholdRates.front().hits, otsuHits);
        QCOMPARE(first.sparseness.n + first.sparseness.nUndefined, first.available);

        const auto files = writeReport(statistics, root_ / "report");
        QCOMPARE(files.size(), std::size_t(12));
        std::ifstream in(root_ / "report" / "report.md");
        const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (const char* section : {"## Complexity", "## Localisation beyond IoU", "## Faithfulness", "## Robustness"})
            QVERIFY2(report.find(section) != std::string::npos, section);
        for (const auto& f : files)
            QVERIFY(fs::file_size(f) > 0);
        QCOMPARE(writeMapsCsv(project, root_ / "maps.csv"), 8 * 2 * methods);
    }

    // Issue 17, deliverable 4: on a scan without a mask, a reader's box or click is the ground truth;
    // a rerun measures the scan's maps again whenever the marks change, each map says which it used.
    void lesionMarksAreTheGroundTruthWhereNoMaskIs() {
        const fs::path file = root_ / "lesion-marks.sqlite";
        ProjectDatabase project(file);
        StudyOptions options{.data = data_, .checkpoints = {small_}, .methods = {explain::Method::GradCam}};
        NullProgress quiet;
        runStudy(project, options, quiet);
        const auto scans = project.scans();
        const auto unmasked = std::find_if(scans.begin(), scans.end(), [](const auto& s) { return !s.maskPath; });
        QVERIFY(unmasked != scans.end());
        QVERIFY(project.scansToRemeasure().empty());
        // the map as the study computes it, independently
        models::Checkpoint checkpoint = models::loadCheckpoint(small_);
        explain::Explainer explainer(*checkpoint.model);
        explain::ExplainOptions explainOptions;
        explainOptions.methods = {explain::Method::GradCam};
        const cv::Mat map =
            explainer.explain({readScan(data_ / unmasked->path).rgb}, checkpoint.card, explainOptions)[0].maps[0].map;
        auto storedMap = [&] {
            for (const auto& m : project.maps())
                if (m.scanId == unmasked->id)
                    return m;
            return MapRecord{};
        };
        QVERIFY(!storedMap().measures.truth);

        // a box over the left half, rows 1/4..3/4: pixels whose centres fall inside
        QVERIFY_THROWS_EXCEPTION(Error, project.setLesionMark({.scanId = unmasked->id, .box = true, .x0 = 0.5,
                                                               .y0 = 0.2, .x1 = 0.4, .y1 = 0.6}));
        QVERIFY_THROWS_EXCEPTION(Error, project.setLesionMark({.scanId = 9999, .x0 = 0.5, .y0 = 0.5}));
        project.setLesionMark({.scanId = unmasked->id, .annotator = "ann", .box = true, .x0 = 0.0, .y0 = 0.25,
                               .x1 = 0.5, .y1 = 0.75});
        QCOMPARE(project.scansToRemeasure(), std::set<std::string>{unmasked->path});
        QCOMPARE(runStudy(project, options, quiet).studied, std::int64_t(1));
        QVERIFY(project.scansToRemeasure().empty());
        cv::Mat box = cv::Mat::zeros(map.size(), CV_8UC1);
        for (int y = 0; y < map.rows; ++y)
            for (int x = 0; x < map.cols; ++x) {
                const double cx = (x + 0.5) / map.cols, cy = (y + 0.5) / map.rows;
                if (cx >= 0.0 && cx <= 0.5 && cy >= 0.25 && cy <= 0.75)
                    box.at<unsigned char>(y, x) = 255;
            }
        MapRecord m = storedMap();
        QCOMPARE(m.measures.truth, std::optional(TruthSource::Box));
        QCOMPARE(m.measures.maskIou, metrics::iouWithMask(map, box));
        QCOMPARE(m.measures.energyInside, metrics::energyInsideMask(map, box));
        double peak = -1;
        cv::Point at;
        for (int y = 0; y < map.rows; ++y)
            for (int x = 0; x < map.cols; ++x)
                if (map.at<float>(y, x) > peak) {
                    peak = map.at<float>(y, x);
                    at = {x, y};
                }
        QCOMPARE(m.measures.pointingHit, std::optional(at.x < map.cols / 2 && at.y >= map.rows / 4 &&
                                                       at.y < 3 * map.rows / 4));

        // a click at the peak's opposite corner: the pointing game alone, with 15/224 of the side
        const double px = at.x < map.cols / 2 ? 0.95 : 0.05, py = at.y < map.rows / 2 ? 0.95 : 0.05;
        project.setLesionMark({.scanId = unmasked->id, .annotator = "ann", .x0 = px, .y0 = py});
        runStudy(project, options, quiet);
        m = storedMap();
        QCOMPARE(m.measures.truth, std::optional(TruthSource::Point));
        QVERIFY(!m.measures.maskIou && !m.measures.energyInside);
        QCOMPARE(m.measures.pointingHit, std::optional(false));
        // ... and on the peak itself: a hit
        project.setLesionMark({.scanId = unmasked->id, .annotator = "ann", .x0 = (at.x + 0.5) / map.cols,
                               .y0 = (at.y + 0.5) / map.rows});
        QVERIFY(!storedMap().measures.pointingHit);  // the miss is gone with the click it was against
        QCOMPARE(project.scansToRemeasure(), std::set<std::string>{unmasked->path});
        QVERIFY(project.removeLesionMark(unmasked->id, "ann"));
        project.setLesionMark({.scanId = unmasked->id, .annotator = "ben", .x0 = (at.x + 0.5) / map.cols,
                               .y0 = (at.y + 0.5) / map.rows});
        runStudy(project, options, quiet);
        QCOMPARE(storedMap().measures.pointingHit, std::optional(true));

        // the statistics and the report say which ground truth each number used
        const StudyStatistics statistics = computeStatistics(project);
        QCOMPARE(statistics.scansWithLesionMark, std::size_t(1));
        QCOMPARE(statistics.modelMethods.front().withMask, std::size_t(4));
        QCOMPARE(statistics.modelMethods.front().withPoint, std::size_t(1));
        QCOMPARE(statistics.modelMethods.front().pointingPlayed, std::size_t(5));
        writeReport(statistics, root_ / "lesion-report");
        std::ifstream in(root_ / "lesion-report" / "report.md");
        const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(report.find("4 masks, 1 reader click") != std::string::npos);
        QVERIFY(report.find("else their clicks on its centre") != std::string::npos);

        // removed: measured against nothing again
        QVERIFY(project.removeLesionMark(unmasked->id, "ben"));
        runStudy(project, options, quiet);
        QVERIFY(!storedMap().measures.truth && !storedMap().measures.pointingHit);

        // a reader's copy brings its marks into a merge
        project.setLesionMark({.scanId = unmasked->id, .annotator = "ann", .box = true, .x0 = 0.1, .y0 = 0.1,
                               .x1 = 0.3, .y1 = 0.3});
        const fs::path copy = root_ / "lesion-copy.sqlite";
        project.saveAs(copy);
        QVERIFY(project.removeLesionMark(unmasked->id, "ann"));
        const fs::path merged = root_ / "lesion-merged.sqlite";
        QCOMPARE(mergeProjects({file, copy}, merged).lesionMarks, std::size_t(1));
        ProjectDatabase together(merged, OpenMode::ReadOnly);
        QCOMPARE(together.lesionMarks().size(), std::size_t(1));
        QCOMPARE(together.lesionMarks().front().x1, 0.3);
    }

    // Issue 18: `study --faithfulness` stores each new map's deletion and insertion AUC, its
    // faithfulness correlation and ROAD's two curves, as core/metrics gives them with the network's
    // probability.
    void faithfulnessIsMeasuredWhenAsked() {
        ProjectDatabase project(root_ / "faithfulness.sqlite");
        StudyOptions options{.data = data_, .checkpoints = {small_}, .methods = {explain::Method::GradCam}};
        options.faithfulness = true;
        NullProgress quiet;
        runStudy(project, options, quiet);
        models::Checkpoint checkpoint = models::loadCheckpoint(small_);
        explain::Explainer explainer(*checkpoint.model);
        explain::ExplainOptions explainOptions;
        explainOptions.methods = {explain::Method::GradCam};
        const auto scans = project.scans();
        int measured = 0;
        for (const auto& m : project.maps()) {
            const auto scan = std::find_if(scans.begin(), scans.end(), [&](const auto& s) { return s.id == m.scanId; });
            const cv::Mat rgb = readScan(data_ / scan->path).rgb;
            const cv::Mat map = explainer.explain({rgb}, checkpoint.card, explainOptions)[0].maps[0].map;
            cv::Mat seen;
            cv::resize(rgb, seen, map.size(), 0, 0, cv::INTER_AREA);
            const metrics::ClassScore score = [&](const std::vector<cv::Mat>& images) {
                std::vector<double> out;
                for (const auto& p : models::predict(*checkpoint.model, checkpoint.card, images))
                    out.push_back(p.probabilities[static_cast<std::size_t>(m.targetClass)]);
                return out;
            };
            QVERIFY(m.measures.deletionAuc && m.measures.insertionAuc);
            QVERIFY(std::abs(*m.measures.deletionAuc - metrics::deletionCurve(seen, map, score).auc) < 1e-6);
            QVERIFY(std::abs(*m.measures.insertionAuc - metrics::insertionCurve(seen, map, score).auc) < 1e-6);
            const auto r = metrics::faithfulnessCorrelation(seen, map, score).correlation;
            QCOMPARE(m.measures.faithfulnessCorrelation.has_value(), r.has_value());
            if (r)
                QVERIFY(std::abs(*m.measures.faithfulnessCorrelation - *r) < 1e-6);
            QVERIFY(m.measures.roadMorf && m.measures.roadLerf);
            const auto morf = metrics::roadCurve(seen, map, score, metrics::RoadOrder::MostRelevantFirst);
            QVERIFY(std::abs(*m.measures.roadMorf - morf.mean) < 1e-6);
            QVERIFY(std::abs(*m.measures.roadLerf -
                             metrics::roadCurve(seen, map, score, metrics::RoadOrder::LeastRelevantFirst).mean) <
                    1e-6);
            QVERIFY(!m.measures.maxSensitivity);  // robustness was not asked for
            ++measured;
        }
        QCOMPARE(measured, 8);
        const StudyStatistics statistics = computeStatistics(project);
        QCOMPARE(statistics.modelMethods.front().deletionAuc.n, std::size_t(8));
        writeReport(statistics, root_ / "faithfulness-report");
        std::ifstream in(root_ / "faithfulness-report" / "report.md");
        const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(report.find("| small | Grad-CAM |") != std::string::npos);
        QVERIFY(report.find("deletion AUC") != std::string::npos);
        QVERIFY(report.find("ROAD MoRF") != std::string::npos);
        QVERIFY(report.find("Robustness was not measured") != std::string::npos);
    }

    // `study --robustness`: each new map's max- and average sensitivity, as metrics::sensitivity gives
    // them when the network explains the scan (at its input size) and its noisy copies again.
    void robustnessIsMeasuredWhenAsked() {
        ProjectDatabase project(root_ / "robustness.sqlite");
        StudyOptions options{.data = data_, .checkpoints = {small_}, .methods = {explain::Method::GradCam, explain::Method::GuidedBackprop}};
        options.robustness = true;
        NullProgress quiet;
        runStudy(project, options, quiet);
        models::Checkpoint checkpoint = models::loadCheckpoint(small_);
        explain::Explainer explainer(*checkpoint.model);
        const auto scans = project.scans();
        int measured = 0;
        for (const auto& m : project.maps()) {
            if (m.scanId != scans.front().id)
                continue;
            const auto method = *explain::parseMethod(m.method);
            explain::ExplainOptions explainOptions;
            explainOptions.methods = {method};
            explainOptions.targetClasses = {m.targetClass};
            const cv::Mat rgb = readScan(data_ / scans.front().path).rgb;
            cv::Mat seen;
            cv::resize(rgb, seen, cv::Size(m.width, m.height), 0, 0, cv::INTER_AREA);
            const auto expected = metrics::sensitivity(seen, [&](const cv::Mat& image) {
                return analysisMap(*explainer.explain({image}, checkpoint.card, explainOptions)[0].find(method));
            });
            QVERIFY(m.measures.maxSensitivity && m.measures.averageSensitivity && expected.maximum);
            QVERIFY(std::abs(*m.measures.maxSensitivity - *expected.maximum) < 1e-6);
            QVERIFY(std::abs(*m.measures.averageSensitivity - *expected.average) < 1e-6);
            QVERIFY(*m.measures.averageSensitivity > 0 && *m.measures.averageSensitivity <= *m.measures.maxSensitivity);
            QVERIFY(!m.measures.deletionAuc);
            ++measured;
        }
        QCOMPARE(measured, 2);
        const StudyStatistics statistics = computeStatistics(project);
        QCOMPARE(statistics.modelMethods.front().maxSensitivity.n, std::size_t(8));
        writeReport(statistics, root_ / "robustness-report");
        std::ifstream in(root_ / "robustness-report" / "report.md");
        const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        QVERIFY(report.find("max-sensitivity") != std::string::npos);
        QVERIFY(report.find("Faithfulness\n\nNot measured") != std::string::npos);
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

    // ---- the report (issue 6) ----

    void annotatorAgreementIsKappaPerPairAndMap() {
        ProjectDatabase project(root_ / "agreement.sqlite");
        const TinyProject t = fillProject(project, 10, {"m1", "m2"});
        const Verdict C = Verdict::Correct, I = Verdict::Incorrect, U = Verdict::Unsure;
        // m1 x Grad-CAM, the default annotator ("") against "dr b": the table
        //   [[4, 1, 0], [1, 2, 0], [0, 1, 1]]: p_o = 0.7, p_e = .5 * .5 + .3 * .4 + .2 * .1 = .39,
        //   kappa = .31 / .61 = 0.508197
        const std::vector<std::pair<Verdict, Verdict>> m1 = {{C, C}, {C, C}, {C, C}, {C, C}, {C, I},
                                                             {I, C}, {I, I}, {I, I}, {U, I}, {U, U}};
        for (std::size_t i = 0; i < m1.size(); ++i) {
            project.setAnnotation({{t.scans[i], t.models[0], "gradcam", ""}, m1[i].first, ""});
            project.setAnnotation({{t.scans[i], t.models[0], "gradcam", "dr b"}, m1[i].second, ""});
        }
        // m2 x CAM: both say correct to all four (p_e = 1: kappa undefined, agreement 100%); a fifth
        // map judged by one annotator only does not count.
        for (std::size_t i = 0; i < 4; ++i) {
            project.setAnnotation({{t.scans[i], t.models[1], "cam", ""}, C, ""});
            project.setAnnotation({{t.scans[i], t.models[1], "cam", "dr b"}, C, ""});
        }
        project.setAnnotation({{t.scans[4], t.models[1], "cam", ""}, I, ""});
        // A third reader with one map.
        project.setAnnotation({{t.scans[0], t.models[0], "gradcam", "carol"}, C, ""});

        const StudyStatistics s = computeStatistics(project);
        QCOMPARE(s.annotators, (std::vector<std::string>{"", "carol", "dr b"}));
        QCOMPARE(s.modelMethods.size(), std::size_t(2));                    // m1 x gradcam, m2 x cam
        QCOMPARE(s.modelMethods[0].judgedCorrect, std::size_t(5 + 5 + 1));  // unchanged: every annotator
        QCOMPARE(s.annotatorAgreement.size(), std::size_t(3 * 3));          // 3 pairs x (pooled + 2)
        auto find = [&](const std::string& a, const std::string& b, const std::string& model) {
            return *std::find_if(s.annotatorAgreement.begin(), s.annotatorAgreement.end(),
                                 [&](const AnnotatorAgreement& r) {
                                     return r.first == a && r.second == b && r.model == model;
                                 });
        };
        QCOMPARE(s.annotatorAgreement[0].first, std::string(""));
        QCOMPARE(s.annotatorAgreement[0].second, std::string("carol"));
        QVERIFY(s.annotatorAgreement[0].pooled());

        const AnnotatorAgreement gradCam = find("", "dr b", "m1");
        QCOMPARE(gradCam.method, std::string("gradcam"));
        QCOMPARE(gradCam.table, (metrics::AgreementTable{{4, 1, 0}, {1, 2, 0}, {0, 1, 1}}));
        QCOMPARE(gradCam.maps, std::size_t(10));
        QCOMPARE(gradCam.agreed, std::size_t(7));
        QVERIFY(near(gradCam.observedAgreement(), 0.7, 1e-15));
        QVERIFY(gradCam.kappa.has_value());
        QVERIFY(near(gradCam.kappa->expected, 0.39, 1e-15));
        QVERIFY(near(gradCam.kappa->kappa, 0.31 / 0.61, 1e-14));
        QVERIFY(near(gradCam.kappa->standardError, 0.23230666371668543, 1e-12));  // python, FCE formula

        const AnnotatorAgreement cam = find("", "dr b", "m2");
        QCOMPARE(cam.maps, std::size_t(4));
        QCOMPARE(cam.agreed, std::size_t(4));
        QCOMPARE(cam.observedAgreement(), std::optional<double>(1.0));
        QVERIFY(!cam.kappa);

        // Pooled over both: [[8, 1, 0], [1, 2, 0], [0, 1, 1]], kappa = 59/101.
        const AnnotatorAgreement pooled = find("", "dr b", "");
        QVERIFY(pooled.pooled());
        QCOMPARE(pooled.maps, std::size_t(14));
        QCOMPARE(pooled.agreed, std::size_t(11));
        QVERIFY(near(pooled.kappa->kappa, 59.0 / 101.0, 1e-14));
        QVERIFY(near(pooled.kappa->standardError, 0.19884014407905842, 1e-12));

        const AnnotatorAgreement carol = find("", "carol", "");
        QCOMPARE(carol.maps, std::size_t(1));
        QVERIFY(!carol.kappa);  // one map, one verdict: chance agreement is certain
        QCOMPARE(find("carol", "dr b", "m2").maps, std::size_t(0));

        // The table as written: one row per agreement row, the counts in verdict order.
        const std::string csv = annotatorAgreementCsv(s).text();
        QVERIFY(
            csv.starts_with("first_annotator,second_annotator,model,method,maps,agreed,observed_agreement,"
                            "expected_agreement,kappa,kappa_se,kappa_low,kappa_high,correct_correct,"));
        QVERIFY2(csv.find("\n,dr b,m1,gradcam,10,7,0.7,0.39,0.508197,0.232307,") != std::string::npos,
                 csv.c_str());
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(1 + 9));
        const std::string md = annotatorAgreementMarkdown(s);
        QVERIFY2(
            md.find("| (default) and dr b | all | all | 14 | 78.6% (11/14) | 0.58 (") != std::string::npos,
            md.c_str());
    }

    void seedTablesHaveTheSeedsShape() {
        // The seed's manual test: Grad-CAM maps judged correct of 483 test images.
        StudyStatistics s;
        for (const auto& name : {"ResNet", "CNN", "VGG", "EfficientNet"})
            s.models.push_back({.id = static_cast<std::int64_t>(s.models.size() + 1), .name = name});
        auto judged = [&](const char* model, const char* method, std::size_t correct, std::size_t incorrect) {
            ModelMethodStatistics r;
            r.model = model;
            r.method = method;
            r.judgedCorrect = correct;
            r.judgedIncorrect = incorrect;
            r.judgedUnsure = 2;
            s.modelMethods.push_back(r);
        };
        judged("ResNet", "cam", 10, 0);  // another method: not in table 1
        judged("ResNet", "gradcam", 454, 29);
        judged("CNN", "gradcam", 483, 0);
        judged("VGG", "gradcam", 452, 31);
        judged("EfficientNet", "gradcam", 474, 9);
        auto pair = [&](const char* method, const char* a, const char* b, double iou, double distance) {
            s.modelPairs.push_back({PairKind::Models, method, a, b,
                                    metrics::summarise(std::vector<double>{iou, iou + 0.1}),
                                    metrics::summarise(std::vector<double>{distance})});
        };
        pair("gradcam", "CNN", "ResNet", 0.55, 0.2);  // stored in name order
        pair("cam", "CNN", "ResNet", 0.75, 0.1);
        pair("gradcam", "ResNet", "VGG", 0.45, 0.29);

        const SeedTables t = seedTables(s);
        QCOMPARE(t.judgedCorrect.size(), std::size_t(4));
        QCOMPARE(t.judgedCorrect[0].network, std::string("ResNet"));
        QCOMPARE(t.judgedCorrect[0].cell(), std::string("454 (94%)"));  // 454/483 = 93.996%
        QCOMPARE(t.judgedCorrect[1].cell(), std::string("483 (100%)"));
        QCOMPARE(t.judgedCorrect[2].cell(), std::string("452 (93.58%)"));
        QCOMPARE(t.judgedCorrect[3].cell(), std::string("474 (98.14%)"));
        QCOMPARE(t.judgedCorrect[0].judged, std::size_t(483));
        QCOMPARE(t.judgedCorrect[0].unsure, std::size_t(2));
        QCOMPARE(seedPercent(0.5), std::string("50%"));
        QCOMPARE(seedPercent(0.1234), std::string("12.34%"));
        QCOMPARE(seedPercent(0.125), std::string("12.5%"));

        // Six pairs of four networks, in the project's order, found whichever way they were stored.
        QCOMPARE(t.iou.size(), std::size_t(6));
        QCOMPARE(t.iou[0].first, std::string("ResNet"));
        QCOMPARE(t.iou[0].second, std::string("CNN"));
        QVERIFY(near(t.iou[0].gradCam.mean, 0.6, 1e-12));  // mean of 0.55 and 0.65
        QVERIFY(near(t.iou[0].cam.mean, 0.8, 1e-12));
        QCOMPARE(t.iou[0].gradCam.n, std::size_t(2));
        QVERIFY(near(t.centreDistance[0].gradCam.mean, 0.2, 1e-12));
        QCOMPARE(t.iou[1].second, std::string("VGG"));
        QVERIFY(!t.iou[1].cam.mean);  // no CAM pair stored for it: an empty cell, not 0
        QCOMPARE(t.iou[5].first, std::string("VGG"));
        QCOMPARE(t.iou[5].second, std::string("EfficientNet"));

        const auto files = writeSeedTables(t, root_ / "seed");
        QCOMPARE(files.size(), std::size_t(3));
        QCOMPARE(files[0].filename().string(), std::string("seed_table1_judged_correct.csv"));
        QCOMPARE(readText(files[0]),
                 std::string("network,correctly_computed_saliency_maps_gradcam,correct,judged,share,unsure\n"
                             "ResNet,454 (94%),454,483,0.939959,2\n"
                             "CNN,483 (100%),483,483,1,2\n"
                             "VGG,452 (93.58%),452,483,0.935818,2\n"
                             "EfficientNet,474 (98.14%),474,483,0.981366,2\n"));
        const std::string iou = readText(files[1]);
        QVERIFY(iou.starts_with("network_pair,cam,gradcam,first_network,second_network,cam_std,cam_n,"));
        QVERIFY2(
            iou.find("\nResNet vs CNN,0.8,0.6,ResNet,CNN,0.0707107,2,0,0.0707107,2,0\n") != std::string::npos,
            iou.c_str());
        QVERIFY2(iou.find("\nResNet vs VGG,,0.5,ResNet,VGG,,0,0,") != std::string::npos, iou.c_str());
        QVERIFY(readText(files[2]).find("\nResNet vs CNN,0.1,0.2,ResNet,CNN,") != std::string::npos);
        const std::string md = seedTablesMarkdown(t);
        QVERIFY(md.find("| Network | Correctly computed saliency maps (Grad-CAM) | n (judged) |") !=
                std::string::npos);
        QVERIFY(md.find("| VGG | 452 (93.58%) | 483 |") != std::string::npos);
        QVERIFY(md.find("| Network pair | CAM | Grad-CAM |") != std::string::npos);
    }

    // The numbers the statistics charts draw (the chart library reduces these, ui/charts): what a
    // study of the data set stores, with verdicts, masks and pairs counted as a reader would.
    void statisticsBehindTheChartsHoldTheStudysNumbers() {
        ProjectDatabase project(root_ / "charts.sqlite");
        NullProgress quiet;
        runStudy(project, {.data = data_, .checkpoints = {small_, large_}, .batchSize = 8}, quiet);
        const std::size_t methods = explain::allMethods().size();
        {
            // Before any verdict: nothing judged, every map counted, the four tumour scans' masks seen.
            const StudyStatistics s = computeStatistics(project);
            QCOMPARE(s.scans, std::size_t(8));
            QCOMPARE(s.scansWithMask, std::size_t(4));
            QCOMPARE(s.modelMethods.size(), 2 * methods);
            for (const auto& r : s.modelMethods) {
                QCOMPARE(r.maps, std::size_t(8));
                QCOMPARE(r.judgedCorrect + r.judgedIncorrect, std::size_t(0));
                QVERIFY(r.nonEmpty <= r.available);
                if (r.available > 0)
                    QCOMPARE(r.withMask, std::size_t(4));
            }
        }
        // Verdicts on the Grad-CAM maps of both networks: tumour scans correct, healthy ones not.
        const auto models = project.models();
        for (const auto& scan : project.scans()) {
            for (const auto& model : models) {
                const Verdict v = scan.classIndex == 0 ? Verdict::Correct : Verdict::Incorrect;
                project.setAnnotation({{scan.id, model.id, "gradcam", ""}, v, ""});
            }
        }
        const StudyStatistics s = computeStatistics(project);
        const auto maps = project.maps();
        const auto pairs = project.pairs();
        for (const auto& r : s.modelMethods) {
            if (r.method != "gradcam") {
                QVERIFY(!r.judgedCorrectShare());  // nobody judged them: no bar, not a zero
                continue;
            }
            QCOMPARE(r.judgedCorrect, std::size_t(4));  // four tumour scans of eight
            QCOMPARE(r.judgedIncorrect, std::size_t(4));
            QVERIFY(near(*r.judgedCorrectShare(), 0.5, 1e-12));
            QCOMPARE(r.predictions, std::size_t(8));
        }
        // The heat maps: every pair of the two networks per method, every pair of methods per network,
        // each the mean over the scans of the stored pair rows.
        QCOMPARE(s.modelPairs.size(), methods);
        QCOMPARE(s.methodPairs.size(), 2 * methods * (methods - 1) / 2);
        for (const auto& pair : s.modelPairs) {
            std::vector<double> values;
            std::size_t undefined = 0;
            for (const auto& p : pairs) {
                const auto& first = *std::find_if(maps.begin(), maps.end(),
                                                  [&](const MapRecord& m) { return m.id == p.firstMapId; });
                if (p.kind != PairKind::Models || first.method != pair.group)
                    continue;
                if (p.iou)
                    values.push_back(*p.iou);
                else
                    ++undefined;
            }
            QCOMPARE(pair.iou.n + pair.iou.nUndefined, std::size_t(8));
            QCOMPARE(pair.iou.n, values.size());
            QCOMPARE(pair.iou.nUndefined, undefined);
            if (!values.empty())
                QVERIFY(near(*pair.iou.mean,
                             std::accumulate(values.begin(), values.end(), 0.0) / values.size(), 1e-9));
        }
        // Mask agreement: the maps of scans with a mask, IoU and pointing game where defined.
        for (const auto& r : s.modelMethods) {
            std::size_t withIou = 0, played = 0;
            for (const auto& m : maps) {
                if (m.modelId != std::find_if(models.begin(), models.end(),
                                              [&](const auto& x) { return x.name == r.model; })
                                     ->id ||
                    m.method != r.method || !m.available)
                    continue;
                withIou += m.measures.maskIou ? 1 : 0;
                played += m.measures.pointingHit ? 1 : 0;
            }
            QCOMPARE(r.maskIou.n, withIou);
            QCOMPARE(r.pointingPlayed, played);
        }
    }

    void saveAsWritesAConsistentCopy() {
        const fs::path file = root_ / "original.sqlite";
        ProjectDatabase project(file);
        const TinyProject t = fillProject(project, 5, {"m1"});
        for (std::size_t i = 0; i < t.scans.size(); ++i)
            project.setAnnotation(
                {{t.scans[i], t.models[0], "gradcam", ""}, Verdict::Correct, "n" + std::to_string(i)});
        // Another connection writes too (the GUI and a second reader): the copy has every commit,
        // also those still in the write-ahead log.
        {
            ProjectDatabase other(file, OpenMode::ExistingOnly);
            other.setAnnotation({{t.scans[0], t.models[0], "gradcam", "dr b"}, Verdict::Unsure, ""});
        }
        QVERIFY(fs::exists(root_ / "original.sqlite-wal"));
        const auto expected = project.annotations();
        QCOMPARE(expected.size(), std::size_t(6));

        // Over an existing file whose stale write-ahead log would otherwise be replayed into the copy.
        const fs::path copy = root_ / "copy.sqlite";
        std::ofstream(copy) << "an old file";
        std::ofstream(root_ / "copy.sqlite-wal") << "a stale log";
        project.saveAs(copy);
        QVERIFY(!fs::exists(root_ / "copy.sqlite.part"));
        QVERIFY(!fs::exists(root_ / "copy.sqlite-wal"));
        QCOMPARE(queryText(copy, "PRAGMA integrity_check"), std::string("ok"));
        QCOMPARE(queryInteger(copy, "PRAGMA application_id"), 0x53414c53);
        {
            ProjectDatabase saved(copy, OpenMode::ExistingOnly);
            const auto annotations = saved.annotations();
            QCOMPARE(annotations.size(), expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i) {
                QCOMPARE(annotations[i].key.annotator, expected[i].key.annotator);
                QCOMPARE(annotations[i].verdict, expected[i].verdict);
                QCOMPARE(annotations[i].note, expected[i].note);
                QCOMPARE(annotations[i].time, expected[i].time);
            }
            QCOMPARE(saved.scans().size(), std::size_t(5));
            QCOMPARE(queryText(copy, "PRAGMA journal_mode"), std::string("wal"));
        }
        // The original stays open and in use; the copy is independent of it.
        project.setAnnotation({{t.scans[1], t.models[0], "gradcam", "dr b"}, Verdict::Incorrect, ""});
        QCOMPARE(ProjectDatabase(copy, OpenMode::ExistingOnly).annotations().size(), std::size_t(6));

        // Never over the open file itself (by any spelling), nor into a missing folder.
        QVERIFY(errorOf([&] { project.saveAs(file); }).find("over itself") != std::string::npos);
        QVERIFY(errorOf([&] { project.saveAs(root_ / "." / "original.sqlite"); }).find("over itself") !=
                std::string::npos);
        QVERIFY(!errorOf([&] { project.saveAs(root_ / "no-such-folder" / "x.sqlite"); }).empty());
        QVERIFY(!fs::exists(root_ / "no-such-folder"));
        QCOMPARE(project.annotations().size(), std::size_t(7));
    }

  private:
    QTemporaryDir dir_;
    fs::path root_, data_, small_, large_;
};

QTEST_GUILESS_MAIN(TestStudy)
#include "test_study.moc"
