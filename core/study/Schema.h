#pragma once
// The project database's schema and its migrations (docs/formats.md, "Project database").
// The version lives in SQLite's header (PRAGMA user_version); PRAGMA application_id marks the file
// as a Saliency Studio project so that another program's SQLite file is refused, not altered.
#include <cstdint>

#include "study/Sqlite.h"

namespace saliency::study {

inline constexpr int kSchemaVersion = 4;  // 2: reader studies; 3: lesion marks; 4: ROAD, robustness
inline constexpr std::int32_t kApplicationId = 0x53414c53;  // "SALS"

// Sets the connection's pragmas (WAL, foreign keys, busy timeout), then brings the file to
// kSchemaVersion: a new (empty) file gets the whole schema, an older one each migration step in
// order, each step in its own transaction. Throws FileError when the file is an SQLite database of
// another program, or was written by a newer Saliency Studio (schema version above kSchemaVersion).
void prepareSchema(Connection& connection);

// Throws FileError when a row refers to a row that is not there (a scan, network or map): SQLite
// enforces the references on every write, so only a file damaged or edited outside the program has
// one, and every reader of the project may rely on them. Read-only; run when a project is opened.
void checkReferences(Connection& connection);

}  // namespace saliency::study
