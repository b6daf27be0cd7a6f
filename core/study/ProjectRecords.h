#pragma once
// The rows of the project database as value types (docs/formats.md, "Project database"). No
// SQLite, LibTorch or Qt here: the GUI, the CLI and the report share them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/Binarise.h"

namespace saliency::study {

struct ProjectInfo {
    std::optional<std::string> dataRoot;  // absolute; unset until the first study binds a data set
    std::vector<std::string> classes;     // the data set's classes in label order
    // The rule behind region_area, mask_iou and the pairs' IoU (DESIGN.md section 4: level 0.5).
    metrics::Binarisation binarisation;
    int thumbnailSize = 64;  // the stored map copies are thumbnailSize x thumbnailSize
    std::string created;     // ISO 8601 UTC
    int schemaVersion = 0;
};

struct ScanRecord {
    std::int64_t id = 0;
    std::string path;  // relative to the data root, '/' separators
    int classIndex = -1;
    std::string className;
    std::optional<std::string> splitPart;  // "train", "validation", "test"; unset without a split
    std::optional<std::string> maskPath;   // relative to the data root
    int width = 0;                         // as decoded
    int height = 0;
    std::string fingerprint;  // of the file's bytes (FileFingerprint.h)
};

struct ModelRecord {
    std::int64_t id = 0;
    std::string name;            // unique in the project: the checkpoint's file stem, numbered if taken
    std::string checkpointPath;  // absolute, where it was last seen
    std::string architecture;
    std::string cardJson;     // the model card
    std::string fingerprint;  // of the checkpoint file: the model's identity
    std::string added;        // ISO 8601 UTC
};

struct PredictionRecord {
    std::int64_t scanId = 0;
    std::int64_t modelId = 0;
    std::vector<float> logits;
    std::vector<float> probabilities;
    int predictedClass = -1;
    bool correct = false;  // predictedClass == the scan's class
};

// What a map's localisation measures (IoU, pointing game, energy inside) were computed against
// (GroundTruth.h): the data set's tumour mask, else a reader's box around the lesion, else a
// reader's click on its centre (the pointing game only).
enum class TruthSource { Mask, Box, Point };
std::string truthName(TruthSource source);  // "mask", "box", "point"
std::optional<TruthSource> parseTruth(std::string_view name);

// Statistics of one map (MapStatistics.h); unset where undefined.
struct MapMeasures {
    std::optional<double> centreX;  // centre of mass in image-size units, [0,1]
    std::optional<double> centreY;
    std::optional<double> regionArea;    // share of pixels in the binarised region
    std::optional<double> maskIou;       // with the ground-truth mask; unset without a mask or both empty
    std::optional<bool> pointingHit;     // peak inside the mask; unset without a mask or for a flat map
    std::optional<double> energyInside;  // share of the map's sum inside the mask
    std::optional<TruthSource> truth;    // the ground truth of the three above; unset without one
    // Complexity (metrics/Complexity.h), for every available map:
    std::optional<double> sparseness;           // Gini index of the map; unset for a zero map
    std::optional<double> effectiveComplexity;  // share of pixels above 1e-5
    // Localisation beyond IoU (metrics/Localisation.h), against a mask or a reader's box:
    std::optional<double> rankAccuracy;      // share of the K top pixels inside (K: the truth's size)
    std::optional<double> topKIntersection;  // share of the top kTopKShare of pixels inside
    // IoU at each threshold of metrics::standardThresholdSweep() (CheXlocalize's hit rate); empty
    // without a mask or box, an unset entry where both regions are empty.
    std::vector<std::optional<double>> thresholdIous;
    // Faithfulness (FaithfulnessMeasures.h), only when the study was asked for it:
    std::optional<double> deletionAuc;              // lower: the probability falls fast
    std::optional<double> insertionAuc;             // higher: it rises fast
    std::optional<double> faithfulnessCorrelation;  // Pearson r, relevance vs probability drop
    std::optional<double> roadMorf;  // ROAD, most relevant removed first: mean probability, lower is better
    std::optional<double> roadLerf;  // least relevant first: higher is better
    // Robustness (metrics/Sensitivity.h), only when the study was asked for it: lower is steadier.
    std::optional<double> maxSensitivity;
    std::optional<double> averageSensitivity;
};

struct MapRecord {
    std::int64_t id = 0;
    std::int64_t scanId = 0;
    std::int64_t modelId = 0;
    std::string method;  // explain::methodName: "cam", "gradcam", ...
    int targetClass = -1;
    std::string layer;
    bool available = true;  // false: the method is not defined here; no measures, no thumbnail
    bool empty = false;     // no spatial information (DESIGN.md section 4)
    std::string message;    // why unavailable or empty
    int width = 0;          // the full map's size (the model's input size)
    int height = 0;
    MapMeasures measures;
    // 8-bit grey PNG of the (H,W) map at thumbnailSize (MapThumbnail.h); empty when unavailable.
    // Lists of maps leave it out; ProjectDatabase::thumbnailPng reads it.
    std::vector<unsigned char> thumbnailPng;
};

// Two maps of one scan: of two models for one method, or of two methods for one model.
enum class PairKind { Models, Methods };
std::string pairKindName(PairKind kind);  // "models", "methods"

struct PairRecord {
    std::int64_t firstMapId = 0;  // first < second in the pair's order (model or method name)
    std::int64_t secondMapId = 0;
    PairKind kind = PairKind::Models;
    std::optional<double> iou;             // unset when both binarised regions are empty
    std::optional<double> centreDistance;  // unset when either map has no centre
};

// A radiologist's judgement of one map (DESIGN.md section 1, step 4).
enum class Verdict { Correct, Incorrect, Unsure };
std::string verdictName(Verdict verdict);  // "correct", "incorrect", "unsure"
std::optional<Verdict> parseVerdict(std::string_view name);

struct AnnotationKey {
    std::int64_t scanId = 0;
    std::int64_t modelId = 0;
    std::string method;
    std::string annotator;  // empty: the project's single annotator
};

struct Annotation {
    AnnotationKey key;
    Verdict verdict = Verdict::Unsure;
    std::string note;
    std::string time;  // ISO 8601 UTC of the last change; set by the database
};

// Where a reader says the lesion is on a scan that has no mask (GroundTruth.h): a click on its
// centre (x1 = x0, y1 = y0) or a box. Normalised image coordinates, [0,1], origin top left.
struct LesionMark {
    std::int64_t scanId = 0;
    std::string annotator;  // one mark per reader and scan: a new one replaces it
    bool box = false;       // false: a point at (x0, y0)
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::string time;  // ISO 8601 UTC; set by the database
};

// ---- reader studies (ReaderStudy.h) ----

// One reader's pass over a study's maps.
struct ReaderSessionRecord {
    std::int64_t id = 0;
    std::string study;   // the study's name; a study has one session per reader
    std::string reader;  // the name their judgements carry (annotations' annotator)
    std::uint64_t seed = 0;   // the order of this session (below 2^63)
    double repeatShare = 0;   // share of maps shown a second time, [0, 0.5]
    std::string created;      // ISO 8601 UTC; set by the database
    std::size_t items = 0;    // read only: items in the session, repeats included
    std::size_t judged = 0;   // read only: items judged so far
};

// One screen of a session: a map under its blinded label, and the reader's judgement once made.
struct ReaderItemRecord {
    int position = 0;  // 0-based place in the session's order
    std::int64_t mapId = 0;
    std::string label;            // "A", "B", ...: the network and method, blinded
    std::optional<int> repeatOf;  // the position this item shows again; unset for a first showing
    std::optional<Verdict> verdict;
    std::optional<int> confidence;  // 1 (guess) .. 5 (certain)
    std::string note;
    std::optional<double> seconds;  // from the map on screen to the judgement
    std::optional<std::string> time;  // ISO 8601 UTC of the judgement
    // Read only, from the map: what the label hides and the scan shown.
    std::int64_t scanId = 0;
    std::string scanPath;
    std::int64_t modelId = 0;
    std::string method;
    int targetClass = -1;
    std::string layer;
};

}  // namespace saliency::study
