#include "study/ProjectDatabase.h"

#include "study/GroundTruth.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/AtomicFile.h"
#include "common/BoundedJson.h"
#include "common/Error.h"
#include "common/Utf8.h"
#include "study/Schema.h"

namespace fs = std::filesystem;

namespace saliency::study {

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// SQLite opens anything and fails at the first query with "file is not a database"; checking
// the 16-byte header first gives a message that says what the file is instead.
void requireSqliteFile(const fs::path& file, OpenMode mode) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        if (mode != OpenMode::CreateIfMissing)
            throw FileError(file, "the project file does not exist");
        return;
    }
    if (fs::is_directory(file, ec))
        throw FileError(file, "a folder, not a project file");
    if (fs::file_size(file, ec) == 0) {
        // SQLite would treat it as a new database; only a command that creates projects may.
        if (mode != OpenMode::CreateIfMissing)
            throw FileError(file, "the file is empty (0 bytes), not a Saliency Studio project");
        return;
    }
    char header[16] = {};
    std::ifstream in(file, std::ios::binary);
    in.read(header, sizeof header);
    if (!in || std::memcmp(header, "SQLite format 3", 16) != 0)
        throw FileError(file, "not a Saliency Studio project (not an SQLite database)");
}

Access accessFor(OpenMode mode) {
    switch (mode) {
        case OpenMode::CreateIfMissing:
            return Access::Create;
        case OpenMode::ExistingOnly:
            return Access::ReadWrite;
        case OpenMode::ReadOnly:
            break;
    }
    return Access::ReadOnly;
}

Connection openProject(const fs::path& file, OpenMode mode) {
    requireSqliteFile(file, mode);
    return Connection(file, accessFor(mode));
}

// What prepareSchema checks, without writing anything: a read-only project cannot be migrated.
void checkReadOnlySchema(Connection& connection) {
    const std::int64_t application = connection.queryInteger("PRAGMA application_id");
    if (application != kApplicationId) {
        throw FileError(connection.file(),
                        "an SQLite database, but not a Saliency Studio project (application id " +
                            std::to_string(application) + ")");
    }
    const std::int64_t version = connection.queryInteger("PRAGMA user_version");
    if (version > kSchemaVersion) {
        throw FileError(connection.file(), "written by a newer Saliency Studio (project schema version " +
                                               std::to_string(version) + "; this build reads up to " +
                                               std::to_string(kSchemaVersion) + ")");
    }
    if (version < kSchemaVersion) {
        throw FileError(connection.file(), "an older project (schema version " + std::to_string(version) +
                                               "): open it once where it can be written, to migrate it");
    }
}

// Names come from CSV files, dialogs and file names; JSON, Markdown and the GUI need valid UTF-8.
void requireUtf8(const std::string& text, const std::string& what) {
    if (const auto at = firstInvalidUtf8(text))
        throw Error(what + " is not valid UTF-8 (byte " + std::to_string(*at + 1) + ")");
}

std::string floatsToJson(const std::vector<float>& values) {
    return nlohmann::json(values).dump();
}

std::vector<float> floatsFromJson(const std::string& text) {
    return parseBoundedJsonAs<std::vector<float>>(text, "a list of numbers in the project");
}

// A list of numbers that may be undefined: [0.42, null, 0.1].
std::optional<std::string> optionalsToJson(const std::vector<std::optional<double>>& values) {
    if (values.empty())
        return std::nullopt;
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : values)
        out.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
    return out.dump();
}

std::vector<std::optional<double>> optionalsFromJson(const std::optional<std::string>& text) {
    std::vector<std::optional<double>> out;
    if (!text)
        return out;
    const nlohmann::json values = parseBoundedJson(*text);
    if (!values.is_array())
        throw Error("unexpected JSON (a list of IoUs in the project): not a list");
    for (const auto& v : values) {
        if (!v.is_null() && !v.is_number())
            throw Error("unexpected JSON (a list of IoUs in the project): " + v.dump());
        out.push_back(v.is_null() ? std::nullopt : std::optional(v.get<double>()));
    }
    return out;
}

metrics::Binarisation binarisationFrom(const std::string& mode, double value) {
    if (mode == "top")
        return metrics::Binarisation::top(value);
    if (mode == "otsu")
        return metrics::Binarisation::otsu();
    return metrics::Binarisation::atLevel(value);
}

ModelRecord modelFrom(const Statement& s) {
    return {s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
}

constexpr const char* kModelColumns =
    "SELECT id, name, checkpoint_path, architecture, card, fingerprint, added FROM models";

ScanRecord scanFrom(const Statement& s) {
    return {
        s.integer(0),      s.text(1),         static_cast<int>(s.integer(2)), s.text(3),
        s.optionalText(4), s.optionalText(5), static_cast<int>(s.integer(6)), static_cast<int>(s.integer(7)),
        s.text(8)};
}

constexpr const char* kScanColumns =
    "SELECT id, path, class_index, class_name, split_part, mask_path, width, height, fingerprint FROM scans";

Annotation annotationFrom(const Statement& s) {
    Annotation a;
    a.key = {s.integer(0), s.integer(1), s.text(2), s.text(3)};
    a.verdict = parseVerdict(s.text(4)).value_or(Verdict::Unsure);
    a.note = s.text(5);
    a.time = s.text(6);
    return a;
}

constexpr const char* kAnnotationColumns =
    "SELECT scan_id, model_id, method, annotator, verdict, note, time FROM annotations";

// "cnn4-demo", then "cnn4-demo (2)", ... until the name is free.
std::string uniqueModelName(Connection& connection, const std::string& wanted) {
    const std::string base = wanted.empty() ? "model" : wanted;
    Statement taken(connection, "SELECT 1 FROM models WHERE name = ?");
    for (int n = 1;; ++n) {
        const std::string name = n == 1 ? base : base + " (" + std::to_string(n) + ")";
        taken.reset();
        taken.bind(1, name);
        if (!taken.step())
            return name;
    }
}

// Says which id is unknown, where the foreign key would only say "constraint failed".
void requireRow(Connection& connection, const std::string& table, std::int64_t id) {
    Statement s(connection, "SELECT 1 FROM " + table + " WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) {
        throw Error("the project " + connection.file().string() + " has no " +
                    table.substr(0, table.size() - 1) + " with id " + std::to_string(id));
    }
}

std::optional<ModelRecord> findModel(Connection& connection, const char* column, const std::string& value) {
    Statement find(connection, std::string(kModelColumns) + " WHERE " + column + " = ?");
    find.bind(1, value);
    if (!find.step())
        return std::nullopt;
    return modelFrom(find);
}

// Whether any prediction, map or annotation refers to the model.
bool modelHasResults(Connection& connection, std::int64_t modelId) {
    Statement s(connection,
                "SELECT EXISTS (SELECT 1 FROM predictions WHERE model_id = ?1) OR "
                "EXISTS (SELECT 1 FROM maps WHERE model_id = ?1) OR "
                "EXISTS (SELECT 1 FROM annotations WHERE model_id = ?1)");
    s.bind(1, modelId);
    s.step();
    return s.integer(0) != 0;
}

void removeIfPresent(const fs::path& file) {
    std::error_code ec;
    fs::remove(file, ec);
    if (ec)
        throw FileError(file, "cannot remove it: " + ec.message());
}

fs::path withSuffix(const fs::path& file, const char* suffix) {
    fs::path out = file;
    out += suffix;
    return out;
}

// SQLite does not sync what VACUUM INTO writes; the rename must not reach the disk before the data.
void syncToDisk(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0)
        throw FileError(path, std::string("cannot open it to sync: ") + std::strerror(errno));
    const int code = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (code != 0)
        throw FileError(path, std::string("cannot sync it to disk: ") + std::strerror(error));
}

bool sameFile(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::exists(a, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

ProjectDatabase::ProjectDatabase(const fs::path& file, OpenMode mode) : connection_(openProject(file, mode)) {
    if (mode == OpenMode::ReadOnly) {
        connection_.execute("PRAGMA busy_timeout = 10000");
        checkReadOnlySchema(connection_);
    } else {
        prepareSchema(connection_);
    }
    checkReferences(connection_);
}

void ProjectDatabase::saveAs(const fs::path& target) {
    if (sameFile(target, file()))
        throw Error("cannot save the project " + file().string() + " over itself: choose another file");
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw FileError(target, "a folder, not a project file");
    replaceFileAtomically(target, [&](const fs::path& temporary) {
        removeIfPresent(temporary);  // VACUUM INTO refuses an existing file (a crashed earlier copy)
        Statement(connection_, "VACUUM INTO ?").bind(1, temporary.string()).run();
        syncToDisk(temporary, O_RDONLY);
        // Stale files of a replaced project would be taken for the copy's own journal.
        removeIfPresent(withSuffix(target, "-wal"));
        removeIfPresent(withSuffix(target, "-shm"));
    });
    syncToDisk(fs::absolute(target).parent_path(), O_RDONLY | O_DIRECTORY);
}

// ---- the project ----

ProjectInfo ProjectDatabase::info() {
    Statement s(connection_,
                "SELECT data_root, classes, binarisation_mode, binarisation_value, thumbnail_size, created "
                "FROM project WHERE id = 1");
    if (!s.step())
        throw FileError(file(), "the project row is missing (damaged project file)");
    ProjectInfo info;
    info.dataRoot = s.optionalText(0);
    info.classes = parseBoundedJsonAs<std::vector<std::string>>(s.text(1), "the project's classes");
    info.binarisation = binarisationFrom(s.text(2), s.real(3));
    info.thumbnailSize = static_cast<int>(s.integer(4));
    info.created = s.text(5);
    info.schemaVersion = static_cast<int>(connection_.queryInteger("PRAGMA user_version"));
    return info;
}

void ProjectDatabase::bindDataSet(const fs::path& root, const std::vector<std::string>& classes) {
    Transaction transaction(connection_);
    const ProjectInfo current = info();
    const std::string wanted = root.generic_string();
    if (!current.dataRoot) {
        Statement(connection_, "UPDATE project SET data_root = ?, classes = ? WHERE id = 1")
            .bindAll(wanted, nlohmann::json(classes).dump())
            .run();
        transaction.commit();
        return;
    }
    if (*current.dataRoot != wanted) {
        throw Error("the project " + file().string() + " studies the data set " + *current.dataRoot +
                    ", not " + wanted + ": use another project file for another data set");
    }
    if (current.classes != classes) {
        throw Error("the data set's class folders have changed since the project " + file().string() +
                    " was made (" + nlohmann::json(current.classes).dump() + " then, " +
                    nlohmann::json(classes).dump() + " now)");
    }
    // Nothing to write; the transaction rolls back.
}

// ---- models ----

ModelRecord ProjectDatabase::registerModel(const ModelRecord& candidate) {
    Transaction transaction(connection_);
    if (auto same = findModel(connection_, "fingerprint", candidate.fingerprint)) {
        if (same->checkpointPath != candidate.checkpointPath) {
            Statement(connection_, "UPDATE models SET checkpoint_path = ? WHERE id = ?")
                .bindAll(candidate.checkpointPath, same->id)
                .run();
            same->checkpointPath = candidate.checkpointPath;
        }
        transaction.commit();
        return *same;
    }
    if (const auto changed = findModel(connection_, "checkpoint_path", candidate.checkpointPath)) {
        // A checkpoint retrained in place (a resumed run) whose old weights nothing refers to yet:
        // the row follows the file. Once maps or marks refer to the old weights it must not.
        if (!modelHasResults(connection_, changed->id)) {
            Statement(connection_,
                      "UPDATE models SET fingerprint = ?, card = ?, architecture = ? WHERE id = ?")
                .bindAll(candidate.fingerprint, candidate.cardJson, candidate.architecture, changed->id)
                .run();
            transaction.commit();
            return *findModel(connection_, "id", std::to_string(changed->id));
        }
        throw Error(
            "the checkpoint " + candidate.checkpointPath + " has changed since the project studied it as '" +
            changed->name +
            "' (different weights): save the new model under another file name, or use a new project");
    }
    // A checkpoint's file stem is bytes on Linux: stored as text that shows what it can.
    const std::string name = uniqueModelName(connection_, validUtf8(candidate.name));
    Statement(connection_, std::string("INSERT INTO models (name, checkpoint_path, architecture, card, "
                                       "fingerprint, added) VALUES (?, ?, ?, ?, ?, ") +
                               kNow + ")")
        .bindAll(name, candidate.checkpointPath, candidate.architecture, candidate.cardJson,
                 candidate.fingerprint)
        .run();
    const std::int64_t id = connection_.lastInsertId();
    transaction.commit();
    return *findModel(connection_, "id", std::to_string(id));
}

std::vector<ModelRecord> ProjectDatabase::models() {
    std::vector<ModelRecord> out;
    Statement s(connection_, std::string(kModelColumns) + " ORDER BY id");
    while (s.step())
        out.push_back(modelFrom(s));
    return out;
}

ModelRecord ProjectDatabase::renameModel(std::int64_t modelId, const std::string& name) {
    const auto first = name.find_first_not_of(" \t");
    const auto last = name.find_last_not_of(" \t");
    if (first == std::string::npos)
        throw Error("a model's name cannot be empty");
    const std::string trimmed = name.substr(first, last - first + 1);
    requireUtf8(trimmed, "the model name");
    Transaction transaction(connection_);
    const auto model = findModel(connection_, "id", std::to_string(modelId));
    if (!model)
        throw Error("the project has no model with id " + std::to_string(modelId));
    if (const auto taken = findModel(connection_, "name", trimmed); taken && taken->id != modelId)
        throw Error("the project already has a model named '" + trimmed + "'");
    Statement(connection_, "UPDATE models SET name = ? WHERE id = ?").bindAll(trimmed, modelId).run();
    transaction.commit();
    return *findModel(connection_, "id", std::to_string(modelId));
}

bool ProjectDatabase::hasResults(std::int64_t modelId) {
    return modelHasResults(connection_, modelId);
}

std::size_t ProjectDatabase::annotationCount(std::int64_t modelId) {
    Statement s(connection_, "SELECT count(*) FROM annotations WHERE model_id = ?");
    s.bindAll(modelId);
    s.step();
    return static_cast<std::size_t>(s.integer(0));
}

void ProjectDatabase::removeModel(std::int64_t modelId) {
    Transaction transaction(connection_);
    const auto model = findModel(connection_, "id", std::to_string(modelId));
    if (!model)
        throw Error("the project has no model with id " + std::to_string(modelId));
    if (const std::size_t marks = annotationCount(modelId); marks > 0)
        throw Error("'" + model->name + "' has " + std::to_string(marks) +
                    " mark(s) by a radiologist; the project keeps a model whose maps were judged");
    Statement studies(connection_,
                      "SELECT DISTINCT rs.study FROM reader_items ri JOIN reader_sessions rs ON rs.id = ri.session_id "
                      "JOIN maps m ON m.id = ri.map_id WHERE m.model_id = ? ORDER BY rs.study");
    studies.bind(1, modelId);
    if (studies.step())
        throw Error("'" + model->name + "' is shown in reader study '" + studies.text(0) +
                    "'; the project keeps a model whose maps a reader study shows");
    // Pairs go with their maps, and maps and predictions with the model (ON DELETE CASCADE).
    Statement(connection_, "DELETE FROM models WHERE id = ?").bindAll(modelId).run();
    transaction.commit();
}

// ---- scans ----

std::int64_t ProjectDatabase::putScan(const ScanRecord& scan) {
    Transaction transaction(connection_);
    Statement s(connection_,
                "INSERT INTO scans (path, class_index, class_name, split_part, mask_path, width, height, "
                "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (path) DO UPDATE SET class_index = excluded.class_index, "
                "class_name = excluded.class_name, split_part = coalesce(excluded.split_part, split_part), "
                "mask_path = excluded.mask_path, width = excluded.width, height = excluded.height, "
                "fingerprint = excluded.fingerprint RETURNING id");
    s.bindAll(scan.path, scan.classIndex, scan.className, scan.splitPart, scan.maskPath, scan.width,
              scan.height, scan.fingerprint);
    if (!s.step())
        connection_.fail("storing scan " + scan.path);
    const std::int64_t id = s.integer(0);
    s.run();  // finish the statement before the transaction ends
    transaction.commit();
    return id;
}

std::optional<ScanRecord> ProjectDatabase::findScan(const std::string& path) {
    Statement s(connection_, std::string(kScanColumns) + " WHERE path = ?");
    s.bind(1, path);
    if (!s.step())
        return std::nullopt;
    return scanFrom(s);
}

std::vector<ScanRecord> ProjectDatabase::scans() {
    std::vector<ScanRecord> out;
    Statement s(connection_, std::string(kScanColumns) + " ORDER BY id");
    while (s.step())
        out.push_back(scanFrom(s));
    return out;
}

// ---- predictions, maps, pairs ----

void ProjectDatabase::putPrediction(const PredictionRecord& p) {
    Transaction transaction(connection_);
    Statement(connection_,
              "INSERT INTO predictions (scan_id, model_id, logits, probabilities, predicted_class, correct) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id, model_id) DO NOTHING")
        .bindAll(p.scanId, p.modelId, floatsToJson(p.logits), floatsToJson(p.probabilities), p.predictedClass,
                 p.correct)
        .run();
    transaction.commit();
}

std::vector<PredictionRecord> ProjectDatabase::predictions() {
    std::vector<PredictionRecord> out;
    Statement s(connection_,
                "SELECT scan_id, model_id, logits, probabilities, predicted_class, correct FROM predictions "
                "ORDER BY scan_id, model_id");
    while (s.step()) {
        out.push_back({s.integer(0), s.integer(1), floatsFromJson(s.text(2)), floatsFromJson(s.text(3)),
                       static_cast<int>(s.integer(4)), s.integer(5) != 0});
    }
    return out;
}

std::int64_t ProjectDatabase::putMap(const MapRecord& m, bool measured) {
    Transaction transaction(connection_);
    // A map measured again against another ground truth (a reader marked the lesion since) gets
    // the new measures; otherwise a stored row is kept as it is.
    const std::string onConflict =
        measured ? "DO UPDATE SET mask_iou = excluded.mask_iou, pointing_hit = excluded.pointing_hit, "
                   "energy_inside = excluded.energy_inside, truth = excluded.truth, "
                   "rank_accuracy = excluded.rank_accuracy, top_k_intersection = excluded.top_k_intersection, "
                   "threshold_ious = excluded.threshold_ious "
                   "WHERE excluded.available = 1 AND maps.truth IS NOT excluded.truth"
                 : "DO NOTHING";
    Statement insert(connection_,
                     "INSERT INTO maps (scan_id, model_id, method, target_class, layer, available, empty, "
                     "message, width, height, centre_x, centre_y, region_area, mask_iou, pointing_hit, "
                     "energy_inside, thumbnail, truth, sparseness, effective_complexity, rank_accuracy, "
                     "top_k_intersection, threshold_ious, deletion_auc, insertion_auc, faithfulness_correlation, "
                     "road_morf, road_lerf, max_sensitivity, average_sensitivity) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (scan_id, model_id, method, target_class, layer) " +
                         onConflict);
    const MapMeasures& x = m.measures;
    insert.bindAll(m.scanId, m.modelId, m.method, m.targetClass, m.layer, m.available, m.empty, m.message,
                   m.width, m.height, x.centreX, x.centreY, x.regionArea, x.maskIou, x.pointingHit,
                   x.energyInside);
    if (m.thumbnailPng.empty())
        insert.bindNull(17);
    else
        insert.bindBlob(17, m.thumbnailPng);
    insert.bind(18, x.truth ? std::optional(truthName(*x.truth)) : std::nullopt);
    insert.bind(19, x.sparseness).bind(20, x.effectiveComplexity).bind(21, x.rankAccuracy);
    insert.bind(22, x.topKIntersection).bind(23, optionalsToJson(x.thresholdIous));
    insert.bind(24, x.deletionAuc).bind(25, x.insertionAuc).bind(26, x.faithfulnessCorrelation);
    insert.bind(27, x.roadMorf).bind(28, x.roadLerf).bind(29, x.maxSensitivity).bind(30, x.averageSensitivity);
    insert.run();
    Statement find(
        connection_,
        "SELECT id FROM maps WHERE scan_id = ? AND model_id = ? AND method = ? AND target_class = ? "
        "AND layer = ?");
    find.bindAll(m.scanId, m.modelId, m.method, m.targetClass, m.layer);
    if (!find.step())
        connection_.fail("storing a map");
    const std::int64_t id = find.integer(0);
    find.run();
    transaction.commit();
    return id;
}

std::vector<MapRecord> ProjectDatabase::maps() {
    std::vector<MapRecord> out;
    Statement s(
        connection_,
        "SELECT id, scan_id, model_id, method, target_class, layer, available, empty, message, width, "
        "height, centre_x, centre_y, region_area, mask_iou, pointing_hit, energy_inside, truth, sparseness, "
        "effective_complexity, rank_accuracy, top_k_intersection, threshold_ious, deletion_auc, insertion_auc, "
        "faithfulness_correlation, road_morf, road_lerf, max_sensitivity, average_sensitivity FROM maps ORDER BY id");
    while (s.step()) {
        MapRecord m;
        m.id = s.integer(0);
        m.scanId = s.integer(1);
        m.modelId = s.integer(2);
        m.method = s.text(3);
        m.targetClass = static_cast<int>(s.integer(4));
        m.layer = s.text(5);
        m.available = s.integer(6) != 0;
        m.empty = s.integer(7) != 0;
        m.message = s.text(8);
        m.width = static_cast<int>(s.integer(9));
        m.height = static_cast<int>(s.integer(10));
        m.measures = {s.optionalReal(11),
                      s.optionalReal(12),
                      s.optionalReal(13),
                      s.optionalReal(14),
                      s.isNull(15) ? std::nullopt : std::optional<bool>(s.integer(15) != 0),
                      s.optionalReal(16),
                      s.isNull(17) ? std::nullopt : parseTruth(s.text(17)),
                      s.optionalReal(18),
                      s.optionalReal(19),
                      s.optionalReal(20),
                      s.optionalReal(21),
                      optionalsFromJson(s.optionalText(22)),
                      s.optionalReal(23),
                      s.optionalReal(24),
                      s.optionalReal(25),
                      s.optionalReal(26),
                      s.optionalReal(27),
                      s.optionalReal(28),
                      s.optionalReal(29)};
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<unsigned char> ProjectDatabase::thumbnailPng(std::int64_t mapId) {
    Statement s(connection_, "SELECT thumbnail FROM maps WHERE id = ?");
    s.bind(1, mapId);
    if (!s.step())
        throw Error("no map " + std::to_string(mapId) + " in the project " + file().string());
    return s.blob(0);
}

bool ProjectDatabase::putPair(const PairRecord& p) {
    Transaction transaction(connection_);
    const int added = Statement(connection_,
                                "INSERT INTO pairs (first_map_id, second_map_id, kind, iou, centre_distance) "
                                "VALUES (?, ?, ?, ?, ?) "
                                "ON CONFLICT (first_map_id, second_map_id) DO NOTHING")
                          .bindAll(p.firstMapId, p.secondMapId, pairKindName(p.kind), p.iou, p.centreDistance)
                          .run();
    transaction.commit();
    return added > 0;
}

std::vector<PairRecord> ProjectDatabase::pairs() {
    std::vector<PairRecord> out;
    Statement s(connection_,
                "SELECT first_map_id, second_map_id, kind, iou, centre_distance FROM pairs "
                "ORDER BY first_map_id, second_map_id");
    while (s.step()) {
        out.push_back({s.integer(0), s.integer(1),
                       s.text(2) == "models" ? PairKind::Models : PairKind::Methods, s.optionalReal(3),
                       s.optionalReal(4)});
    }
    return out;
}

std::map<std::pair<std::string, std::string>, ProjectDatabase::StoredMap> ProjectDatabase::studiedMaps(
    std::int64_t modelId, const std::string& layer) {
    std::map<std::pair<std::string, std::string>, StoredMap> out;
    Statement s(connection_,
                "SELECT s.path, m.method, m.id, m.available FROM maps m JOIN scans s ON s.id = m.scan_id "
                "JOIN predictions p ON p.scan_id = m.scan_id AND p.model_id = m.model_id "
                "WHERE m.model_id = ? AND m.layer = ? AND m.target_class = p.predicted_class");
    s.bindAll(modelId, layer);
    while (s.step())
        out[{s.text(0), s.text(1)}] = {s.integer(2), s.integer(3) != 0};
    return out;
}

std::set<std::pair<std::int64_t, std::int64_t>> ProjectDatabase::pairKeys() {
    std::set<std::pair<std::int64_t, std::int64_t>> out;
    Statement s(connection_, "SELECT first_map_id, second_map_id FROM pairs");
    while (s.step())
        out.emplace(s.integer(0), s.integer(1));
    return out;
}

// ---- annotations ----

Annotation ProjectDatabase::setAnnotation(const Annotation& a) {
    requireUtf8(a.key.annotator, "the annotator's name");
    requireUtf8(a.key.method, "the method");
    requireUtf8(a.note, "the note");
    Transaction transaction(connection_);
    Statement s(connection_, std::string("INSERT INTO annotations (scan_id, model_id, method, annotator, "
                                         "verdict, note, time) VALUES (?, ?, ?, ?, ?, ?, ") +
                                 kNow +
                                 ") ON CONFLICT (scan_id, model_id, method, annotator) DO UPDATE SET "
                                 "verdict = excluded.verdict, note = excluded.note, time = excluded.time");
    s.bindAll(a.key.scanId, a.key.modelId, a.key.method, a.key.annotator, verdictName(a.verdict), a.note);
    requireRow(connection_, "scans", a.key.scanId);
    requireRow(connection_, "models", a.key.modelId);
    s.run();
    transaction.commit();
    return *annotation(a.key);
}

std::optional<Annotation> ProjectDatabase::annotation(const AnnotationKey& key) {
    Statement s(connection_, std::string(kAnnotationColumns) +
                                 " WHERE scan_id = ? AND model_id = ? AND method = ? AND annotator = ?");
    s.bindAll(key.scanId, key.modelId, key.method, key.annotator);
    if (!s.step())
        return std::nullopt;
    return annotationFrom(s);
}

std::vector<Annotation> ProjectDatabase::annotations() {
    std::vector<Annotation> out;
    Statement s(connection_,
                std::string(kAnnotationColumns) + " ORDER BY scan_id, model_id, method, annotator");
    while (s.step())
        out.push_back(annotationFrom(s));
    return out;
}

bool ProjectDatabase::removeAnnotation(const AnnotationKey& key) {
    Transaction transaction(connection_);
    const int removed = Statement(connection_,
                                  "DELETE FROM annotations WHERE scan_id = ? AND model_id = ? AND method = ? "
                                  "AND annotator = ?")
                            .bindAll(key.scanId, key.modelId, key.method, key.annotator)
                            .run();
    transaction.commit();
    return removed > 0;
}

// ---- reader studies ----

std::int64_t ProjectDatabase::addReaderSession(const ReaderSessionRecord& session,
                                               const std::vector<ReaderItemRecord>& items) {
    requireUtf8(session.study, "the study's name");
    requireUtf8(session.reader, "the reader's name");
    Transaction transaction(connection_);
    Statement exists(connection_, "SELECT count(*) FROM reader_sessions WHERE study = ? AND reader = ?");
    exists.bindAll(session.study, session.reader);
    if (exists.step() && exists.integer(0) > 0)
        throw Error("the reader study '" + session.study + "' already has a session for " + session.reader);
    Statement add(connection_, std::string("INSERT INTO reader_sessions (study, reader, seed, repeat_share, "
                                           "created) VALUES (?, ?, ?, ?, ") +
                                   kNow + ")");
    add.bindAll(session.study, session.reader, static_cast<std::int64_t>(session.seed), session.repeatShare);
    add.run();
    const std::int64_t id = connection_.lastInsertId();
    Statement item(connection_,
                   "INSERT INTO reader_items (session_id, position, map_id, label, repeat_of) VALUES (?, ?, ?, ?, ?)");
    for (const auto& i : items) {
        item.reset();
        item.bindAll(id, i.position, i.mapId, i.label);
        item.bind(5, i.repeatOf ? std::optional<std::int64_t>(*i.repeatOf) : std::nullopt);
        item.run();
    }
    transaction.commit();
    return id;
}

std::vector<ReaderSessionRecord> ProjectDatabase::readerSessions() {
    std::vector<ReaderSessionRecord> out;
    Statement s(connection_,
                "SELECT r.id, r.study, r.reader, r.seed, r.repeat_share, r.created, count(i.position), "
                "count(i.verdict) FROM reader_sessions r LEFT JOIN reader_items i ON i.session_id = r.id "
                "GROUP BY r.id ORDER BY r.study, r.reader");
    while (s.step()) {
        out.push_back({s.integer(0), s.text(1), s.text(2), static_cast<std::uint64_t>(s.integer(3)), s.real(4),
                       s.text(5), static_cast<std::size_t>(s.integer(6)), static_cast<std::size_t>(s.integer(7))});
    }
    return out;
}

std::vector<ReaderItemRecord> ProjectDatabase::readerItems(std::int64_t sessionId) {
    std::vector<ReaderItemRecord> out;
    Statement s(connection_,
                "SELECT i.position, i.map_id, i.label, i.repeat_of, i.verdict, i.confidence, i.note, i.seconds, "
                "i.time, m.scan_id, sc.path, m.model_id, m.method, m.target_class, m.layer FROM reader_items i "
                "JOIN maps m ON m.id = i.map_id JOIN scans sc ON sc.id = m.scan_id "
                "WHERE i.session_id = ? ORDER BY i.position");
    s.bindAll(sessionId);
    while (s.step()) {
        ReaderItemRecord item;
        item.position = static_cast<int>(s.integer(0));
        item.mapId = s.integer(1);
        item.label = s.text(2);
        if (const auto of = s.optionalInteger(3))
            item.repeatOf = static_cast<int>(*of);
        if (const auto verdict = s.optionalText(4))
            item.verdict = parseVerdict(*verdict);
        if (const auto confidence = s.optionalInteger(5))
            item.confidence = static_cast<int>(*confidence);
        item.note = s.text(6);
        item.seconds = s.optionalReal(7);
        item.time = s.optionalText(8);
        item.scanId = s.integer(9);
        item.scanPath = s.text(10);
        item.modelId = s.integer(11);
        item.method = s.text(12);
        item.targetClass = static_cast<int>(s.integer(13));
        item.layer = s.text(14);
        out.push_back(std::move(item));
    }
    return out;
}

void ProjectDatabase::setReaderJudgement(std::int64_t sessionId, int position, Verdict verdict, int confidence,
                                         const std::string& note, double seconds,
                                         const std::optional<std::string>& time) {
    if (confidence < 1 || confidence > 5)
        throw Error("a confidence is 1 to 5, not " + std::to_string(confidence));
    requireUtf8(note, "the note");
    Transaction transaction(connection_);
    Statement s(connection_, std::string("UPDATE reader_items SET verdict = ?, confidence = ?, note = ?, "
                                         "seconds = ?, time = coalesce(?, ") +
                                 kNow + ") WHERE session_id = ? AND position = ?");
    s.bindAll(verdictName(verdict), confidence, note, std::max(0.0, seconds));
    s.bind(5, time);
    s.bind(6, sessionId).bind(7, position);
    if (s.run() != 1)
        throw Error("no item " + std::to_string(position) + " in reader session " + std::to_string(sessionId));
    transaction.commit();
}

void ProjectDatabase::setLesionMark(const LesionMark& mark) {
    requireValid(mark);
    requireUtf8(mark.annotator, "the annotator's name");
    Transaction transaction(connection_);
    if (connection_.queryInteger("SELECT count(*) FROM scans WHERE id = " + std::to_string(mark.scanId)) == 0)
        throw Error("no scan " + std::to_string(mark.scanId) + " in the project to mark the lesion of");
    Statement s(connection_,
                std::string("INSERT INTO lesion_marks (scan_id, annotator, kind, x0, y0, x1, y1, time) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, ") +
                    kNow +
                    ")) ON CONFLICT (scan_id, annotator) DO UPDATE SET kind = excluded.kind, x0 = excluded.x0, "
                    "y0 = excluded.y0, x1 = excluded.x1, y1 = excluded.y1, time = excluded.time");
    s.bindAll(mark.scanId, mark.annotator, std::string(mark.box ? "box" : "point"), mark.x0, mark.y0,
              mark.box ? mark.x1 : mark.x0, mark.box ? mark.y1 : mark.y0);
    s.bind(8, mark.time.empty() ? std::nullopt : std::optional(mark.time));
    s.run();
    forgetMarkedMeasures(mark.scanId);
    transaction.commit();
}

bool ProjectDatabase::removeLesionMark(std::int64_t scanId, const std::string& annotator) {
    Transaction transaction(connection_);
    Statement s(connection_, "DELETE FROM lesion_marks WHERE scan_id = ? AND annotator = ?");
    s.bindAll(scanId, annotator);
    const bool removed = s.run() > 0;
    forgetMarkedMeasures(scanId);
    transaction.commit();
    return removed;
}

void ProjectDatabase::forgetMarkedMeasures(std::int64_t scanId) {
    // Numbers measured against marks that changed must not outlive them: they are cleared, and
    // scansToRemeasure() lists the scan until a study or the app measures its maps again.
    Statement s(connection_,
                "UPDATE maps SET mask_iou = NULL, pointing_hit = NULL, energy_inside = NULL, truth = NULL, "
                "rank_accuracy = NULL, top_k_intersection = NULL, threshold_ious = NULL "
                "WHERE scan_id = ? AND truth IN ('box', 'point')");
    s.bind(1, scanId);
    s.run();
}

std::vector<LesionMark> ProjectDatabase::lesionMarks(std::optional<std::int64_t> scanId) {
    Statement s(connection_,
                "SELECT scan_id, annotator, kind, x0, y0, x1, y1, time FROM lesion_marks "
                "WHERE ?1 IS NULL OR scan_id = ?1 ORDER BY scan_id, annotator");
    s.bind(1, scanId);
    std::vector<LesionMark> out;
    while (s.step()) {
        out.push_back({.scanId = s.integer(0),
                       .annotator = s.text(1),
                       .box = s.text(2) == "box",
                       .x0 = s.real(3),
                       .y0 = s.real(4),
                       .x1 = s.real(5),
                       .y1 = s.real(6),
                       .time = s.text(7)});
    }
    return out;
}

std::set<std::string> ProjectDatabase::scansToRemeasure() {
    // Scans without a mask whose maps were measured against other marks than the readers' now
    // (a mark added, changed from a click to a box, or removed).
    Statement s(connection_, R"sql(
SELECT DISTINCT s.path FROM scans s JOIN maps m ON m.scan_id = s.id
WHERE s.mask_path IS NULL AND m.available = 1 AND m.truth IS NOT (
    SELECT CASE WHEN max(l.kind = 'box') = 1 THEN 'box' WHEN count(*) > 0 THEN 'point' END
    FROM lesion_marks l WHERE l.scan_id = s.id))sql");
    std::set<std::string> out;
    while (s.step())
        out.insert(s.text(0));
    return out;
}

}  // namespace saliency::study
