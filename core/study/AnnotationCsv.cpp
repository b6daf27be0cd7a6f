#include "study/AnnotationCsv.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "common/Csv.h"
#include "common/Utf8.h"
#include "saliency/Method.h"

namespace saliency::study {

namespace {

const std::vector<std::string> kRequired = {"scan", "network", "method", "verdict"};

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += item;
    }
    return out;
}

[[noreturn]] void failAt(std::size_t line, const std::string& reason) {
    throw Error("line " + std::to_string(line) + ": " + reason);
}

// Every field must be UTF-8 (names end up in JSON, Markdown and the GUI); the apostrophe csvField
// puts before a formula-like cell comes off, so that an exported file imports unchanged.
void cleanFields(CsvRecord& record) {
    for (std::size_t i = 0; i < record.fields.size(); ++i) {
        if (const auto at = firstInvalidUtf8(record.fields[i])) {
            failAt(record.line, "field " + std::to_string(i + 1) + " is not valid UTF-8 (byte " +
                                    std::to_string(*at + 1) + "): save the file as UTF-8");
        }
        record.fields[i] = csvUnguarded(std::move(record.fields[i]));
    }
}

bool blank(const CsvRecord& record) {
    return std::all_of(record.fields.begin(), record.fields.end(), [](const auto& f) { return f.empty(); });
}

// Which field of a line holds which column. Names are matched trimmed and in any case, so that a
// header typed in a spreadsheet ("Scan", "Verdict ") is understood.
class Columns {
  public:
    explicit Columns(const CsvRecord& header) : count_(header.fields.size()) {
        const auto& known = marksCsvColumns();
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            const std::string name = lowered(trimmed(header.fields[i]));
            if (std::find(known.begin(), known.end(), name) == known.end()) {
                failAt(header.line, "unknown column '" + header.fields[i] + "' (a header line is required: " +
                                        joined(kRequired) + " and optionally note, annotator)");
            }
            if (!index_.emplace(name, i).second)
                failAt(header.line, "column '" + name + "' appears twice");
        }
        for (const auto& name : kRequired) {
            if (!has(name))
                failAt(header.line,
                       "the header has no '" + name + "' column (required: " + joined(kRequired) + ")");
        }
    }

    std::size_t count() const noexcept { return count_; }
    bool has(const std::string& name) const { return index_.count(name) > 0; }
    // The line's field of the column; empty when the file has no such column.
    std::string cell(const CsvRecord& record, const std::string& name) const {
        const auto it = index_.find(name);
        return it == index_.end() ? std::string() : record.fields[it->second];
    }

  private:
    std::map<std::string, std::size_t> index_;
    std::size_t count_;
};

// The project's scans and networks by name, read once for the whole file.
struct ProjectNames {
    std::map<std::string, std::int64_t> scans;
    std::map<std::string, std::int64_t> models;
    std::vector<std::string> modelNames;  // in the order added, for messages

    explicit ProjectNames(ProjectDatabase& project) {
        for (const auto& scan : project.scans())
            scans.emplace(scan.path, scan.id);
        for (const auto& model : project.models()) {
            models.emplace(model.name, model.id);
            modelNames.push_back(model.name);
        }
    }
};

std::string methodNames() {
    std::vector<std::string> names;
    for (const auto& group : {explain::allMethods(), explain::extraMethods()}) {
        for (const auto method : group)
            names.push_back(explain::methodName(method));
    }
    return joined(names);
}

std::int64_t scanId(const ProjectNames& names, std::size_t line, const std::string& path) {
    if (path.empty())
        failAt(line, "the scan is empty");
    const auto it = names.scans.find(path);
    if (it == names.scans.end()) {
        failAt(line, "unknown scan '" + path + "' (not among the project's " +
                         std::to_string(names.scans.size()) +
                         " scans; paths are relative to the data root, with '/' separators)");
    }
    return it->second;
}

std::int64_t modelId(const ProjectNames& names, std::size_t line, const std::string& network) {
    const auto it = names.models.find(network);
    if (it == names.models.end())
        failAt(line, "unknown network '" + network +
                         "' (the project's networks: " + joined(names.modelNames) + ")");
    return it->second;
}

std::string methodOf(std::size_t line, const std::string& name) {
    const auto method = explain::parseMethod(name);
    if (!method)
        failAt(line, "unknown method '" + name + "' (choose " + methodNames() + ")");
    return explain::methodName(*method);
}

Verdict verdictOf(std::size_t line, const std::string& name) {
    const auto verdict = parseVerdict(lowered(name));
    if (!verdict)
        failAt(line, "verdict '" + name + "' is not correct, incorrect or unsure");
    return *verdict;
}

MarkLine resolve(const CsvRecord& record, const Columns& columns, const ProjectNames& names,
                 const std::optional<std::string>& annotator) {
    const std::size_t line = record.line;
    if (record.fields.size() != columns.count()) {
        failAt(line, std::to_string(record.fields.size()) + " fields where the header has " +
                         std::to_string(columns.count()));
    }
    MarkLine mark;
    mark.line = line;
    AnnotationKey& key = mark.annotation.key;
    key.scanId = scanId(names, line, columns.cell(record, "scan"));
    key.modelId = modelId(names, line, trimmed(columns.cell(record, "network")));
    key.method = methodOf(line, trimmed(columns.cell(record, "method")));
    // Trimmed as the GUI trims the names it stores, so that " Dr B" and "Dr B" are one annotator.
    key.annotator = trimmed(annotator.value_or(columns.cell(record, "annotator")));
    mark.annotation.verdict = verdictOf(line, trimmed(columns.cell(record, "verdict")));
    if (columns.has("note"))
        mark.note = columns.cell(record, "note");
    mark.annotation.note = mark.note.value_or("");
    return mark;
}

using KeyTuple = std::tuple<std::int64_t, std::int64_t, std::string, std::string>;

KeyTuple tupleOf(const AnnotationKey& key) {
    return {key.scanId, key.modelId, key.method, key.annotator};
}

// Same verdict, and the same note where the file has one.
bool sameMark(const Annotation& stored, const MarkLine& mark) {
    return stored.verdict == mark.annotation.verdict && (!mark.note || *mark.note == stored.note);
}

}  // namespace

const std::vector<std::string>& marksCsvColumns() {
    static const std::vector<std::string> columns = {"scan",    "network", "method",
                                                     "verdict", "note",    "annotator"};
    return columns;
}

std::vector<MarkLine> readMarksCsv(ProjectDatabase& project, std::string_view text,
                                   const std::optional<std::string>& annotator) {
    if (annotator && !isValidUtf8(*annotator))
        throw Error("the annotator's name is not valid UTF-8");
    std::vector<CsvRecord> records = parseCsv(text);
    for (CsvRecord& record : records)
        cleanFields(record);
    std::erase_if(records, blank);  // blank lines a spreadsheet leaves at the end
    if (records.empty())
        throw Error("the file is empty (a header line is required: " + joined(marksCsvColumns()) + ")");
    const Columns columns(records.front());
    const ProjectNames names(project);
    std::vector<MarkLine> marks;
    std::map<KeyTuple, std::size_t> seen;  // key -> line, so that a duplicate names both lines
    for (auto record = records.begin() + 1; record != records.end(); ++record) {
        MarkLine mark = resolve(*record, columns, names, annotator);
        const auto [first, added] = seen.emplace(tupleOf(mark.annotation.key), mark.line);
        if (!added)
            failAt(mark.line, "the same mark (scan, network, method, annotator) as line " +
                                  std::to_string(first->second));
        marks.push_back(std::move(mark));
    }
    return marks;
}

MarkImport importMarks(ProjectDatabase& project, const std::vector<MarkLine>& marks, bool replace) {
    // Taken first: BEGIN IMMEDIATE holds the write lock, so what is compared below is still what is
    // stored when the marks are written (the GUI may have the project open).
    Transaction transaction = project.transaction();
    MarkImport result;
    std::vector<Annotation> writes;
    std::string firstConflict;
    for (const MarkLine& mark : marks) {
        const auto stored = project.annotation(mark.annotation.key);
        if (!stored) {
            ++result.added;
            writes.push_back(mark.annotation);
        } else if (sameMark(*stored, mark)) {
            ++result.unchanged;
        } else {
            if (result.replaced++ == 0) {
                firstConflict = "line " + std::to_string(mark.line) + ": stored " +
                                verdictName(stored->verdict) + ", the file " +
                                verdictName(mark.annotation.verdict);
            }
            writes.push_back(
                {mark.annotation.key, mark.annotation.verdict, mark.note.value_or(stored->note)});
        }
    }
    if (result.replaced > 0 && !replace) {
        throw MarkConflicts(result.replaced, std::to_string(result.replaced) + " mark" +
                                                 (result.replaced == 1 ? " is" : "s are") +
                                                 " stored with another verdict or note (first at " +
                                                 firstConflict + "); nothing was written");
    }
    for (const Annotation& annotation : writes)
        project.setAnnotation(annotation);
    transaction.commit();
    return result;
}

CsvTable marksCsv(ProjectDatabase& project, const std::optional<std::string>& annotator) {
    std::map<std::int64_t, std::string> scanPaths, modelNames;
    for (const auto& scan : project.scans())
        scanPaths.emplace(scan.id, scan.path);
    for (const auto& model : project.models())
        modelNames.emplace(model.id, model.name);
    std::vector<std::vector<std::string>> rows;
    for (const Annotation& a : project.annotations()) {
        if (annotator && a.key.annotator != *annotator)
            continue;
        rows.push_back({scanPaths.at(a.key.scanId), modelNames.at(a.key.modelId), a.key.method,
                        verdictName(a.verdict), a.note, a.key.annotator});
    }
    // By scan, network, method, annotator: names, not the ids the database orders by.
    std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
        return std::tie(x[0], x[1], x[2], x[5]) < std::tie(y[0], y[1], y[2], y[5]);
    });
    CsvTable table(marksCsvColumns());
    for (auto& row : rows)
        table.addRow(std::move(row));
    return table;
}

}  // namespace saliency::study
