#pragma once
// One scan's explanations from several networks, turned into the rows a study stores: the scan,
// each network's prediction, each map's measures and thumbnail, and the IoU and centre distance
// between networks (same method) and between methods (same network). `saliency-cli study` and the
// app's grid both record through here, so a project made in the app holds the same statistics as
// one a study made. No LibTorch or Qt in this header.
//
//   ScanRows rows = scanRows(explanations, {.binarisation = info.binarisation});  // pure
//   writeScanRows(project, rows);                                                 // one transaction
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "metrics/Binarise.h"
#include "metrics/PairwiseAgreement.h"
#include "saliency/SaliencyMap.h"
#include "study/GroundTruth.h"
#include "study/ProjectDatabase.h"

namespace saliency::study {

struct ScanExplanations {
    ScanRecord scan;              // path, class, split part, mask path, decoded size, fingerprint
    std::optional<GroundTruth> truth;  // the tumour mask, or readers' lesion marks (GroundTruth.h)
    struct Network {
        ModelRecord model;  // registered in the project: id and name
        const explain::ImageExplanation* explanation = nullptr;
        // Maps an earlier run stored: not measured again, but still paired with new ones. Maps left
        // out are measured and, when stored against another ground truth, re-measured in place.
        std::set<std::string> storedMethods;
    };
    std::vector<Network> networks;
};

struct RecordingSettings {
    metrics::Binarisation binarisation;
    int thumbnailSize = 64;
};

// The rows of one scan before they are written (map ids are known only then).
struct ScanRows {
    struct Map {
        std::size_t network = 0;  // index into ScanExplanations::networks
        MapRecord record;
        bool stored = false;
        cv::Mat analysis;  // analysisMap(): what the measures and pairs are computed on
    };
    struct Pair {
        std::size_t first = 0;  // indices into maps
        std::size_t second = 0;
        PairKind kind = PairKind::Models;
        metrics::PairMeasures measures;
    };
    ScanRecord scan;
    std::vector<PredictionRecord> predictions;
    std::vector<Map> maps;
    std::vector<Pair> pairs;
};

// Maps of one scan are paired when they come from two networks with one method (PairKind::Models)
// or from one network with two methods (PairKind::Methods); otherwise not at all.
std::optional<PairKind> pairKindFor(bool sameNetwork, bool sameMethod);

// Pure: throws only on a broken explanation (the scan's fault, not the project's).
ScanRows scanRows(const ScanExplanations& explanations, const RecordingSettings& settings);

struct RecordedScan {
    std::int64_t scanId = 0;
    std::int64_t mapsAdded = 0;
    std::int64_t pairsAdded = 0;
};

// All rows of the scan in one transaction. Rows stored already are kept as they are, but for a map
// measured here against another ground truth than its stored row's: its measures are replaced.
RecordedScan writeScanRows(ProjectDatabase& project, ScanRows& rows);

}  // namespace saliency::study
