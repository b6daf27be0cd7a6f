#pragma once
// A radiologist's marks as CSV, in and out of a project (docs/formats.md, "Marks as CSV"): marks
// made in a spreadsheet without the app, or a second annotator's merged into a study's project.
//
//   auto marks = study::readMarksCsv(project, text, std::nullopt);  // validates every line
//   study::importMarks(project, marks, false);                      // one transaction
//   writeFileAtomically(out, study::marksCsv(project, std::nullopt).text());
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Error.h"
#include "study/CsvTable.h"
#include "study/ProjectDatabase.h"

namespace saliency::study {

// The columns, in the order marksCsv writes them; scan, network, method and verdict are required.
const std::vector<std::string>& marksCsvColumns();

// One line of a marks file, resolved against the project.
struct MarkLine {
    std::size_t line = 0;
    Annotation annotation;  // method canonical ("gradcam"), verdict parsed; no time
    // Unset when the file has no note column: the stored note is then neither compared nor changed.
    std::optional<std::string> note;
};

// Parses and checks a whole file before anything is written: header, field counts, known scans
// (by path) and networks (by name), method and verdict names, no mark twice. `annotator`, when set,
// is every line's annotator; else the file's annotator column, else "" (the default annotator).
// Throws Error "line N: ..." for the first problem.
std::vector<MarkLine> readMarksCsv(ProjectDatabase& project, std::string_view text,
                                   const std::optional<std::string>& annotator);

struct MarkImport {
    std::size_t added = 0;
    std::size_t unchanged = 0;  // stored already with the same verdict (and note)
    std::size_t replaced = 0;
};

// Marks that are stored with another verdict (or note): refused without `replace`.
class MarkConflicts : public Error {
  public:
    MarkConflicts(std::size_t count, const std::string& message) : Error(message), count_(count) {}
    std::size_t count() const noexcept { return count_; }

  private:
    std::size_t count_;
};

// Writes the marks in one transaction: all of them or, on any error, none. Without `replace`,
// throws MarkConflicts when a mark is stored with a different verdict or note.
MarkImport importMarks(ProjectDatabase& project, const std::vector<MarkLine>& marks, bool replace);

// Every stored mark (only `annotator`'s when set) with names instead of ids, sorted by scan,
// network, method and annotator.
CsvTable marksCsv(ProjectDatabase& project, const std::optional<std::string>& annotator);

}  // namespace saliency::study
