#pragma once
// Readers' copies of one project brought back together (reader studies: each radiologist marks in a
// copy of the organiser's project, `saliency-cli annotate --merge A.sqlite B.sqlite ... --out P.sqlite`).
//
//   const MergeSummary summary = mergeProjects({"alice.sqlite", "bob.sqlite"}, "study.sqlite");
//
// The output starts as a consistent copy of the first (ProjectDatabase::saveAs); every other copy's
// marks are then added in one transaction per copy, all in "<output>.merging", renamed over the
// output once every copy is in: a refused copy leaves no output (and an old one unchanged). A copy of another
// study is refused before anything of it is written: another data set (root or classes), a scan whose file
// differs (its fingerprint), or a network that is not among the first copy's (by the checkpoint's
// fingerprint). Two copies holding the same reader's mark on the same map with different verdicts are refused
// too (nothing of that copy is written): a reader's name must mean one person.
// Reader studies (ReaderStudy.h): the judgements each reader made in their session in a later copy go
// into the same session of the output (the organiser made the study before handing out copies); a
// session showing other maps, or a judgement another copy gives differently, is refused.
#include <cstddef>
#include <filesystem>
#include <vector>

namespace saliency::study {

struct MergeSummary {
    std::size_t copies = 0;
    std::size_t marks = 0;      // in the output
    std::size_t added = 0;      // from the second copy on
    std::size_t unchanged = 0;  // the same mark in two copies
    std::size_t readerJudgements = 0;  // reader-study judgements added from the second copy on
    // Lesion marks added or replaced by a later one from the second copy on; the maps of their
    // scans are measured against them when the study runs again (StudyRunner.h).
    std::size_t lesionMarks = 0;
};

// Throws Error (fewer than two copies, the output among them, another study, conflicting marks) or
// FileError (a copy that is no project, an output that cannot be written).
MergeSummary mergeProjects(const std::vector<std::filesystem::path>& copies,
                           const std::filesystem::path& output);

}  // namespace saliency::study
