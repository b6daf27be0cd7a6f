#pragma once
// The project database: one SQLite file (WAL) that holds a study's scans, models, predictions,
// per-map statistics with small copies of the maps, pairwise agreement, and a radiologist's
// annotations. Schema and versioning: docs/formats.md, "Project database".
//
//   study::ProjectDatabase project("brain.sqlite");
//   project.setAnnotation({{scanId, modelId, "gradcam"}, study::Verdict::Correct, "tumour"});
//
// Every write runs in a transaction (its own, or the caller's: see transaction()), so a killed
// process leaves either the whole write or none of it. One object per thread; several processes
// (the GUI and a CLI study) may open the same file at once.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "study/ProjectRecords.h"
#include "study/Sqlite.h"

namespace saliency::study {

enum class OpenMode {
    CreateIfMissing,  // a missing (or 0-byte) file becomes a new, empty project
    ExistingOnly,     // a missing or 0-byte file is an error, never made into a project (the GUI's "Open")
    // An existing project, only read (reports, exports): works in a read-only folder or on a
    // read-only file; any write throws. A file of an older schema is refused (it needs migrating).
    ReadOnly,
};

class ProjectDatabase {
  public:
    // Creates or migrates the schema as needed. Throws FileError with a reason a user can act on:
    // missing or empty file (ExistingOnly, ReadOnly), not an SQLite file, another program's database, a newer
    // schema, a corrupt file.
    explicit ProjectDatabase(const std::filesystem::path& file, OpenMode mode = OpenMode::CreateIfMissing);

    const std::filesystem::path& file() const noexcept { return connection_.file(); }

    // "Save as": writes a consistent copy of the project, as of its last commit, to `target` while
    // it stays open (and in WAL mode, with other processes writing), via SQLite's VACUUM INTO on
    // "<target>.part", synced to disk, then renamed over `target`: a crash leaves `target` as it
    // was or the whole copy, never half of one. An existing `target` is replaced (with its stale
    // -wal/-shm files, which would otherwise be replayed into the copy). This object stays on the
    // original file; open the copy to go on working in it. Throws Error when `target` is this
    // project's own file, FileError when it cannot be written.
    void saveAs(const std::filesystem::path& target);

    // A transaction around several writes (e.g. all rows of one scan): commit() it, or everything
    // since it began is rolled back when it goes out of scope.
    Transaction transaction() { return Transaction(connection_); }

    // ---- the project ----
    ProjectInfo info();
    // Ties the project to a data set the first time; afterwards throws Error when the root or the
    // classes differ (a study's rows are only comparable over one data set).
    void bindDataSet(const std::filesystem::path& root, const std::vector<std::string>& classes);

    // ---- models ----
    // A model is identified by its checkpoint's fingerprint: the same file (even moved) returns the
    // stored row (with the path updated); a new one is added, named after candidate.name and made
    // unique. When a stored model's checkpoint path now holds different weights (retrained in
    // place), the row follows the file if no prediction, map or mark refers to the old weights;
    // otherwise throws Error.
    ModelRecord registerModel(const ModelRecord& candidate);
    std::vector<ModelRecord> models();
    // Gives a model a new name (trimmed, not empty, valid UTF-8, unique in the project). Throws Error.
    ModelRecord renameModel(std::int64_t modelId, const std::string& name);
    // Removes a model with its predictions, maps and pairs. A radiologist's marks are never
    // dropped silently: a model with annotations is refused (Error naming how many).
    void removeModel(std::int64_t modelId);
    std::size_t annotationCount(std::int64_t modelId);
    // Whether any prediction, map or annotation refers to the model's weights.
    bool hasResults(std::int64_t modelId);

    // ---- scans ----
    // Inserts, or updates the stored row of the same path (keeping its split part when the new
    // one has none); returns the scan's id.
    std::int64_t putScan(const ScanRecord& scan);
    std::optional<ScanRecord> findScan(const std::string& path);
    std::vector<ScanRecord> scans();

    // ---- predictions, maps, pairs (rows already stored are kept, never replaced) ----
    void putPrediction(const PredictionRecord& prediction);
    std::vector<PredictionRecord> predictions();
    // Returns the id of the stored map with this key (scan, model, method, target class, layer).
    // measured: the map's measures were computed now; a stored row measured against another
    // ground truth (MapMeasures::truth) takes its IoU, pointing game, energy inside and truth.
    std::int64_t putMap(const MapRecord& map, bool measured = false);
    std::vector<MapRecord> maps();  // without the thumbnails
    std::vector<unsigned char> thumbnailPng(std::int64_t mapId);
    bool putPair(const PairRecord& pair);  // false when the pair was stored already
    std::vector<PairRecord> pairs();

    // What a study has already done, so that a rerun can skip it:
    struct StoredMap {
        std::int64_t id = 0;
        bool available = true;
    };
    // The maps of `modelId` at `layer` for each scan's predicted class, by (scan path, method).
    std::map<std::pair<std::string, std::string>, StoredMap> studiedMaps(std::int64_t modelId,
                                                                         const std::string& layer);
    std::set<std::pair<std::int64_t, std::int64_t>> pairKeys();  // (first_map_id, second_map_id)

    // ---- annotations ----
    // Inserts or overwrites the verdict and note of key (scan, model, method, annotator); the time
    // is set to now. Returns the stored annotation. Throws Error for an unknown scan or model, or an
    // annotator, method or note that is not valid UTF-8.
    Annotation setAnnotation(const Annotation& annotation);
    std::optional<Annotation> annotation(const AnnotationKey& key);
    std::vector<Annotation> annotations();            // ordered by scan, model, method, annotator
    bool removeAnnotation(const AnnotationKey& key);  // false when there was none

    // ---- lesion marks (GroundTruth.h): where a reader says the lesion is, on a scan without a mask ----
    // Inserts or replaces the reader's mark of the scan (time: now, or the one given when merging).
    // Throws Error for an unknown scan, coordinates outside [0,1] or a box without an area. Setting
    // or removing a mark clears the measures of the scan's maps taken against the marks before.
    void setLesionMark(const LesionMark& mark);
    bool removeLesionMark(std::int64_t scanId, const std::string& annotator);  // false when there was none
    std::vector<LesionMark> lesionMarks(std::optional<std::int64_t> scanId = std::nullopt);
    // The paths of scans without a mask whose stored maps were measured against other lesion marks
    // than the readers' now: a study measures them again.
    std::set<std::string> scansToRemeasure();

    // ---- reader studies (ReaderStudy.h plans them) ----
    // Stores a session with its items in one transaction; returns its id. Throws Error when the
    // study already has a session for this reader, or a name is not valid UTF-8.
    std::int64_t addReaderSession(const ReaderSessionRecord& session, const std::vector<ReaderItemRecord>& items);
    // By study, then reader (every open project has the tables: older ones are migrated, or refused read-only).
    std::vector<ReaderSessionRecord> readerSessions();
    std::vector<ReaderItemRecord> readerItems(std::int64_t sessionId);  // in position order
    // Stores the judgement of one item (time: now, or the one given when merging copies). Throws
    // Error for an unknown item or a confidence outside 1..5.
    void setReaderJudgement(std::int64_t sessionId, int position, Verdict verdict, int confidence,
                            const std::string& note, double seconds,
                            const std::optional<std::string>& time = std::nullopt);

  private:
    void forgetMarkedMeasures(std::int64_t scanId);

    Connection connection_;
};

}  // namespace saliency::study
