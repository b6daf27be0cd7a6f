#include "models/WeightImport.h"

#include <map>

#include "common/Error.h"

namespace saliency::models {

namespace {

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

std::string listSome(const std::vector<std::string>& names, std::size_t most = 5) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < most; ++i)
        s += (i ? "; " : "") + names[i];
    if (names.size() > most)
        s += "; and " + std::to_string(names.size() - most) + " more";
    return s;
}

}  // namespace

TensorDict stateDict(const ClassifierImpl& model) {
    TensorDict out;
    for (const auto& p : model.named_parameters())
        out.emplace_back(p.key(), p.value());
    for (const auto& b : model.named_buffers())
        out.emplace_back(b.key(), b.value());
    return out;
}

std::string ImportReport::summary() const {
    std::string s = std::to_string(loaded.size()) + " tensors loaded";
    s += headLoaded ? " (head included)" : " (head kept as initialised)";
    if (!missing.empty())
        s += "; missing from the file: " + listSome(missing);
    if (!unexpected.empty())
        s += "; not in the model: " + listSome(unexpected);
    if (!shapeMismatch.empty())
        s += "; shapes differ: " + listSome(shapeMismatch);
    if (!headSkipped.empty())
        s += "; head skipped: " + listSome(headSkipped);
    if (!ignored.empty())
        s += "; ignored (not imported for this architecture): " + std::to_string(ignored.size());
    return s;
}

ImportReport importWeights(ClassifierImpl& model, const TensorDict& tensors,
                           const std::filesystem::path& source, const ImportOptions& options) {
    const auto prefixes = model.importPrefixes();
    auto imported = [&](const std::string& name) {
        if (model.isHeadParameter(name) || prefixes.empty())
            return true;
        for (const auto& p : prefixes)
            if (startsWith(name, p))
                return true;
        return false;
    };

    std::map<std::string, at::Tensor> targets;
    for (auto& [name, tensor] : stateDict(model))
        targets.emplace(name, tensor);

    ImportReport report;
    std::map<std::string, at::Tensor> fromFile;
    for (const auto& [name, tensor] : tensors) {
        if (!imported(name)) {
            report.ignored.push_back(name);
            continue;
        }
        if (!targets.count(name)) {
            report.unexpected.push_back(name);
            continue;
        }
        fromFile.emplace(name, tensor);
    }

    std::vector<std::pair<at::Tensor, at::Tensor>> copies;  // (model tensor, file tensor)
    std::vector<std::pair<at::Tensor, at::Tensor>> headCopies;
    std::vector<std::string> headNames;
    for (const auto& [name, target] : targets) {
        const auto it = fromFile.find(name);
        const bool head = model.isHeadParameter(name);
        if (head) {
            if (it == fromFile.end()) {
                report.headSkipped.push_back(name + ": not in the file");
            } else if (it->second.sizes() != target.sizes() ||
                       it->second.is_floating_point() != target.is_floating_point()) {
                report.headSkipped.push_back(name + ": file " + shapeString(it->second) + ", model " +
                                             shapeString(target) + " (another number of classes)");
            } else {
                headCopies.emplace_back(target, it->second);
                headNames.push_back(name);
            }
            continue;
        }
        if (it == fromFile.end()) {
            report.missing.push_back(name);
        } else if (it->second.sizes() != target.sizes()) {
            report.shapeMismatch.push_back(name + ": file " + shapeString(it->second) + ", model " +
                                           shapeString(target));
        } else if (it->second.is_floating_point() != target.is_floating_point()) {
            report.shapeMismatch.push_back(name + ": file type " +
                                           std::string(c10::toString(it->second.scalar_type())) +
                                           ", model type " + c10::toString(target.scalar_type()));
        } else {
            copies.emplace_back(target, it->second);
            report.loaded.push_back(name);
        }
    }
    if (report.headSkipped.empty()) {
        report.headLoaded = !headCopies.empty();
        copies.insert(copies.end(), headCopies.begin(), headCopies.end());
        report.loaded.insert(report.loaded.end(), headNames.begin(), headNames.end());
    } else {
        // All or nothing: a head half from the file would be meaningless.
        for (const auto& name : headNames)
            report.headSkipped.push_back(name + ": rest of the head not loadable");
    }

    if (copies.empty())
        throw FileError(source, "no tensor in the file matches model " + model.architecture() +
                                    " (is it weights for another architecture?)");
    if (options.strict && !report.backboneComplete()) {
        std::string reason = "does not fit model " + model.architecture() + ":";
        if (!report.shapeMismatch.empty())
            reason += " shapes differ: " + listSome(report.shapeMismatch) + ".";
        if (!report.missing.empty())
            reason += " missing: " + listSome(report.missing) + ".";
        if (!report.unexpected.empty())
            reason += " not in the model: " + listSome(report.unexpected) + ".";
        throw FileError(source, reason);
    }

    torch::NoGradGuard noGrad;
    for (auto& [target, value] : copies)
        target.copy_(value);
    return report;
}

ImportReport importTorchvisionWeights(ClassifierImpl& model, const std::filesystem::path& path,
                                      const ImportOptions& options) {
    return importWeights(model, readTensorDict(path), path, options);
}

}  // namespace saliency::models
