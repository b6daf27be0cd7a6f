#pragma once
// Imports a torchvision weights file into a zoo model by name: parameters and buffers
// (BatchNorm running_mean / running_var / num_batches_tracked). In Python:
//   m = torchvision.models.resnet50(weights="IMAGENET1K_V2")
//   torch.save(dict(m.state_dict()), "resnet50.pt")
// (a plain dict: LibTorch cannot read the OrderedDict that state_dict() returns).
//  - The head (fc / classifier.1) loads only when all its tensors are in the file with the
//    model's shapes; otherwise (another class count, e.g. ImageNet's 1000) it keeps its
//    initialisation and the report says why.
//  - Names outside the model's importPrefixes() are ignored (vgg16: only features.* are taken;
//    torchvision's classifier.0/3/6 are its fully connected layers, not our head).
//  - Strict (the default): a backbone tensor missing from the file, a name the model does not
//    have, or a shape (or integer/float type) that differs throws saliency::FileError listing them, and the
//    model is left unchanged. Not strict: what matches is loaded, the rest is reported.
#include <filesystem>
#include <string>
#include <vector>

#include "models/Classifier.h"
#include "models/TensorFile.h"

namespace saliency::models {

struct ImportReport {
    std::vector<std::string> loaded;         // names copied into the model
    std::vector<std::string> missing;        // backbone names the file lacks
    std::vector<std::string> unexpected;     // names in the file that the model lacks
    std::vector<std::string> shapeMismatch;  // "name: file [..], model [..]" (backbone)
    std::vector<std::string> headSkipped;    // "name: reason" for head tensors not loaded
    std::vector<std::string> ignored;        // names outside importPrefixes()
    bool headLoaded = false;

    bool backboneComplete() const { return missing.empty() && unexpected.empty() && shapeMismatch.empty(); }
    std::string summary() const;  // one paragraph for a log or a dialog
};

struct ImportOptions {
    bool strict = true;
};

ImportReport importTorchvisionWeights(ClassifierImpl& model, const std::filesystem::path& path,
                                      const ImportOptions& options = {});
// The same from tensors already read (the path only names them in errors).
ImportReport importWeights(ClassifierImpl& model, const TensorDict& tensors,
                           const std::filesystem::path& source, const ImportOptions& options = {});

// The model's parameters and buffers by name, as in a state_dict().
TensorDict stateDict(const ClassifierImpl& model);

}  // namespace saliency::models
