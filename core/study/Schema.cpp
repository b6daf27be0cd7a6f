#include "study/Schema.h"

#include <array>
#include <string>

#include "common/Error.h"

namespace saliency::study {

namespace {

// Version 1. Statistics columns are NULL where a statistic is undefined (no mask, an IoU of two
// empty regions, a map without a centre), never NaN. Annotations reference scans and models
// without ON DELETE CASCADE, so deleting a studied scan or model cannot silently drop a
// radiologist's marks.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data_root TEXT,
    classes TEXT NOT NULL DEFAULT '[]',
    binarisation_mode TEXT NOT NULL DEFAULT 'level' CHECK (binarisation_mode IN ('level', 'top', 'otsu')),
    binarisation_value REAL NOT NULL DEFAULT 0.5,
    thumbnail_size INTEGER NOT NULL DEFAULT 64 CHECK (thumbnail_size > 0),
    created TEXT NOT NULL
);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    class_index INTEGER NOT NULL,
    class_name TEXT NOT NULL,
    split_part TEXT CHECK (split_part IN ('train', 'validation', 'test')),
    mask_path TEXT,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    fingerprint TEXT NOT NULL
);

CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    checkpoint_path TEXT NOT NULL,
    architecture TEXT NOT NULL,
    card TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    added TEXT NOT NULL
);

CREATE TABLE predictions (
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    logits TEXT NOT NULL,
    probabilities TEXT NOT NULL,
    predicted_class INTEGER NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    PRIMARY KEY (scan_id, model_id)
) WITHOUT ROWID;
CREATE INDEX predictions_by_model ON predictions (model_id);

CREATE TABLE maps (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    target_class INTEGER NOT NULL,
    layer TEXT NOT NULL,
    available INTEGER NOT NULL CHECK (available IN (0, 1)),
    empty INTEGER NOT NULL CHECK (empty IN (0, 1)),
    message TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    centre_x REAL,
    centre_y REAL,
    region_area REAL,
    mask_iou REAL,
    pointing_hit INTEGER CHECK (pointing_hit IN (0, 1)),
    energy_inside REAL,
    thumbnail BLOB,
    UNIQUE (scan_id, model_id, method, target_class, layer)
);
CREATE INDEX maps_by_model_method ON maps (model_id, method);

CREATE TABLE pairs (
    first_map_id INTEGER NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
    second_map_id INTEGER NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('models', 'methods')),
    iou REAL,
    centre_distance REAL,
    PRIMARY KEY (first_map_id, second_map_id),
    CHECK (first_map_id <> second_map_id)
) WITHOUT ROWID;
CREATE INDEX pairs_by_second ON pairs (second_map_id);

CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    model_id INTEGER NOT NULL REFERENCES models (id),
    method TEXT NOT NULL,
    annotator TEXT NOT NULL DEFAULT '',
    verdict TEXT NOT NULL CHECK (verdict IN ('correct', 'incorrect', 'unsure')),
    note TEXT NOT NULL DEFAULT '',
    time TEXT NOT NULL,
    UNIQUE (scan_id, model_id, method, annotator)
);
CREATE INDEX annotations_by_model ON annotations (model_id);

-- For people who query the file with sqlite3 or pandas: names instead of ids.
CREATE VIEW map_statistics AS
SELECT s.path AS scan, s.class_name AS class, s.split_part AS part, md.name AS model, m.method,
       m.target_class, m.layer, p.predicted_class, p.correct, m.available, m.empty, m.centre_x,
       m.centre_y, m.region_area, m.mask_iou, m.pointing_hit, m.energy_inside
FROM maps m
JOIN scans s ON s.id = m.scan_id
JOIN models md ON md.id = m.model_id
LEFT JOIN predictions p ON p.scan_id = m.scan_id AND p.model_id = m.model_id;

CREATE VIEW pair_statistics AS
SELECT s.path AS scan, p.kind, ma.name AS first_model, a.method AS first_method, mb.name AS second_model,
       b.method AS second_method, p.iou, p.centre_distance
FROM pairs p
JOIN maps a ON a.id = p.first_map_id
JOIN maps b ON b.id = p.second_map_id
JOIN scans s ON s.id = a.scan_id
JOIN models ma ON ma.id = a.model_id
JOIN models mb ON mb.id = b.model_id;
)sql";

void createVersion1(Connection& connection) {
    connection.execute(kVersion1);
    connection.execute("INSERT INTO project (id, created) VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
    connection.execute("PRAGMA application_id = " + std::to_string(kApplicationId));
}

// Version 2: reader studies (ReaderStudy.h). A session is one reader's pass over a study's maps in
// a seeded order; its items hold the order, the blinded label of each map (the key: label -> network
// and method, revealed only in the export), which items repeat an earlier one, and the judgements.
// Items refer to maps without cascade: removing a network cannot silently drop a reader's session.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE reader_sessions (
    id INTEGER PRIMARY KEY,
    study TEXT NOT NULL,
    reader TEXT NOT NULL,
    seed INTEGER NOT NULL,
    repeat_share REAL NOT NULL CHECK (repeat_share >= 0 AND repeat_share <= 0.5),
    created TEXT NOT NULL,
    UNIQUE (study, reader)
);

CREATE TABLE reader_items (
    session_id INTEGER NOT NULL REFERENCES reader_sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    map_id INTEGER NOT NULL REFERENCES maps (id),
    label TEXT NOT NULL,
    repeat_of INTEGER,
    verdict TEXT CHECK (verdict IN ('correct', 'incorrect', 'unsure')),
    confidence INTEGER CHECK (confidence BETWEEN 1 AND 5),
    note TEXT NOT NULL DEFAULT '',
    seconds REAL CHECK (seconds >= 0),
    time TEXT,
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE INDEX reader_items_by_map ON reader_items (map_id);
)sql";

void createVersion2(Connection& connection) {
    connection.execute(kVersion2);
}

// Version 3: lesion marks (GroundTruth.h), where a scan has no mask: one per reader and scan, a
// point or a box in normalised image coordinates; and, per map, which ground truth its IoU,
// pointing game and energy inside were measured against (maps measured before had only masks),
// and the complexity and localisation metrics of issue 18 (NULL for maps measured before them;
// threshold_ious: a JSON array, the IoU at each threshold of metrics::standardThresholdSweep();
// the faithfulness columns only from a study asked for them).
constexpr const char* kVersion3 = R"sql(
CREATE TABLE lesion_marks (
    scan_id INTEGER NOT NULL REFERENCES scans (id),
    annotator TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('point', 'box')),
    x0 REAL NOT NULL CHECK (x0 BETWEEN 0 AND 1),
    y0 REAL NOT NULL CHECK (y0 BETWEEN 0 AND 1),
    x1 REAL NOT NULL CHECK (x1 BETWEEN 0 AND 1),
    y1 REAL NOT NULL CHECK (y1 BETWEEN 0 AND 1),
    time TEXT NOT NULL,
    PRIMARY KEY (scan_id, annotator)
) WITHOUT ROWID;

ALTER TABLE maps ADD COLUMN truth TEXT CHECK (truth IN ('mask', 'box', 'point'));
ALTER TABLE maps ADD COLUMN sparseness REAL;
ALTER TABLE maps ADD COLUMN effective_complexity REAL;
ALTER TABLE maps ADD COLUMN rank_accuracy REAL;
ALTER TABLE maps ADD COLUMN top_k_intersection REAL;
ALTER TABLE maps ADD COLUMN threshold_ious TEXT;
ALTER TABLE maps ADD COLUMN deletion_auc REAL;
ALTER TABLE maps ADD COLUMN insertion_auc REAL;
ALTER TABLE maps ADD COLUMN faithfulness_correlation REAL;
UPDATE maps SET truth = 'mask'
WHERE available = 1 AND scan_id IN (SELECT id FROM scans WHERE mask_path IS NOT NULL);

DROP VIEW map_statistics;
CREATE VIEW map_statistics AS
SELECT s.path AS scan, s.class_name AS class, s.split_part AS part, md.name AS model, m.method,
       m.target_class, m.layer, p.predicted_class, p.correct, m.available, m.empty, m.centre_x,
       m.centre_y, m.region_area, m.mask_iou, m.pointing_hit, m.energy_inside, m.truth AS ground_truth,
       m.sparseness, m.effective_complexity, m.rank_accuracy, m.top_k_intersection
FROM maps m
JOIN scans s ON s.id = m.scan_id
JOIN models md ON md.id = m.model_id
LEFT JOIN predictions p ON p.scan_id = m.scan_id AND p.model_id = m.model_id;
)sql";

void createVersion3(Connection& connection) {
    connection.execute(kVersion3);
}

// Version 4: ROAD's two curves (only from a study asked for faithfulness) and max-/average
// sensitivity (only from a study asked for robustness), per map; NULL where not measured.
constexpr const char* kVersion4 = R"sql(
ALTER TABLE maps ADD COLUMN road_morf REAL;
ALTER TABLE maps ADD COLUMN road_lerf REAL;
ALTER TABLE maps ADD COLUMN max_sensitivity REAL;
ALTER TABLE maps ADD COLUMN average_sensitivity REAL;
)sql";

void createVersion4(Connection& connection) {
    connection.execute(kVersion4);
}

// steps[v] upgrades a file at version v to v + 1. A later schema appends its step here; files are
// then migrated in place, one transaction per step, when they are opened.
using MigrationStep = void (*)(Connection&);
constexpr std::array<MigrationStep, kSchemaVersion> kSteps = {createVersion1, createVersion2, createVersion3,
                                                               createVersion4};

void configure(Connection& connection) {
    // WAL: readers (the GUI) and a writer (a study) do not block each other, and a killed process
    // loses nothing that was committed. The mode is stored in the file; the others are per connection.
    connection.execute("PRAGMA journal_mode = WAL");
    connection.execute("PRAGMA foreign_keys = ON");
    // FULL: a committed annotation survives a power cut too, not only a killed process; the cost is
    // one fsync per transaction, small next to a scan's saliency maps.
    connection.execute("PRAGMA synchronous = FULL");
}

void checkOwnership(Connection& connection, std::int64_t version) {
    const std::int64_t application = connection.queryInteger("PRAGMA application_id");
    const std::int64_t objects = connection.queryInteger("SELECT count(*) FROM sqlite_schema");
    const bool fresh = version == 0 && application == 0 && objects == 0;
    if (!fresh && application != kApplicationId) {
        throw FileError(connection.file(),
                        "an SQLite database, but not a Saliency Studio project (application id " +
                            std::to_string(application) + "); it was left unchanged");
    }
    if (version > kSchemaVersion) {
        throw FileError(connection.file(), "written by a newer Saliency Studio (project schema version " +
                                               std::to_string(version) + "; this build reads up to " +
                                               std::to_string(kSchemaVersion) + ")");
    }
}

}  // namespace

void prepareSchema(Connection& connection) {
    // Waiting (not failing) when another process holds the lock, e.g. the GUI saving a mark.
    connection.execute("PRAGMA busy_timeout = 10000");
    // Ownership first: a foreign database must not even get its journal mode changed.
    checkOwnership(connection, connection.queryInteger("PRAGMA user_version"));
    configure(connection);
    while (connection.queryInteger("PRAGMA user_version") < kSchemaVersion) {
        Transaction transaction(connection);
        // Read again under the write lock: another process may have migrated the file meanwhile.
        const std::int64_t version = connection.queryInteger("PRAGMA user_version");
        if (version >= kSchemaVersion)
            break;  // the transaction rolls back: nothing was written
        kSteps[static_cast<std::size_t>(version)](connection);
        connection.execute("PRAGMA user_version = " + std::to_string(version + 1));
        transaction.commit();
    }
}

void checkReferences(Connection& connection) {
    Statement dangling(connection, "PRAGMA foreign_key_check");
    if (dangling.step()) {
        throw FileError(connection.file(),
                        "the project is damaged: row " + std::to_string(dangling.integer(1)) + " of table '" +
                            dangling.text(0) + "' refers to a missing row of '" + dangling.text(2) + "'");
    }
}

}  // namespace saliency::study
