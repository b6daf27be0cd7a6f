#include "StatisticsData.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace saliency::ui {

namespace {

using study::PairKind;

std::size_t indexOf(const std::vector<std::string>& names, const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// Lookups by id that several reductions share.
struct RowIndex {
    std::map<std::int64_t, std::string> modelNames;
    std::map<std::int64_t, const study::MapRecord*> maps;

    explicit RowIndex(const ProjectRows& rows) {
        for (const auto& m : rows.statistics.models)
            modelNames[m.id] = m.name;
        for (const auto& m : rows.maps)
            maps[m.id] = &m;
    }
    std::int64_t modelId(const std::string& name) const {
        for (const auto& [id, n] : modelNames) {
            if (n == name)
                return id;
        }
        return -1;
    }
};

std::vector<std::string> methodsOf(const study::StudyStatistics& s) {
    std::vector<std::string> methods;
    for (const auto& row : s.modelMethods) {
        if (std::find(methods.begin(), methods.end(), row.method) == methods.end())
            methods.push_back(row.method);
    }
    std::sort(methods.begin(), methods.end(), study::methodOrderLess);
    return methods;
}

bool anyVerdict(const study::StudyStatistics& s) {
    return std::any_of(s.modelMethods.begin(), s.modelMethods.end(),
                       [](const auto& r) { return r.judgedCorrect + r.judgedIncorrect > 0; });
}

ShareEntry shareEntry(const study::ModelMethodStatistics& r, ShareBasis basis) {
    ShareEntry e{r.model, r.method};
    e.successes = basis == ShareBasis::Judged ? r.judgedCorrect : r.nonEmpty;
    e.trials = basis == ShareBasis::Judged ? r.judgedCorrect + r.judgedIncorrect : r.available;
    e.interval = metrics::wilsonInterval(e.successes, e.trials);
    return e;
}

PairMatrix emptyMatrix(PairKind kind, const std::string& group, const std::vector<std::string>& labels) {
    PairMatrix m{kind, group, labels};
    m.iou.resize(labels.size() * labels.size());
    m.centreDistance.resize(labels.size() * labels.size());
    return m;
}

// One matrix per group (method or network) that has at least one pair row.
std::vector<PairMatrix> pairMatrices(const std::vector<study::PairStatistics>& rows, PairKind kind,
                                     const std::vector<std::string>& groups,
                                     const std::vector<std::string>& labels) {
    std::vector<PairMatrix> out;
    if (labels.size() < 2)
        return out;
    for (const auto& group : groups) {
        PairMatrix m = emptyMatrix(kind, group, labels);
        bool any = false;
        for (const auto& r : rows) {
            const std::size_t a = indexOf(labels, r.first), b = indexOf(labels, r.second);
            if (r.group != group || a >= labels.size() || b >= labels.size())
                continue;
            m.iou[a * labels.size() + b] = m.iou[b * labels.size() + a] = r.iou;
            m.centreDistance[a * labels.size() + b] = m.centreDistance[b * labels.size() + a] =
                r.centreDistance;
            any = true;
        }
        if (any)
            out.push_back(std::move(m));
    }
    return out;
}

std::vector<CentreScatter> centreScatters(const StatisticsData& d, const RowIndex& index) {
    std::vector<CentreScatter> out;
    for (const auto& model : d.models)
        out.push_back({model, {}});
    for (const auto& m : d.rows.maps) {
        if (!m.available || m.empty || !m.measures.centreX || !m.measures.centreY)
            continue;
        const std::size_t i = indexOf(d.models, index.modelNames.at(m.modelId));
        if (i < out.size())
            out[i].points.push_back({m.scanId, m.method, *m.measures.centreX, *m.measures.centreY});
    }
    return out;
}

// Bins of 0.02 image widths up to the largest distance rounded up to 0.05 (at least 0.1): fine
// enough to see the seed's 0.09 to 0.29 means apart, coarse enough for a few hundred scans.
DistanceHistograms distanceHistograms(const StatisticsData& d, const RowIndex& index) {
    using Key = std::tuple<std::size_t, std::size_t, std::size_t>;  // model ranks, method rank
    std::map<Key, std::vector<double>> values;
    double largest = 0;
    for (const auto& p : d.rows.pairs) {
        if (p.kind != PairKind::Models || !p.centreDistance)
            continue;
        const study::MapRecord& a = *index.maps.at(p.firstMapId);
        const study::MapRecord& b = *index.maps.at(p.secondMapId);
        std::size_t ra = indexOf(d.models, index.modelNames.at(a.modelId));
        std::size_t rb = indexOf(d.models, index.modelNames.at(b.modelId));
        if (ra > rb)
            std::swap(ra, rb);
        values[{ra, rb, indexOf(d.methods, a.method)}].push_back(*p.centreDistance);
        largest = std::max(largest, *p.centreDistance);
    }
    DistanceHistograms out;
    const double upper = std::max(0.1, std::ceil(largest / 0.05 - 1e-9) * 0.05);
    out.bins = static_cast<std::size_t>(std::lround(upper / out.binWidth));
    for (const auto& [key, list] : values) {
        const auto [ra, rb, method] = key;
        std::string first = d.models[ra], second = d.models[rb];
        if (second < first)
            std::swap(first, second);
        DistanceHistogram h{first, second, d.methods.at(method), std::vector<std::size_t>(out.bins, 0),
                            metrics::summarise(list)};
        for (const double v : list) {
            const auto bin = static_cast<std::size_t>(std::floor(v / out.binWidth));
            ++h.counts[std::min(bin, out.bins - 1)];
        }
        out.histograms.push_back(std::move(h));
    }
    return out;
}

void addModelMethodRows(StatisticsData& d) {
    const auto& s = d.rows.statistics;
    d.shareBasis = anyVerdict(s) ? ShareBasis::Judged : ShareBasis::NonEmpty;
    d.scansWithMask = s.scansWithMask;
    for (const auto& r : s.modelMethods) {
        d.shares.push_back(shareEntry(r, d.shareBasis));
        d.masks.push_back({r.model, r.method, r.withMask + r.withBox + r.withPoint, r.withBox + r.withPoint,
                           r.maskIou, metrics::wilsonInterval(r.pointingHits, r.pointingPlayed)});
        d.anyMaskAgreement = d.anyMaskAgreement || d.masks.back().withMask > 0;
        d.metricFamilies.push_back(
            {r.model, r.method, r.sparseness, r.rankAccuracy, r.roadMorf, r.roadLerf, r.averageSensitivity});
        d.accuracy.push_back({r.model, r.method, metrics::wilsonInterval(r.correctPredictions, r.predictions),
                              metrics::wilsonInterval(r.judgedCorrect, r.judgedCorrect + r.judgedIncorrect)});
    }
}

// The paths of `ids`, in the project's scan order (the order the scan browser lists them).
std::vector<std::string> pathsOf(const StatisticsData& data, const std::set<std::int64_t>& ids) {
    std::vector<std::string> out;
    for (const auto& scan : data.rows.scans) {
        if (ids.contains(scan.id))
            out.push_back(scan.path);
    }
    return out;
}

template <typename Keep>
std::vector<std::string> scansWhere(const StatisticsData& data, Keep keep) {
    std::set<std::int64_t> ids;
    for (const auto& m : data.rows.maps) {
        if (keep(m))
            ids.insert(m.scanId);
    }
    return pathsOf(data, ids);
}

bool samePair(const std::string& x, const std::string& y, const std::string& a, const std::string& b) {
    return (x == a && y == b) || (x == b && y == a);
}

}  // namespace

const metrics::Summary& PairMatrix::iouAt(std::size_t row, std::size_t column) const {
    return iou.at(row * labels.size() + column);
}

ProjectRows readProjectRows(study::ProjectDatabase& project, const std::optional<std::string>& judgedBy) {
    ProjectRows rows;
    rows.statistics = study::computeStatistics(project, judgedBy);
    rows.scans = project.scans();
    rows.maps = project.maps();
    rows.pairs = project.pairs();
    rows.annotations = project.annotations();
    if (judgedBy)
        std::erase_if(rows.annotations,
                      [&](const study::Annotation& a) { return a.key.annotator != *judgedBy; });
    return rows;
}

StatisticsData summariseForCharts(ProjectRows rows) {
    StatisticsData d;
    d.rows = std::move(rows);
    const RowIndex index(d.rows);
    for (const auto& m : d.rows.statistics.models)
        d.models.push_back(m.name);
    d.methods = methodsOf(d.rows.statistics);
    addModelMethodRows(d);
    d.networkMatrices = pairMatrices(d.rows.statistics.modelPairs, PairKind::Models, d.methods, d.models);
    d.methodMatrices = pairMatrices(d.rows.statistics.methodPairs, PairKind::Methods, d.models, d.methods);
    d.centres = centreScatters(d, index);
    d.distances = distanceHistograms(d, index);
    return d;
}

StatisticsData loadStatisticsData(const std::filesystem::path& projectFile,
                                  const std::optional<std::string>& judgedBy) {
    study::ProjectDatabase project(projectFile, study::OpenMode::ReadOnly);
    return summariseForCharts(readProjectRows(project, judgedBy));
}

std::vector<std::string> scansWithMaps(const StatisticsData& data, const std::string& model,
                                       const std::string& method, bool maskOnly) {
    const RowIndex index(data.rows);
    const std::int64_t modelId = index.modelId(model);
    std::set<std::int64_t> masked;
    for (const auto& scan : data.rows.scans) {
        if (scan.maskPath)
            masked.insert(scan.id);
    }
    return scansWhere(data, [&](const study::MapRecord& m) {
        return m.modelId == modelId && m.method == method && m.available &&
               (!maskOnly || masked.contains(m.scanId));
    });
}

std::vector<std::string> scansJudged(const StatisticsData& data, const std::string& model,
                                     const std::string& method) {
    const RowIndex index(data.rows);
    const std::int64_t modelId = index.modelId(model);
    std::set<std::int64_t> ids;
    for (const auto& a : data.rows.annotations) {
        if (a.key.modelId == modelId && a.key.method == method && a.verdict != study::Verdict::Unsure)
            ids.insert(a.key.scanId);
    }
    return pathsOf(data, ids);
}

std::vector<std::string> scansOfPair(const StatisticsData& data, PairKind kind, const std::string& group,
                                     const std::string& a, const std::string& b) {
    const RowIndex index(data.rows);
    std::set<std::int64_t> ids;
    for (const auto& p : data.rows.pairs) {
        if (p.kind != kind)
            continue;
        const study::MapRecord& first = *index.maps.at(p.firstMapId);
        const study::MapRecord& second = *index.maps.at(p.secondMapId);
        const std::string& modelA = index.modelNames.at(first.modelId);
        const std::string& modelB = index.modelNames.at(second.modelId);
        const bool match = kind == PairKind::Models
                               ? first.method == group && samePair(modelA, modelB, a, b)
                               : modelA == group && samePair(first.method, second.method, a, b);
        if (match)
            ids.insert(first.scanId);
    }
    return pathsOf(data, ids);
}

std::string scanPath(const StatisticsData& data, std::int64_t scanId) {
    for (const auto& scan : data.rows.scans) {
        if (scan.id == scanId)
            return scan.path;
    }
    return {};
}

}  // namespace saliency::ui
