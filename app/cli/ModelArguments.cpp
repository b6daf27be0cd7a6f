#include "cli/ModelArguments.h"

#include <sstream>

#include "common/Error.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"

namespace saliency::cli {

namespace {

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty())
            out.push_back(item);
    }
    return out;
}

// Without --classes, the class count comes from the head in the weights file, if it has one.
std::vector<std::string> classesFromWeights(const models::TensorDict& tensors, const std::string& arch) {
    const models::Classifier probe = models::makeModel(arch, 2);
    const std::string headWeight = probe->headName() + ".weight";
    for (const auto& [name, tensor] : tensors) {
        if (name == headWeight && tensor.dim() == 2) {
            std::vector<std::string> classes;
            for (std::int64_t i = 0; i < tensor.size(0); ++i)
                classes.push_back("class " + std::to_string(i));
            return classes;
        }
    }
    throw UsageError("the weights file has no " + headWeight + ": name the classes with --classes a,b");
}

}  // namespace

LoadedModel loadModelFromArguments(Arguments& args) {
    const auto checkpoint = args.value("model");
    const auto arch = args.value("arch");
    const auto weights = args.value("weights");
    const auto classes = args.value("classes");
    const int imageSize = args.integer("image-size", 224, 16, 2048);
    if (checkpoint && (arch || weights || classes))
        throw UsageError("give either --model CKPT or --arch ARCH --weights FILE, not both");
    if (checkpoint) {
        models::Checkpoint loaded = models::loadCheckpoint(*checkpoint);
        return {std::move(loaded.model), std::move(loaded.card), *checkpoint};
    }
    if (!arch || !weights)
        throw UsageError("a model is required: --model CKPT, or --arch ARCH --weights FILE");
    const auto canonical = models::canonicalArchitecture(*arch);
    if (!canonical) {
        std::string known;
        for (const auto& a : models::architectures())
            known += (known.empty() ? "" : ", ") + a;
        throw UsageError("unknown architecture '" + *arch + "' (known: " + known + ")");
    }
    const models::TensorDict tensors = models::readTensorDict(*weights);
    std::vector<std::string> names = classes ? splitList(*classes) : classesFromWeights(tensors, *canonical);
    if (names.size() < 2)
        throw UsageError("--classes needs at least two names, e.g. --classes tumour,healthy");
    models::Checkpoint loaded =
        models::importForInference(*canonical, tensors, *weights, std::move(names), imageSize);
    return {std::move(loaded.model), std::move(loaded.card), *weights};
}

}  // namespace saliency::cli
