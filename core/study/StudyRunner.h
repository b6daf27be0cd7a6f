#pragma once
// A batch study (issue 4, DESIGN.md sections 1 and 7): every model x method over a data set, or
// over one part of a split, into a project database. No LibTorch in this header (the GUI will run
// studies from a worker thread).
//
//   study::ProjectDatabase project("brain.sqlite");
//   study::StudyOptions options{.data = "Brain Tumor Dataset", .checkpoints = {"vgg16.pt", "cnn4.pt"}};
//   const auto summary = study::runStudy(project, options, progress);
//
// Each model is loaded once; the scans go through in batches; all rows of one scan (its
// predictions, maps and pairs) are written in one transaction. A rerun resumes: scans whose maps
// are all stored are skipped, so an interrupted or cancelled study continues where it stopped;
// scans whose lesion marks (GroundTruth.h) changed since their maps were measured are measured again.
// Pairs are computed among the models and methods of one run, on the full-resolution maps: to
// compare a newly added model with earlier ones, name them all again (their stored rows are kept;
// their maps are recomputed for the new pairs only on scans that still need work).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "saliency/Method.h"
#include "study/ProjectDatabase.h"

namespace saliency::study {

struct StudyOptions {
    std::filesystem::path data;                      // the data set root (class sub-folders)
    std::vector<std::filesystem::path> checkpoints;  // Saliency Studio checkpoints (model cards)
    std::vector<explain::Method> methods = explain::allMethods();
    std::optional<std::filesystem::path> splitFile;  // study one part of this split only
    std::string part = "test";                       // "train", "validation" or "test" (with splitFile)
    int batchSize = 8;                               // scans per forward/backward pass
    // Also each new map's deletion and insertion AUC and faithfulness correlation
    // (FaithfulnessMeasures.h): about 140 forward passes per map.
    bool faithfulness = false;
    // Also each new map's max- and average sensitivity (RobustnessMeasures.h): the method run
    // eleven more times per map.
    bool robustness = false;
};

struct SkippedScan {
    std::string path;  // relative to the data root
    std::string reason;
};

struct StudySummary {
    std::vector<ModelRecord> models;  // as registered in the project, in the order given
    std::int64_t scans = 0;           // selected (the data set, or the split's part)
    std::int64_t alreadyStored = 0;   // skipped: an earlier run stored all of their maps
    std::int64_t studied = 0;         // written by this run
    std::int64_t mapsAdded = 0;
    std::int64_t pairsAdded = 0;
    std::vector<SkippedScan> skipped;   // unreadable or changed files; never abort the study
    std::vector<std::string> warnings;  // e.g. an unreadable mask (the scan is studied without it)
};

// Throws Error before any scan is studied when the study cannot run: no models or methods, a bad
// checkpoint, a model whose classes are not the data set's, another data set than the project's,
// a split that does not fit. Throws Cancelled when `progress` asks to stop; every scan finished by
// then is stored.
StudySummary runStudy(ProjectDatabase& project, const StudyOptions& options, Progress& progress);

}  // namespace saliency::study
