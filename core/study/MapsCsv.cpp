#include "study/MapsCsv.h"

#include <algorithm>
#include <map>

#include "common/AtomicFile.h"
#include "study/CsvTable.h"
#include "study/StudyStatistics.h"

namespace saliency::study {

namespace {

std::string className(const std::vector<std::string>& classes, int index) {
    if (index >= 0 && index < static_cast<int>(classes.size()))
        return classes[static_cast<std::size_t>(index)];
    return std::to_string(index);
}

}  // namespace

std::size_t writeMapsCsv(ProjectDatabase& project, const std::filesystem::path& file) {
    const ProjectInfo info = project.info();
    std::map<std::int64_t, ScanRecord> scans;
    for (auto& s : project.scans())
        scans.emplace(s.id, std::move(s));
    std::map<std::int64_t, ModelRecord> models;
    for (auto& m : project.models())
        models.emplace(m.id, std::move(m));
    std::map<std::pair<std::int64_t, std::int64_t>, PredictionRecord> predictions;
    for (auto& p : project.predictions())
        predictions.emplace(std::pair(p.scanId, p.modelId), std::move(p));
    std::vector<MapRecord> maps = project.maps();
    std::stable_sort(maps.begin(), maps.end(), [](const MapRecord& a, const MapRecord& b) {
        if (a.scanId != b.scanId)
            return a.scanId < b.scanId;
        if (a.modelId != b.modelId)
            return a.modelId < b.modelId;
        return methodOrderLess(a.method, b.method);
    });

    CsvTable table({"scan", "class", "part", "model", "architecture", "method", "target_class", "layer",
                    "predicted_class", "correct", "available", "empty", "centre_x", "centre_y", "region_area",
                    "mask_iou", "pointing_hit", "energy_inside", "ground_truth", "sparseness", "effective_complexity",
                    "relevance_rank_accuracy", "top_k_intersection", "deletion_auc", "insertion_auc",
                    "faithfulness_correlation", "road_morf", "road_lerf", "max_sensitivity",
                    "average_sensitivity"});
    for (const auto& m : maps) {
        const ScanRecord& scan = scans.at(m.scanId);
        const ModelRecord& model = models.at(m.modelId);
        const auto p = predictions.find({m.scanId, m.modelId});
        const bool predicted = p != predictions.end();
        const MapMeasures& x = m.measures;
        table.addRow({scan.path, scan.className, scan.splitPart.value_or(""), model.name, model.architecture,
                      m.method, className(info.classes, m.targetClass), m.layer,
                      predicted ? className(info.classes, p->second.predictedClass) : "",
                      predicted ? csvFlag(p->second.correct) : "", csvFlag(m.available), csvFlag(m.empty),
                      csvNumber(x.centreX), csvNumber(x.centreY), csvNumber(x.regionArea),
                      csvNumber(x.maskIou), csvFlag(x.pointingHit), csvNumber(x.energyInside),
                      x.truth ? truthName(*x.truth) : "", csvNumber(x.sparseness),
                      csvNumber(x.effectiveComplexity), csvNumber(x.rankAccuracy), csvNumber(x.topKIntersection),
                      csvNumber(x.deletionAuc), csvNumber(x.insertionAuc), csvNumber(x.faithfulnessCorrelation),
                      csvNumber(x.roadMorf), csvNumber(x.roadLerf), csvNumber(x.maxSensitivity),
                      csvNumber(x.averageSensitivity)});
    }
    writeFileAtomically(file, table.text());
    return table.rows();
}

}  // namespace saliency::study
