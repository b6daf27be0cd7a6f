#include "study/ScanRecording.h"

#include "common/Error.h"
#include "study/MapStatistics.h"
#include "study/MapThumbnail.h"

namespace saliency::study {

namespace {

ScanRows::Map mapRow(std::size_t network, const ScanExplanations::Network& source,
                     const explain::SaliencyMap& map, const std::optional<GroundTruth>& truth,
                     const RecordingSettings& settings) {
    ScanRows::Map row;
    row.network = network;
    row.analysis = analysisMap(map);
    const std::string method = explain::methodName(map.method);
    row.stored = source.storedMethods.contains(method);
    MapRecord& r = row.record;
    r.modelId = source.model.id;
    r.method = method;
    r.targetClass = source.explanation->targetClass;
    r.layer = source.explanation->layer;
    r.available = map.available && !row.analysis.empty();
    r.empty = map.empty;
    r.message = map.message;
    if (row.stored || !r.available)
        return row;
    r.width = row.analysis.cols;
    r.height = row.analysis.rows;
    r.measures = measureMap(row.analysis, truth, settings.binarisation);
    r.thumbnailPng = encodeThumbnail(row.analysis, settings.thumbnailSize);
    return row;
}

// The pair's first map is the one whose network (network pairs) or method (method pairs) sorts
// first, as in metrics::pairwiseAgreement.
void addPairs(ScanRows& rows, const ScanExplanations& explanations, const RecordingSettings& settings) {
    for (std::size_t i = 0; i < rows.maps.size(); ++i) {
        for (std::size_t j = i + 1; j < rows.maps.size(); ++j) {
            const ScanRows::Map& a = rows.maps[i];
            const ScanRows::Map& b = rows.maps[j];
            const auto kind = pairKindFor(a.network == b.network, a.record.method == b.record.method);
            if (!kind || !a.record.available || !b.record.available)
                continue;
            const bool swap = *kind == PairKind::Models ? explanations.networks[b.network].model.name <
                                                              explanations.networks[a.network].model.name
                                                        : b.record.method < a.record.method;
            const std::size_t first = swap ? j : i;
            const std::size_t second = swap ? i : j;
            rows.pairs.push_back(
                {first, second, *kind,
                 compareMaps(rows.maps[first].analysis, rows.maps[second].analysis, settings.binarisation)});
        }
    }
}

}  // namespace

std::optional<PairKind> pairKindFor(bool sameNetwork, bool sameMethod) {
    if (!sameNetwork && sameMethod)
        return PairKind::Models;
    if (sameNetwork && !sameMethod)
        return PairKind::Methods;
    return std::nullopt;
}

ScanRows scanRows(const ScanExplanations& explanations, const RecordingSettings& settings) {
    ScanRows rows;
    rows.scan = explanations.scan;
    for (std::size_t n = 0; n < explanations.networks.size(); ++n) {
        const auto& network = explanations.networks[n];
        if (network.explanation == nullptr)
            throw Error("no explanation of " + rows.scan.path + " by " + network.model.name);
        const explain::ImageExplanation& e = *network.explanation;
        rows.predictions.push_back({.modelId = network.model.id,
                                    .logits = e.logits,
                                    .probabilities = e.probabilities,
                                    .predictedClass = e.predictedClass,
                                    .correct = e.predictedClass == rows.scan.classIndex});
        for (const auto& map : e.maps)
            rows.maps.push_back(mapRow(n, network, map, explanations.truth, settings));
    }
    addPairs(rows, explanations, settings);
    return rows;
}

RecordedScan writeScanRows(ProjectDatabase& project, ScanRows& rows) {
    RecordedScan out;
    Transaction transaction = project.transaction();
    out.scanId = project.putScan(rows.scan);
    for (auto& prediction : rows.predictions) {
        prediction.scanId = out.scanId;
        project.putPrediction(prediction);
    }
    std::vector<std::int64_t> ids;
    for (auto& map : rows.maps) {
        map.record.scanId = out.scanId;
        ids.push_back(project.putMap(map.record, !map.stored));
        out.mapsAdded += map.stored ? 0 : 1;
    }
    for (const auto& pair : rows.pairs) {
        out.pairsAdded += project.putPair({.firstMapId = ids[pair.first],
                                           .secondMapId = ids[pair.second],
                                           .kind = pair.kind,
                                           .iou = pair.measures.iou,
                                           .centreDistance = pair.measures.centreDistance})
                              ? 1
                              : 0;
    }
    transaction.commit();
    return out;
}

}  // namespace saliency::study
