#include "study/ProjectMerge.h"

#include <map>
#include <string>

#include "common/Error.h"
#include "study/AnnotationCsv.h"
#include "study/ProjectDatabase.h"

namespace fs = std::filesystem;

namespace saliency::study {
namespace {

[[noreturn]] void anotherStudy(const fs::path& copy, const fs::path& first, const std::string& why) {
    throw Error(copy.string() + " is not a copy of the same study as " + first.string() + ": " + why +
                "; nothing of it was merged");
}

// The copy's marks with the output's ids; refuses a copy of another study.
std::vector<MarkLine> marksOf(ProjectDatabase& copy, ProjectDatabase& output, const fs::path& first) {
    const ProjectInfo mine = copy.info(), theirs = output.info();
    if (mine.dataRoot != theirs.dataRoot)
        anotherStudy(copy.file(), first,
                     "its data set is " + mine.dataRoot.value_or("(none)") + ", not " +
                         theirs.dataRoot.value_or("(none)"));
    if (mine.classes != theirs.classes)
        anotherStudy(copy.file(), first, "its classes differ");
    std::map<std::int64_t, std::int64_t> scanIds, modelIds;  // copy's id -> output's id
    for (const auto& scan : copy.scans()) {
        const auto same = output.findScan(scan.path);
        if (!same || same->fingerprint != scan.fingerprint)
            anotherStudy(copy.file(), first,
                         "its scan " + scan.path + (same ? " is another file" : " is not in the first copy"));
        scanIds[scan.id] = same->id;
    }
    std::map<std::string, std::int64_t> byFingerprint;
    for (const auto& model : output.models())
        byFingerprint[model.fingerprint] = model.id;
    for (const auto& model : copy.models()) {
        const auto it = byFingerprint.find(model.fingerprint);
        if (it == byFingerprint.end())
            anotherStudy(copy.file(), first, "its network " + model.name + " is not in the first copy");
        modelIds[model.id] = it->second;
    }
    std::vector<MarkLine> marks;
    for (const auto& a : copy.annotations()) {
        Annotation moved = a;
        moved.key.scanId = scanIds.at(a.key.scanId);  // present: references are checked at open
        moved.key.modelId = modelIds.at(a.key.modelId);
        marks.push_back({.line = marks.size() + 1, .annotation = moved, .note = a.note});
    }
    return marks;
}

std::map<std::int64_t, std::string> modelFingerprints(ProjectDatabase& project) {
    std::map<std::int64_t, std::string> out;
    for (const auto& model : project.models())
        out[model.id] = model.fingerprint;
    return out;
}

// The copy's reader-study judgements added to the output's sessions of the same study and reader.
std::size_t mergeReaderJudgements(ProjectDatabase& copy, ProjectDatabase& merged, const fs::path& first) {
    std::map<std::pair<std::string, std::string>, std::int64_t> sessions;  // (study, reader) -> output id
    for (const auto& s : merged.readerSessions())
        sessions[{s.study, s.reader}] = s.id;
    const auto copyModels = modelFingerprints(copy), mergedModels = modelFingerprints(merged);
    std::size_t added = 0;
    auto transaction = merged.transaction();
    for (const auto& session : copy.readerSessions()) {
        if (session.judged == 0)
            continue;
        const std::string what = "reader study '" + session.study + "' of " + session.reader;
        const auto id = sessions.find({session.study, session.reader});
        if (id == sessions.end())
            anotherStudy(copy.file(), first, "its " + what + " is not in the first copy");
        const auto mine = copy.readerItems(session.id), theirs = merged.readerItems(id->second);
        if (mine.size() != theirs.size())
            anotherStudy(copy.file(), first, "its " + what + " has another number of items");
        for (std::size_t i = 0; i < mine.size(); ++i) {
            const auto &a = mine[i], &b = theirs[i];
            if (a.scanPath != b.scanPath || a.method != b.method || a.label != b.label ||
                copyModels.at(a.modelId) != mergedModels.at(b.modelId))
                anotherStudy(copy.file(), first, "its " + what + " shows other maps");
            if (!a.verdict)
                continue;
            if (b.verdict) {
                if (*a.verdict != *b.verdict || a.confidence != b.confidence)
                    throw Error(copy.file().string() + ": item " + std::to_string(a.position + 1) + " of the " +
                                what + " is judged differently in the copies before it; nothing of it was merged");
                continue;
            }
            merged.setReaderJudgement(id->second, b.position, *a.verdict, a.confidence.value_or(3), a.note,
                                      a.seconds.value_or(0.0), a.time);
            ++added;
        }
    }
    transaction.commit();
    return added;
}

// The copy's lesion marks added to the output's; of one reader's two marks of a scan, the later.
std::size_t mergeLesionMarks(ProjectDatabase& copy, ProjectDatabase& merged) {
    std::map<std::int64_t, std::string> paths;
    for (const auto& scan : copy.scans())
        paths[scan.id] = scan.path;
    std::map<std::pair<std::int64_t, std::string>, std::string> times;  // (scan, reader) -> time
    for (const auto& mark : merged.lesionMarks())
        times[{mark.scanId, mark.annotator}] = mark.time;
    std::size_t added = 0;
    auto transaction = merged.transaction();
    for (LesionMark mark : copy.lesionMarks()) {
        mark.scanId = merged.findScan(paths.at(mark.scanId))->id;  // marksOf checked every scan
        const auto stored = times.find({mark.scanId, mark.annotator});
        if (stored != times.end() && stored->second >= mark.time)
            continue;
        merged.setLesionMark(mark);
        ++added;
    }
    transaction.commit();
    return added;
}

// The first copy saved as `target`, then every other copy's marks imported into it.
MergeSummary mergeInto(const std::vector<fs::path>& copies, const fs::path& target) {
    {
        ProjectDatabase first(copies.front(), OpenMode::ReadOnly);
        first.saveAs(target);
    }
    ProjectDatabase merged(target, OpenMode::ExistingOnly);
    MergeSummary summary{.copies = copies.size()};
    for (std::size_t i = 1; i < copies.size(); ++i) {
        ProjectDatabase copy(copies[i], OpenMode::ReadOnly);
        const std::vector<MarkLine> marks = marksOf(copy, merged, copies.front());
        try {
            const MarkImport result = importMarks(merged, marks, false);
            summary.added += result.added;
            summary.unchanged += result.unchanged;
        } catch (const MarkConflicts& e) {
            throw Error(copies[i].string() + ": " + std::to_string(e.count()) +
                        " of its marks give another verdict than the same reader's in the copies before it "
                        "(a reader's name must mean one person); nothing of it was merged");
        }
        summary.readerJudgements += mergeReaderJudgements(copy, merged, copies.front());
        summary.lesionMarks += mergeLesionMarks(copy, merged);
    }
    summary.marks = merged.annotations().size();
    return summary;
}

}  // namespace

MergeSummary mergeProjects(const std::vector<fs::path>& copies, const fs::path& output) {
    if (copies.size() < 2)
        throw Error("merging needs two or more copies of a project");
    std::error_code ec;
    for (const auto& copy : copies) {
        if (fs::exists(output, ec) && fs::equivalent(copy, output, ec))
            throw Error("the output " + output.string() + " is one of the copies: choose a new file");
    }
    // Merged beside the output and renamed over it at the end: a refused copy leaves no output.
    fs::path partial = output;
    partial += ".merging";
    const auto removePartial = [&] {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(fs::path(partial.string() + suffix), ec);
    };
    removePartial();
    try {
        MergeSummary summary = mergeInto(copies, partial);
        for (const char* stale :
             {"-wal", "-shm"})  // an old output's, which SQLite would replay into the new one
            fs::remove(fs::path(output.string() + stale), ec);
        fs::rename(partial, output);
        return summary;
    } catch (...) {
        removePartial();
        throw;
    }
}

}  // namespace saliency::study
