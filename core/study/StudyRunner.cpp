#include "study/StudyRunner.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include <opencv2/imgcodecs.hpp>

#include "io/MaskReader.h"

#include "common/Error.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "io/ScanReader.h"
#include "models/Checkpoint.h"
#include "saliency/Explainer.h"
#include "study/FaithfulnessMeasures.h"
#include "study/FileFingerprint.h"
#include "study/GroundTruth.h"
#include "study/RobustnessMeasures.h"
#include "study/ScanRecording.h"

namespace fs = std::filesystem;

namespace saliency::study {

namespace {

using ImageExplanations = std::vector<explain::ImageExplanation>;

struct StudyModel {
    ModelRecord record;
    models::Checkpoint checkpoint;
    std::string layer;  // the card's target layer, else the model's default
    std::map<std::pair<std::string, std::string>, ProjectDatabase::StoredMap> stored;
};

struct Settings {
    std::vector<explain::Method> methods;
    metrics::Binarisation binarisation;
    int thumbnailSize = 64;
    std::vector<std::string> classes;
    std::optional<std::string> part;  // the split part studied
    bool faithfulness = false;
    bool robustness = false;
};

// One scan, read and ready for the networks.
struct ScanInput {
    const DatasetItem* item = nullptr;
    std::string path;  // relative, '/' separators
    std::string fingerprint;
    cv::Mat rgb;
    std::optional<GroundTruth> truth;
    bool remeasure = false;  // its stored maps were measured against other lesion marks
};

// ---- choosing the scans and loading the models ----

std::vector<int> selectItems(const Dataset& dataset, const StudyOptions& options) {
    if (!options.splitFile) {
        std::vector<int> all(dataset.items.size());
        std::iota(all.begin(), all.end(), 0);
        return all;
    }
    const Split split = loadSplit(*options.splitFile);
    if (options.part == "train")
        return splitIndices(dataset, split.train);
    if (options.part == "validation")
        return splitIndices(dataset, split.validation);
    if (options.part == "test")
        return splitIndices(dataset, split.test);
    throw Error("the split part must be train, validation or test (got '" + options.part + "')");
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Every checkpoint is loaded and checked before the project is touched, so a bad one leaves no row.
std::vector<models::Checkpoint> loadCheckpoints(const StudyOptions& options,
                                                const std::vector<std::string>& classes) {
    std::vector<models::Checkpoint> out;
    for (const auto& file : options.checkpoints) {
        models::Checkpoint checkpoint = models::loadCheckpoint(file);
        if (checkpoint.card.classes != classes) {
            throw Error("the model " + file.string() + " has the classes (" +
                        joined(checkpoint.card.classes) + "), not the data set's class folders (" +
                        joined(classes) + ")");
        }
        out.push_back(std::move(checkpoint));
    }
    return out;
}

std::vector<StudyModel> registerModels(ProjectDatabase& project, const StudyOptions& options,
                                       std::vector<models::Checkpoint> checkpoints) {
    std::vector<StudyModel> out;
    for (std::size_t i = 0; i < checkpoints.size(); ++i) {
        const fs::path& file = options.checkpoints[i];
        models::Checkpoint& checkpoint = checkpoints[i];
        const ModelRecord record =
            project.registerModel({.name = file.stem().string(),
                                   .checkpointPath = fs::canonical(file).generic_string(),
                                   .architecture = checkpoint.card.architecture,
                                   .cardJson = checkpoint.card.toJson().dump(),
                                   .fingerprint = fileFingerprint(file)});
        const bool repeated = std::any_of(out.begin(), out.end(),
                                          [&](const StudyModel& m) { return m.record.id == record.id; });
        if (repeated)
            continue;  // the same checkpoint named twice: one model, never paired with itself
        std::string layer = checkpoint.card.targetLayer;
        if (layer.empty())
            layer = checkpoint.model->defaultTargetLayer();
        auto stored = project.studiedMaps(record.id, layer);
        out.push_back({record, std::move(checkpoint), std::move(layer), std::move(stored)});
    }
    return out;
}

// ---- what is left to do ----

// A scan needs work when one of its maps, or a pair of two stored maps (models studied in
// separate runs), is missing.
bool needsWork(const std::string& path, const std::vector<StudyModel>& models, const Settings& settings,
               const std::set<std::pair<std::int64_t, std::int64_t>>& pairs) {
    struct Stored {
        std::size_t model;
        std::string method;
        std::int64_t id;
    };
    std::vector<Stored> available;
    for (std::size_t m = 0; m < models.size(); ++m) {
        for (const auto method : settings.methods) {
            const auto found = models[m].stored.find({path, explain::methodName(method)});
            if (found == models[m].stored.end())
                return true;
            if (found->second.available)
                available.push_back({m, found->first.second, found->second.id});
        }
    }
    for (std::size_t i = 0; i < available.size(); ++i) {
        for (std::size_t j = i + 1; j < available.size(); ++j) {
            const auto& a = available[i];
            const auto& b = available[j];
            if (pairKindFor(a.model == b.model, a.method == b.method) && !pairs.contains({a.id, b.id}) &&
                !pairs.contains({b.id, a.id}))
                return true;
        }
    }
    return false;
}

// ---- reading a scan ----

std::optional<cv::Mat> readMask(const Dataset& dataset, const DatasetItem& item,
                                std::vector<std::string>& warnings) {
    if (!item.maskPath)
        return std::nullopt;
    const fs::path file = dataset.root / *item.maskPath;
    cv::Mat mask = saliency::readMask(file);
    if (mask.empty()) {
        warnings.push_back(item.maskPath->generic_string() +
                           ": the mask cannot be read; scan studied without it");
        return std::nullopt;
    }
    return mask;
}

ScanInput readInput(ProjectDatabase& project, const Dataset& dataset, const DatasetItem& item,
                    const std::set<std::string>& remeasure, std::vector<std::string>& warnings) {
    ScanInput input;
    input.item = &item;
    input.path = item.relativePath.generic_string();
    const fs::path file = dataset.absolute(item);
    input.fingerprint = fileFingerprint(file);
    const auto stored = project.findScan(input.path);
    if (stored && stored->fingerprint != input.fingerprint) {
        throw Error(
            "the file has changed since this project studied it; its stored results are kept "
            "(study the new file into a new project)");
    }
    input.rgb = readScan(file).rgb;
    input.truth = groundTruth(readMask(dataset, item, warnings),
                              stored ? project.lesionMarks(stored->id) : std::vector<LesionMark>{});
    input.remeasure = remeasure.contains(input.path);
    return input;
}

// ---- computing (pure: a failure skips the scan) ----

std::vector<ImageExplanations> explainBatch(std::vector<StudyModel>& models,
                                            const std::vector<ScanInput>& inputs, const Settings& settings) {
    std::vector<cv::Mat> images;
    for (const auto& input : inputs)
        images.push_back(input.rgb);
    std::vector<ImageExplanations> out;  // [model][scan]
    for (auto& model : models) {
        explain::Explainer explainer(*model.checkpoint.model);
        explain::ExplainOptions options;
        options.methods = settings.methods;
        options.layer = model.layer;  // the predicted class: targetClasses left empty
        out.push_back(explainer.explain(images, model.checkpoint.card, options));
    }
    return out;
}

ScanRows computeScan(const ScanInput& input, const std::vector<StudyModel>& models,
                     const std::vector<const explain::ImageExplanation*>& explanations,
                     const Settings& settings) {
    const DatasetItem& item = *input.item;
    ScanExplanations scan;
    scan.scan = {.path = input.path,
                 .classIndex = item.label,
                 .className = settings.classes.at(static_cast<std::size_t>(item.label)),
                 .splitPart = settings.part,
                 .maskPath = item.maskPath ? std::optional(item.maskPath->generic_string()) : std::nullopt,
                 .width = input.rgb.cols,
                 .height = input.rgb.rows,
                 .fingerprint = input.fingerprint};
    scan.truth = input.truth;
    for (std::size_t m = 0; m < models.size(); ++m) {
        std::set<std::string> stored;
        for (const auto& map : explanations[m]->maps) {
            if (input.remeasure)
                break;  // every map measured against the readers' marks as they are now
            const std::string method = explain::methodName(map.method);
            if (models[m].stored.contains({input.path, method}))
                stored.insert(method);
        }
        scan.networks.push_back({models[m].record, explanations[m], std::move(stored)});
    }
    return scanRows(scan, {settings.binarisation, settings.thumbnailSize});
}

// ---- the run ----

class Run {
  public:
    Run(ProjectDatabase& project, const Dataset& dataset, std::vector<StudyModel>& models, Settings settings,
        std::set<std::string> remeasure, StudySummary& summary, ProgressScope& scope)
        : project_(project),
          dataset_(dataset),
          remeasure_(std::move(remeasure)),
          models_(models),
          settings_(std::move(settings)),
          summary_(summary),
          scope_(scope) {}

    void batch(const std::vector<int>& indices) {
        std::vector<ScanInput> inputs;
        for (const int index : indices) {
            const DatasetItem& item = dataset_.items[static_cast<std::size_t>(index)];
            try {
                inputs.push_back(readInput(project_, dataset_, item, remeasure_, summary_.warnings));
            } catch (const std::exception& e) {
                skip(item.relativePath.generic_string(), e);
            }
        }
        study(inputs);
        // Skipped scans count as done, once the rest of their batch is stored.
        for (std::size_t i = inputs.size(); i < indices.size(); ++i)
            advance({});
    }

  private:
    // Explains the whole batch at once; when that fails, each scan alone, so that one bad scan
    // (e.g. an image the preprocessing refuses) is skipped and the others are studied.
    void study(const std::vector<ScanInput>& inputs) {
        if (inputs.empty())
            return;
        std::vector<ImageExplanations> explanations;
        try {
            explanations = explainBatch(models_, inputs, settings_);
        } catch (const std::exception& e) {
            if (inputs.size() == 1) {
                skip(inputs.front().path, e);
                advance(inputs.front().path);
                return;
            }
            for (const auto& input : inputs)
                study({input});
            return;
        }
        for (std::size_t i = 0; i < inputs.size(); ++i)
            finishScan(inputs[i], explanations, i);
    }

    void finishScan(const ScanInput& input, const std::vector<ImageExplanations>& explanations,
                    std::size_t i) {
        std::vector<const explain::ImageExplanation*> mine;
        for (const auto& perModel : explanations)
            mine.push_back(&perModel[i]);
        std::optional<ScanRows> rows;
        try {
            rows = computeScan(input, models_, mine, settings_);
            for (auto& map : rows->maps) {
                if (map.stored || !map.record.available)
                    continue;
                models::Checkpoint& network = models_[map.network].checkpoint;
                if (settings_.faithfulness)
                    measureFaithfulness(network, input.rgb, map.analysis, map.record.targetClass, 0,
                                        map.record.measures);
                if (settings_.robustness)
                    measureRobustness(network, input.rgb, map.analysis, map.record, 0);
            }
        } catch (const std::exception& e) {
            skip(input.path, e);
        }
        if (rows) {  // a failure to write is the project's, not the scan's: it ends the study
            const RecordedScan recorded = writeScanRows(project_, *rows);
            summary_.mapsAdded += recorded.mapsAdded;
            summary_.pairsAdded += recorded.pairsAdded;
            ++summary_.studied;
        }
        advance(input.path);
    }

    // The safe point for a cancel: after a scan's transaction.
    void advance(const std::string& path) {
        if (!scope_.update(++done_, path))
            throw Cancelled();
    }

    void skip(const std::string& path, const std::exception& e) {
        const auto* fileError = dynamic_cast<const FileError*>(&e);
        summary_.skipped.push_back({path, fileError ? fileError->reason() : std::string(e.what())});
    }

    ProjectDatabase& project_;
    const Dataset& dataset_;
    std::set<std::string> remeasure_;
    std::vector<StudyModel>& models_;
    Settings settings_;
    StudySummary& summary_;
    ProgressScope& scope_;
    std::int64_t done_ = 0;
};

void requireUsable(const StudyOptions& options) {
    if (options.checkpoints.empty())
        throw Error("a study needs at least one model");
    if (options.methods.empty())
        throw Error("a study needs at least one saliency method");
    if (options.batchSize < 1)
        throw Error("the batch size must be at least 1");
}

}  // namespace

StudySummary runStudy(ProjectDatabase& project, const StudyOptions& options, Progress& progress) {
    requireUsable(options);
    // Decoding happens once, in the study: a file that cannot be read is skipped there.
    const Dataset dataset = scanDataset(options.data, ScanOptions{.decode = false});
    const std::vector<int> selected = selectItems(dataset, options);
    std::vector<models::Checkpoint> checkpoints = loadCheckpoints(options, dataset.classes);

    project.bindDataSet(fs::canonical(options.data), dataset.classes);
    StudySummary summary;
    std::vector<StudyModel> models = registerModels(project, options, std::move(checkpoints));
    for (const auto& m : models)
        summary.models.push_back(m.record);
    for (const auto& skipped : dataset.skipped)
        summary.skipped.push_back({skipped.relativePath.generic_string(), skipped.reason});

    const ProjectInfo info = project.info();
    Settings settings{options.methods, info.binarisation, info.thumbnailSize, dataset.classes,
                      options.splitFile ? std::optional(options.part) : std::nullopt, options.faithfulness,
                      options.robustness};
    const auto pairs = project.pairKeys();
    std::set<std::string> remeasure = project.scansToRemeasure();
    std::vector<int> todo;
    for (const int index : selected) {
        const auto path = dataset.items[static_cast<std::size_t>(index)].relativePath.generic_string();
        if (remeasure.contains(path) || needsWork(path, models, settings, pairs))
            todo.push_back(index);
    }
    summary.scans = static_cast<std::int64_t>(selected.size());
    summary.alreadyStored = summary.scans - static_cast<std::int64_t>(todo.size());

    ProgressScope scope(progress, "Studying", static_cast<std::int64_t>(todo.size()));
    Run run(project, dataset, models, std::move(settings), std::move(remeasure), summary, scope);
    const auto batch = static_cast<std::size_t>(options.batchSize);
    for (std::size_t start = 0; start < todo.size(); start += batch) {
        const auto end = std::min(todo.size(), start + batch);
        run.batch({todo.begin() + static_cast<std::ptrdiff_t>(start),
                   todo.begin() + static_cast<std::ptrdiff_t>(end)});
    }
    return summary;
}

}  // namespace saliency::study
