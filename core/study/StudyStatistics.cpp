#include "study/StudyStatistics.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "common/Error.h"
#include "metrics/Localisation.h"
#include "saliency/Method.h"

namespace saliency::study {

namespace {

std::optional<double> share(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
}

// The enumeration's order (the seed's four first), for any method this build knows.
std::size_t methodRank(const std::string& name) {
    const auto method = explain::parseMethod(name);
    return method ? static_cast<std::size_t>(*method) : std::numeric_limits<std::size_t>::max();
}

struct ModelMethodAccumulator {
    ModelMethodStatistics row;
    metrics::SummaryAccumulator regionArea, maskIou, energyInside, sparseness, effectiveComplexity, rankAccuracy,
        topKIntersection, deletionAuc, insertionAuc, faithfulnessCorrelation, roadMorf, roadLerf, maxSensitivity,
        averageSensitivity;
};

struct PairAccumulator {
    metrics::SummaryAccumulator iou, centreDistance;
};

// Everything a map row is looked up against, by id.
struct Index {
    std::map<std::int64_t, const ModelRecord*> models;
    std::map<std::int64_t, std::size_t> modelOrder;
    std::set<std::int64_t> scansWithMask;
    std::map<std::pair<std::int64_t, std::int64_t>, bool> correct;  // (scan, model) -> prediction correct
    std::map<std::int64_t, const MapRecord*> maps;

    // Lookups of the rows that others refer to. Opening checks the references (checkReferences),
    // but a damaged file can also hide one from that check (its schema text altered), so a missing
    // row is a clear error here, never std::out_of_range.
    const ModelRecord& model(std::int64_t id) const { return *find(models, id, "network"); }
    std::size_t order(std::int64_t id) const { return find(modelOrder, id, "network"); }
    const MapRecord& map(std::int64_t id) const { return *find(maps, id, "map"); }

  private:
    template <typename Value>
    static const Value& find(const std::map<std::int64_t, Value>& rows, std::int64_t id, const char* what) {
        const auto it = rows.find(id);
        if (it == rows.end())
            throw Error("the project is damaged: a row refers to " + std::string(what) + " id " +
                        std::to_string(id) + ", which is not in it");
        return it->second;
    }
};

Index buildIndex(const StudyStatistics& s, const std::vector<ScanRecord>& scans,
                 const std::vector<PredictionRecord>& predictions, const std::vector<MapRecord>& maps) {
    Index index;
    for (std::size_t i = 0; i < s.models.size(); ++i) {
        index.models[s.models[i].id] = &s.models[i];
        index.modelOrder[s.models[i].id] = i;
    }
    for (const auto& scan : scans) {
        if (scan.maskPath)
            index.scansWithMask.insert(scan.id);
    }
    for (const auto& p : predictions)
        index.correct[{p.scanId, p.modelId}] = p.correct;
    for (const auto& m : maps)
        index.maps[m.id] = &m;
    return index;
}

// CheXlocalize's hit: the region at a threshold overlaps the ground truth with IoU >= 0.5.
void addThresholdIous(ModelMethodStatistics& row, const std::vector<std::optional<double>>& ious) {
    if (ious.empty())
        return;
    if (row.thresholdRates.empty())
        for (const auto& b : metrics::standardThresholdSweep())
            row.thresholdRates.push_back({metrics::describe(b), 0, 0});
    for (std::size_t i = 0; i < std::min(ious.size(), row.thresholdRates.size()); ++i) {
        if (!ious[i])
            continue;
        ++row.thresholdRates[i].maps;
        row.thresholdRates[i].hits += *ious[i] >= kHitIou ? 1 : 0;
    }
}

void addMap(ModelMethodAccumulator& acc, const MapRecord& m, const Index& index) {
    ModelMethodStatistics& row = acc.row;
    ++row.maps;
    if (const auto p = index.correct.find({m.scanId, m.modelId}); p != index.correct.end()) {
        ++row.predictions;
        row.correctPredictions += p->second ? 1 : 0;
    }
    if (!m.available)
        return;
    ++row.available;
    row.nonEmpty += m.empty ? 0 : 1;
    acc.regionArea.add(m.measures.regionArea);
    acc.sparseness.add(m.measures.sparseness);
    acc.effectiveComplexity.add(m.measures.effectiveComplexity);
    if (m.measures.deletionAuc) {  // measured: an undefined correlation counts as undefined, not absent
        acc.deletionAuc.add(m.measures.deletionAuc);
        acc.insertionAuc.add(m.measures.insertionAuc);
        acc.faithfulnessCorrelation.add(m.measures.faithfulnessCorrelation);
    }
    if (m.measures.roadMorf) {  // maps measured before ROAD existed have none: absent, not undefined
        acc.roadMorf.add(m.measures.roadMorf);
        acc.roadLerf.add(m.measures.roadLerf);
    }
    if (m.measures.maxSensitivity) {  // unset also for an all-zero map, which has no relative change
        acc.maxSensitivity.add(m.measures.maxSensitivity);
        acc.averageSensitivity.add(m.measures.averageSensitivity);
    }
    if (!m.measures.truth)
        return;
    acc.rankAccuracy.add(m.measures.rankAccuracy);
    acc.topKIntersection.add(m.measures.topKIntersection);
    addThresholdIous(row, m.measures.thresholdIous);
    switch (*m.measures.truth) {
        case TruthSource::Mask:
            ++row.withMask;
            break;
        case TruthSource::Box:
            ++row.withBox;
            break;
        case TruthSource::Point:
            ++row.withPoint;
            break;
    }
    acc.maskIou.add(m.measures.maskIou);
    acc.energyInside.add(m.measures.energyInside);
    if (m.measures.pointingHit) {
        ++row.pointingPlayed;
        row.pointingHits += *m.measures.pointingHit ? 1 : 0;
    }
}

void addVerdict(ModelMethodStatistics& row, Verdict verdict) {
    switch (verdict) {
        case Verdict::Correct:
            ++row.judgedCorrect;
            break;
        case Verdict::Incorrect:
            ++row.judgedIncorrect;
            break;
        case Verdict::Unsure:
            ++row.judgedUnsure;
            break;
    }
}

std::vector<ModelMethodStatistics> modelMethodRows(const Index& index, const std::vector<MapRecord>& maps,
                                                   const std::vector<Annotation>& annotations) {
    std::map<std::pair<std::int64_t, std::string>, ModelMethodAccumulator> byKey;
    auto accumulator = [&](std::int64_t modelId, const std::string& method) -> ModelMethodAccumulator& {
        ModelMethodAccumulator& acc = byKey[{modelId, method}];
        const ModelRecord& model = index.model(modelId);
        acc.row.model = model.name;
        acc.row.architecture = model.architecture;
        acc.row.method = method;
        return acc;
    };
    for (const auto& m : maps)
        addMap(accumulator(m.modelId, m.method), m, index);
    for (const auto& a : annotations)
        addVerdict(accumulator(a.key.modelId, a.key.method).row, a.verdict);

    std::vector<std::pair<std::int64_t, std::string>> keys;
    for (const auto& [key, acc] : byKey)
        keys.push_back(key);
    std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
        const auto ma = index.order(a.first), mb = index.order(b.first);
        return ma != mb ? ma < mb : methodOrderLess(a.second, b.second);
    });
    std::vector<ModelMethodStatistics> rows;
    for (const auto& key : keys) {
        ModelMethodAccumulator& acc = byKey.at(key);
        acc.row.regionArea = acc.regionArea.summary();
        acc.row.maskIou = acc.maskIou.summary();
        acc.row.energyInside = acc.energyInside.summary();
        acc.row.sparseness = acc.sparseness.summary();
        acc.row.effectiveComplexity = acc.effectiveComplexity.summary();
        acc.row.rankAccuracy = acc.rankAccuracy.summary();
        acc.row.topKIntersection = acc.topKIntersection.summary();
        acc.row.deletionAuc = acc.deletionAuc.summary();
        acc.row.insertionAuc = acc.insertionAuc.summary();
        acc.row.faithfulnessCorrelation = acc.faithfulnessCorrelation.summary();
        acc.row.roadMorf = acc.roadMorf.summary();
        acc.row.roadLerf = acc.roadLerf.summary();
        acc.row.maxSensitivity = acc.maxSensitivity.summary();
        acc.row.averageSensitivity = acc.averageSensitivity.summary();
        rows.push_back(acc.row);
    }
    return rows;
}

// (group, first, second) for model pairs (method, model, model) and method pairs (model, method, method).
using PairKey = std::tuple<std::string, std::string, std::string>;

void pairRows(const Index& index, const std::vector<PairRecord>& pairs, StudyStatistics& out) {
    std::map<PairKey, PairAccumulator> models, methods;
    for (const auto& p : pairs) {
        const MapRecord& a = index.map(p.firstMapId);
        const MapRecord& b = index.map(p.secondMapId);
        const std::string& modelA = index.model(a.modelId).name;
        const std::string& modelB = index.model(b.modelId).name;
        PairAccumulator& acc = p.kind == PairKind::Models ? models[{a.method, modelA, modelB}]
                                                          : methods[{modelA, a.method, b.method}];
        acc.iou.add(p.iou);
        acc.centreDistance.add(p.centreDistance);
    }
    auto modelRank = [&](const std::string& name) {
        const auto found = std::find_if(out.models.begin(), out.models.end(),
                                        [&](const ModelRecord& m) { return m.name == name; });
        return found - out.models.begin();
    };
    for (const auto& [key, acc] : models) {
        out.modelPairs.push_back({PairKind::Models, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                  acc.iou.summary(), acc.centreDistance.summary()});
    }
    for (const auto& [key, acc] : methods) {
        out.methodPairs.push_back({PairKind::Methods, std::get<0>(key), std::get<1>(key), std::get<2>(key),
                                   acc.iou.summary(), acc.centreDistance.summary()});
    }
    std::stable_sort(out.modelPairs.begin(), out.modelPairs.end(), [](const auto& x, const auto& y) {
        return x.group != y.group && methodOrderLess(x.group, y.group);
    });
    std::stable_sort(out.methodPairs.begin(), out.methodPairs.end(), [&](const auto& x, const auto& y) {
        if (x.group != y.group)
            return modelRank(x.group) < modelRank(y.group);
        if (x.first != y.first)
            return methodOrderLess(x.first, y.first);
        return methodOrderLess(x.second, y.second);
    });
}

// ---- agreement between annotators ----

constexpr std::size_t kVerdicts = 3;  // correct, incorrect, unsure: the categories of kappa
// A verdict's enumerator is its row and column in the agreement table.
static_assert(static_cast<std::size_t>(Verdict::Unsure) == kVerdicts - 1);

// Every annotator's verdict on one map (scan, model, method).
using MapKey = std::tuple<std::int64_t, std::int64_t, std::string>;
using VerdictsByMap = std::map<MapKey, std::map<std::string, Verdict>>;

VerdictsByMap verdictsByMap(const std::vector<Annotation>& annotations) {
    VerdictsByMap out;
    for (const auto& a : annotations)
        out[{a.key.scanId, a.key.modelId, a.key.method}][a.key.annotator] = a.verdict;
    return out;
}

std::vector<std::string> annotatorsOf(const std::vector<Annotation>& annotations) {
    std::set<std::string> names;
    for (const auto& a : annotations)
        names.insert(a.key.annotator);
    return {names.begin(), names.end()};
}

AnnotatorAgreement emptyAgreement(const std::string& first, const std::string& second,
                                  const std::string& model, const std::string& method) {
    return {first, second, model, method,
            metrics::AgreementTable(kVerdicts, std::vector<std::size_t>(kVerdicts, 0))};
}

void finishAgreement(AnnotatorAgreement& row) {
    for (std::size_t i = 0; i < kVerdicts; ++i) {
        row.agreed += row.table[i][i];
        for (const std::size_t count : row.table[i])
            row.maps += count;
    }
    row.kappa = metrics::cohenKappa(row.table);
}

// The pooled row, then one row per network x method (in the rows' order), for annotators a < b.
std::vector<AnnotatorAgreement> agreementRows(const std::string& a, const std::string& b, const Index& index,
                                              const VerdictsByMap& verdicts,
                                              const std::vector<ModelMethodStatistics>& modelMethods) {
    std::vector<AnnotatorAgreement> rows{emptyAgreement(a, b, "", "")};
    std::map<std::pair<std::string, std::string>, std::size_t> rowOf;  // (model, method) -> row
    for (const auto& mm : modelMethods) {
        rowOf[{mm.model, mm.method}] = rows.size();
        rows.push_back(emptyAgreement(a, b, mm.model, mm.method));
    }
    for (const auto& [key, byAnnotator] : verdicts) {
        const auto first = byAnnotator.find(a), second = byAnnotator.find(b);
        if (first == byAnnotator.end() || second == byAnnotator.end())
            continue;
        const auto i = static_cast<std::size_t>(first->second), j = static_cast<std::size_t>(second->second);
        ++rows.front().table[i][j];
        const std::string& model = index.model(std::get<1>(key)).name;
        ++rows[rowOf.at({model, std::get<2>(key)})].table[i][j];
    }
    for (auto& row : rows)
        finishAgreement(row);
    return rows;
}

void annotatorRows(const Index& index, const std::vector<Annotation>& annotations, StudyStatistics& out) {
    out.annotators = annotatorsOf(annotations);
    const VerdictsByMap verdicts = verdictsByMap(annotations);
    for (std::size_t a = 0; a < out.annotators.size(); ++a) {
        for (std::size_t b = a + 1; b < out.annotators.size(); ++b) {
            auto rows =
                agreementRows(out.annotators[a], out.annotators[b], index, verdicts, out.modelMethods);
            out.annotatorAgreement.insert(out.annotatorAgreement.end(), rows.begin(), rows.end());
        }
    }
    if (out.annotators.size() < 3)
        return;                                 // a pair is Cohen's kappa above
    metrics::CategoryCounts everyone, someone;  // maps judged by all; maps judged by two or more
    for (const auto& [key, byAnnotator] : verdicts) {
        std::vector<std::size_t> counts(kVerdicts, 0);
        for (const auto& [annotator, verdict] : byAnnotator)
            ++counts[static_cast<std::size_t>(verdict)];
        if (byAnnotator.size() == out.annotators.size())
            everyone.push_back(counts);
        someone.push_back(counts);
    }
    out.fleissKappa = metrics::fleissKappa(everyone);
    out.krippendorffAlpha = metrics::krippendorffAlphaNominal(someone);
}

}  // namespace

std::optional<double> AnnotatorAgreement::observedAgreement() const {
    return share(agreed, maps);
}

std::optional<double> ModelMethodStatistics::nonEmptyShare() const {
    return share(nonEmpty, available);
}

std::optional<double> ModelMethodStatistics::correctShare() const {
    return share(correctPredictions, predictions);
}

std::optional<double> ModelMethodStatistics::pointingRate() const {
    return share(pointingHits, pointingPlayed);
}

std::optional<double> ModelMethodStatistics::judgedCorrectShare() const {
    return share(judgedCorrect, judgedCorrect + judgedIncorrect);
}

bool methodOrderLess(const std::string& a, const std::string& b) {
    const auto ra = methodRank(a), rb = methodRank(b);
    return ra != rb ? ra < rb : a < b;
}

StudyStatistics computeStatistics(ProjectDatabase& project, const std::optional<std::string>& judgedBy) {
    StudyStatistics out;
    out.projectFile = project.file().string();
    out.info = project.info();
    out.models = project.models();
    const auto scans = project.scans();
    const auto predictions = project.predictions();
    const auto maps = project.maps();
    const auto pairs = project.pairs();
    const auto annotations = project.annotations();
    out.scans = scans.size();
    out.maps = maps.size();
    out.pairs = pairs.size();
    out.annotations = annotations.size();
    const Index index = buildIndex(out, scans, predictions, maps);
    out.scansWithMask = index.scansWithMask.size();
    std::set<std::int64_t> marked;
    for (const auto& mark : project.lesionMarks())
        marked.insert(mark.scanId);
    out.scansWithLesionMark = marked.size();
    out.judgedBy = judgedBy;
    std::vector<Annotation> judged;
    for (const auto& a : annotations)
        if (!judgedBy || a.key.annotator == *judgedBy)
            judged.push_back(a);
    out.modelMethods = modelMethodRows(index, maps, judged);
    pairRows(index, pairs, out);
    annotatorRows(index, annotations, out);
    out.intraReader = intraReaderAgreement(project);
    return out;
}

}  // namespace saliency::study
