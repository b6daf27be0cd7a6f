#pragma once
// The seed's statistics over a project's stored rows (DESIGN.md section 1): per network x method
// the share of non-empty maps, of correct predictions and of maps a radiologist judged correct;
// mask agreement; for every pair of networks per method and every pair of methods per network,
// mean/std/n of the IoU of the binarised maps and of the centre-of-mass distance; and, for every
// two annotators, how well their verdicts agree (Cohen's kappa).
// Summaries come from core/metrics (metrics::SummaryAccumulator): undefined values (an IoU of two
// empty regions, a map without a centre) are counted apart, never averaged in.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "metrics/Aggregate.h"
#include "metrics/CohenKappa.h"
#include "metrics/MultiRaterAgreement.h"
#include "study/ProjectDatabase.h"
#include "study/ReaderStudy.h"

namespace saliency::study {

// A map "hits" the ground truth at a threshold when the IoU of its region there is at least this
// (CheXlocalize's rule, Saporta et al. 2022).
inline constexpr double kHitIou = 0.5;

struct ModelMethodStatistics {
    std::string model;
    std::string architecture;
    std::string method;
    std::size_t maps = 0;       // stored maps (one per scan)
    std::size_t available = 0;  // of which the method was defined
    std::size_t nonEmpty = 0;   // of which carried spatial information
    std::optional<double> nonEmptyShare() const;
    std::size_t predictions = 0;  // scans with these maps and a stored prediction
    std::size_t correctPredictions = 0;
    std::optional<double> correctShare() const;
    metrics::Summary regionArea;  // share of the image in the binarised region
    // Against the ground truth (GroundTruth.h): maps measured against a tumour mask, a reader's box
    // or a reader's click. IoU and energy inside come from masks and boxes; the pointing game from all.
    std::size_t withMask = 0;
    std::size_t withBox = 0;
    std::size_t withPoint = 0;
    metrics::Summary maskIou;
    std::size_t pointingPlayed = 0;  // a peak and a non-empty ground truth
    std::size_t pointingHits = 0;
    std::optional<double> pointingRate() const;
    metrics::Summary energyInside;  // also the field's "relevance mass accuracy"
    // Issue 18's metric families (docs/saliency.md): complexity over every available map ...
    metrics::Summary sparseness;
    metrics::Summary effectiveComplexity;
    // ... and localisation beyond IoU against a mask or a reader's box.
    metrics::Summary rankAccuracy;
    metrics::Summary topKIntersection;
    struct ThresholdRate {
        std::string threshold;  // metrics::describe: "Otsu", "level 0.5", "top 10%"
        std::size_t hits = 0;   // maps whose IoU at this threshold is >= kHitIou
        std::size_t maps = 0;   // maps with a defined IoU at this threshold
    };
    std::vector<ThresholdRate> thresholdRates;  // metrics::standardThresholdSweep()'s order; empty without truth
    // Faithfulness, over the maps a study measured it for (study --faithfulness).
    metrics::Summary deletionAuc;
    metrics::Summary insertionAuc;
    metrics::Summary faithfulnessCorrelation;
    metrics::Summary roadMorf;  // ROAD: mean probability, most / least relevant removed first
    metrics::Summary roadLerf;
    // Robustness, over the maps a study measured it for (study --robustness).
    metrics::Summary maxSensitivity;
    metrics::Summary averageSensitivity;
    // A radiologist's verdicts on these maps (every annotator, or StudyStatistics::judgedBy's):
    std::size_t judgedCorrect = 0;
    std::size_t judgedIncorrect = 0;
    std::size_t judgedUnsure = 0;
    // correct / (correct + incorrect): the seed's "share of maps judged correct"; unsure left out.
    std::optional<double> judgedCorrectShare() const;
};

struct PairStatistics {
    PairKind kind = PairKind::Models;
    std::string group;  // the method (model pairs) or the model (method pairs)
    std::string first;  // model names (model pairs) or method names (method pairs), first < second
    std::string second;
    metrics::Summary iou;
    metrics::Summary centreDistance;
};

// Two annotators' verdicts on the maps both judged: unweighted Cohen's kappa over the three
// verdicts (correct, incorrect, unsure), with its Fleiss-Cohen-Everitt standard error.
struct AnnotatorAgreement {
    std::string first;  // annotator names, first < second; "" is the project's default annotator
    std::string second;
    std::string model;  // model and method empty: pooled over every map both judged
    std::string method;
    // Rows: the first annotator's verdict, columns: the second's, in Verdict order (3 x 3).
    metrics::AgreementTable table;
    std::size_t maps = 0;                             // maps both judged
    std::size_t agreed = 0;                           // of which with the same verdict
    std::optional<double> observedAgreement() const;  // agreed / maps
    // Unset for no common map, or when chance agreement is certain (both gave one verdict to all).
    std::optional<metrics::KappaEstimate> kappa;
    bool pooled() const { return model.empty() && method.empty(); }
};

struct StudyStatistics {
    std::string projectFile;
    ProjectInfo info;
    std::vector<ModelRecord> models;  // in the order they were added
    std::size_t scans = 0;
    // Scans with a ground-truth mask, with or without maps: a project made in the app records the
    // scans' masks before any map is stored, and ModelMethodStatistics::withMask counts maps only.
    std::size_t scansWithMask = 0;
    std::size_t scansWithLesionMark = 0;  // scans a reader marked the lesion of (point or box)
    std::size_t maps = 0;
    std::size_t pairs = 0;
    std::size_t annotations = 0;
    // The annotator whose verdicts the judged counts hold; unset: every annotator's. The agreement
    // between annotators always compares everyone's.
    std::optional<std::string> judgedBy;
    std::vector<ModelMethodStatistics> modelMethods;  // models in order, then methods (methodOrderLess)
    std::vector<PairStatistics> modelPairs;           // per method, every pair of networks
    std::vector<PairStatistics> methodPairs;          // per network, every pair of methods
    std::vector<std::string> annotators;              // sorted; "" is the project's default annotator
    // Per pair of annotators (in name order): the pooled row, then one per network x method of
    // modelMethods, in that order (with maps = 0 where they judged none of the same maps).
    std::vector<AnnotatorAgreement> annotatorAgreement;
    // Every annotator together, with three or more (MultiRaterAgreement.h), pooled over every map:
    // Fleiss' kappa over the maps all of them judged, Krippendorff's alpha (nominal) over every map
    // two or more judged. Unset below three annotators, or when a statistic is undefined.
    std::optional<metrics::AgreementEstimate> fleissKappa;
    std::optional<metrics::AgreementEstimate> krippendorffAlpha;
    // Reader studies (ReaderStudy.h): each reader's agreement with themself over the maps shown twice.
    std::vector<IntraReaderAgreement> intraReader;
};

StudyStatistics computeStatistics(ProjectDatabase& project,
                                  const std::optional<std::string>& judgedBy = std::nullopt);

// Methods in explain::Method order; names this build does not know last, by name.
bool methodOrderLess(const std::string& a, const std::string& b);

}  // namespace saliency::study
