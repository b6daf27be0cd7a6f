#pragma once
// What the statistics view plots, as plain values: read from a project and reduced off the GUI
// thread (a study of 5000 maps takes a moment), then drawn by StatisticsCharts and written by
// StatisticsTables. Both take the numbers from here, so a CSV holds exactly what a chart shows.
// No Qt, no LibTorch.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "metrics/Aggregate.h"
#include "metrics/Proportion.h"
#include "study/ProjectDatabase.h"
#include "study/StudyStatistics.h"

namespace saliency::ui {

// The rows the charts need beyond the summaries: centres of mass per map, distances per pair,
// verdicts and scan paths (a click filters the scan browser to scans).
struct ProjectRows {
    study::StudyStatistics statistics;
    std::vector<study::ScanRecord> scans;
    std::vector<study::MapRecord> maps;
    std::vector<study::PairRecord> pairs;
    std::vector<study::Annotation> annotations;
};

// With `judgedBy`, the verdicts (counts and rows) are that annotator's only; the agreement between
// annotators still compares everyone's.
ProjectRows readProjectRows(study::ProjectDatabase& project,
                            const std::optional<std::string>& judgedBy = std::nullopt);

// What the share chart measures: the radiologist's verdicts (the seed's manual test), or, before
// the first verdict, the share of maps that carry spatial information at all.
enum class ShareBasis { Judged, NonEmpty };

struct ShareEntry {
    std::string model;
    std::string method;
    std::size_t successes = 0;  // judged correct, or non-empty
    std::size_t trials = 0;     // judged correct or incorrect (unsure left out), or available
    std::optional<metrics::ProportionInterval> interval;  // Wilson 95%; unset for 0 trials
};

// Mean IoU of the binarised maps between every two networks (for one method) or every two methods
// (for one network). Symmetric; the diagonal holds nothing (n = 0).
struct PairMatrix {
    study::PairKind kind = study::PairKind::Models;
    std::string group;                // the method (network matrix) or the network (method matrix)
    std::vector<std::string> labels;  // rows and columns: networks or methods
    std::vector<metrics::Summary> iou;
    std::vector<metrics::Summary> centreDistance;
    std::size_t size() const { return labels.size(); }
    const metrics::Summary& iouAt(std::size_t row, std::size_t column) const;
};

struct CentrePoint {
    std::int64_t scanId = 0;
    std::string method;
    double x = 0;  // image-size units, x to the right
    double y = 0;  // image-size units, y down as in the image
};

struct CentreScatter {
    std::string model;
    std::vector<CentrePoint> points;  // maps with a centre of mass (available, not empty)
};

// Centre-of-mass distances between the maps of two networks (one method) over the scans.
struct DistanceHistogram {
    std::string firstModel;  // first < second by name, as in the project's pair rows
    std::string secondModel;
    std::string method;
    std::vector<std::size_t> counts;  // bin i: [i w, (i+1) w); the last bin includes its upper edge
    metrics::Summary distance;
};

struct DistanceHistograms {
    double binWidth = 0.02;  // image-size units
    std::size_t bins = 0;
    std::vector<DistanceHistogram> histograms;  // by network pair, then method
};

// Issue 18's metric families per network x method (study/StudyStatistics.h).
struct MetricEntry {
    std::string model;
    std::string method;
    metrics::Summary sparseness;    // every available map
    metrics::Summary rankAccuracy;  // against a mask or a reader's box
    metrics::Summary roadMorf;      // only maps a study measured faithfulness for
    metrics::Summary roadLerf;
    metrics::Summary averageSensitivity;  // only maps a study measured robustness for
};

struct MaskEntry {
    std::string model;
    std::string method;
    std::size_t withMask = 0;      // maps measured against a ground truth: a mask or a reader's mark
    std::size_t readerMarked = 0;  // of which against a reader's box or click (study/GroundTruth.h)
    metrics::Summary iou;
    std::optional<metrics::ProportionInterval> pointing;  // peak inside the mask; Wilson 95%
};

// "Right for the wrong reason": a network's accuracy against how often its maps were judged right.
struct AccuracyEntry {
    std::string model;
    std::string method;
    std::optional<metrics::ProportionInterval> accuracy;  // correct predictions on the scans with maps
    std::optional<metrics::ProportionInterval> judged;    // maps judged correct (unset without verdicts)
};

struct StatisticsData {
    ProjectRows rows;
    std::vector<std::string> models;   // in the order they were added
    std::vector<std::string> methods;  // study::methodOrderLess
    ShareBasis shareBasis = ShareBasis::NonEmpty;
    std::vector<ShareEntry> shares;           // one per network x method
    std::vector<PairMatrix> networkMatrices;  // one per method; none with fewer than two networks
    std::vector<PairMatrix> methodMatrices;   // one per network; none with fewer than two methods
    std::vector<CentreScatter> centres;       // one per network
    DistanceHistograms distances;
    std::vector<MaskEntry> masks;   // one per network x method
    std::vector<MetricEntry> metricFamilies;  // one per network x method
    std::size_t scansWithMask = 0;  // scans with a ground-truth mask, with or without maps
    bool anyMaskAgreement = false;  // some map of a scan with a mask is stored: the mask chart has bars
    std::vector<AccuracyEntry> accuracy;
};

// Reduces the rows to the charts' numbers (with Wilson 95% intervals for every proportion).
StatisticsData summariseForCharts(ProjectRows rows);

// Opens an existing project (its own connection: call it on the thread that uses the result) and
// summarises it. Throws FileError / Error with a message for a user.
StatisticsData loadStatisticsData(const std::filesystem::path& projectFile,
                                  const std::optional<std::string>& judgedBy = std::nullopt);

// ---- the scans behind a chart element (paths relative to the data root, in scan order) ----

// Scans with an available map of `model` x `method`; with `maskOnly`, only those with a mask.
std::vector<std::string> scansWithMaps(const StatisticsData& data, const std::string& model,
                                       const std::string& method, bool maskOnly = false);
// Scans whose map of `model` x `method` was judged correct or incorrect (any annotator).
std::vector<std::string> scansJudged(const StatisticsData& data, const std::string& model,
                                     const std::string& method);
// Scans with a stored pair: two networks for one method (kind Models, group = method) or two
// methods of one network (kind Methods, group = network). `a` and `b` in either order.
std::vector<std::string> scansOfPair(const StatisticsData& data, study::PairKind kind,
                                     const std::string& group, const std::string& a, const std::string& b);
std::string scanPath(const StatisticsData& data, std::int64_t scanId);  // empty when unknown

}  // namespace saliency::ui
