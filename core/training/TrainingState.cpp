#include "training/TrainingState.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "common/AtomicFile.h"
#include "common/BoundedJson.h"
#include "common/Error.h"

namespace saliency {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "saliency-studio-training-state";
constexpr int kVersion = 1;

std::string firstLine(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

}  // namespace

void saveTrainingState(const fs::path& file, const models::ClassifierImpl& model,
                       const torch::optim::Optimizer& optimiser, const nlohmann::json& record) {
    nlohmann::json meta = record;
    meta["format"] = kFormat;
    meta["version"] = kVersion;
    replaceFileAtomically(file, [&](const fs::path& temporary) {
        try {
            torch::serialize::OutputArchive archive;
            archive.write("meta", c10::IValue(meta.dump()));
            torch::serialize::OutputArchive modelArchive;
            model.save(modelArchive);
            archive.write("model", modelArchive);
            torch::serialize::OutputArchive optimiserArchive;
            optimiser.save(optimiserArchive);
            archive.write("optimiser", optimiserArchive);
            archive.save_to(temporary.string());
        } catch (const c10::Error& e) {
            throw FileError(file,
                            "cannot write the training state: " + firstLine(e.what_without_backtrace()));
        }
    });
}

nlohmann::json loadTrainingState(const fs::path& file, models::ClassifierImpl& model,
                                 torch::optim::Optimizer& optimiser, const c10::Device& device,
                                 const std::function<void(const nlohmann::json&)>& check) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw FileError(file, "no training state to resume from");
    nlohmann::json meta;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string(), device);
        c10::IValue text;
        if (!archive.try_read("meta", text) || !text.isString())
            throw FileError(file, "not a training state of Saliency Studio");
        meta = parseBoundedJson(text.toStringRef());
        if (meta.value("format", "") != kFormat)
            throw FileError(file, "not a training state of Saliency Studio");
        if (meta.value("version", 0) != kVersion)
            throw FileError(file, "training state version " + std::to_string(meta.value("version", 0)) +
                                      " is not supported (expected " + std::to_string(kVersion) + ")");
        if (check)
            check(meta);
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        model.load(modelArchive);
        torch::serialize::InputArchive optimiserArchive;
        archive.read("optimiser", optimiserArchive);
        optimiser.load(optimiserArchive);
    } catch (const c10::Error& e) {
        throw FileError(file, "cannot read the training state (truncated, or from another model?): " +
                                  firstLine(e.what_without_backtrace()));
    } catch (const nlohmann::json::exception& e) {
        throw FileError(file, std::string("the training state's record is damaged: ") + e.what());
    }
    return meta;
}

}  // namespace saliency
