#pragma once
// Blinded reader studies (issue 17): readers judge a study's maps without knowing which network or
// method made them, in a seeded random order, with a share of maps shown again later, unannounced,
// to measure each reader's consistency; a verdict, a confidence (1-5), an optional note and the time
// per judgement are kept, each committed as it is made, so a session resumes where it stopped.
//
//   ReaderStudyPlan plan{.name = "pilot", .readers = {"ana", "ben"}, .methods = {"gradcam"}};
//   createReaderStudy(project, plan);                  // one session per reader
//   for (const auto& s : project.readerSessions()) ... // progress
//   recordJudgement(project, session, item, Verdict::Correct, 4, "", 3.2);
//
// Blinding: every (network, method) pair of a study gets a letter (A, B, ...) in an order drawn from
// the study's seed; the key is in the project and appears only in the export (readerStudyCsv).
// A first showing's judgement is also the reader's annotation of that map (annotator = reader), so
// agreement between readers, the review queue and the report use it; repeats only measure
// intra-reader agreement.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/CohenKappa.h"
#include "study/CsvTable.h"
#include "study/ProjectDatabase.h"

namespace saliency::study {

struct ReaderStudyPlan {
    std::string name;                  // unique in the project
    std::vector<std::string> readers;  // one session each, in its own order
    std::vector<std::string> models;   // network names in the project; empty: all with maps
    std::vector<std::string> methods;  // "gradcam", ...; empty: all with maps
    std::size_t scans = 0;             // 0: every scan with maps; otherwise that many, drawn with the seed
    double repeatShare = 0.1;          // of the maps, shown a second time, [0, 0.5]
    std::uint64_t seed = 1;            // below 2^63 (SQLite integers)
};

// The order of one session over `count` maps: a permutation, then round(count * repeatShare) of
// the maps again, each at least a few screens after its first showing. repeatOf: the position of
// the first showing. A pure function of its arguments (data/Random.h), the same on every platform.
struct PlannedItem {
    std::size_t map = 0;  // index into the study's map list
    std::optional<int> repeatOf;
};
std::vector<PlannedItem> plannedOrder(std::size_t count, std::uint64_t seed, double repeatShare);

// The seed of each reader's session: derived from the study's seed and the reader's place in the plan.
std::uint64_t sessionSeed(std::uint64_t studySeed, std::size_t readerIndex);

// Creates the sessions (one transaction each). The maps: one per scan, network and method (the
// predicted class's), available and not empty. Throws Error for a plan without a name or readers,
// an unknown network or method, no maps to judge, a repeat share outside [0, 0.5], or a study name
// already in the project. Returns the session ids in the order of plan.readers.
std::vector<std::int64_t> createReaderStudy(ProjectDatabase& project, const ReaderStudyPlan& plan);

// The first item not judged yet, or nullopt when the session is complete.
std::optional<std::size_t> nextUnjudged(const std::vector<ReaderItemRecord>& items);

// Stores a judgement; a first showing's also becomes the reader's annotation of the map, in the
// same transaction. Throws Error (confidence outside 1..5, unknown item).
void recordJudgement(ProjectDatabase& project, const ReaderSessionRecord& session, const ReaderItemRecord& item,
                     Verdict verdict, int confidence, const std::string& note, double seconds);

// A reader's agreement with themself: Cohen's kappa of first showing against repeat, over the
// repeats judged so far (unset with none, or when undefined).
struct IntraReaderAgreement {
    std::string study;
    std::string reader;
    std::size_t repeats = 0;  // pairs judged both times
    std::size_t same = 0;     // of them, with the same verdict
    std::optional<metrics::KappaEstimate> kappa;
};
std::vector<IntraReaderAgreement> intraReaderAgreement(ProjectDatabase& project);

// The export of a study (deliverable 5): one row per item and reader with the blinded label, the
// true network and method, scan, verdict, confidence, seconds, note, repeat flag. Throws Error for an
// unknown study.
CsvTable readerStudyCsv(ProjectDatabase& project, const std::string& study);
// The protocol in Markdown: readers, scans, networks and methods with their labels, maps, order
// seeds, share repeated, progress and intra-reader agreement.
std::string readerStudyProtocol(ProjectDatabase& project, const std::string& study);

}  // namespace saliency::study
