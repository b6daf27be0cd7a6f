#pragma once
// One image through a model as its card says: RGB, resize to the card's input size (unless
// already there), scale to [0,1], the card's mean/std; then logits and softmax probabilities.
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "models/Checkpoint.h"
#include "models/TensorFile.h"

namespace saliency::models {

struct Prediction {
    std::vector<float> logits;
    std::vector<float> probabilities;
    int classIndex = -1;
    std::string className;
};

// Throws Error "WHAT holds NaN or infinite values ..." : a network whose weights or input are
// broken gives an error, never a verdict or a map.
void requireFinite(const at::Tensor& values, const std::string& what);

// (N,3,S,S) float tensor of the images, preprocessed as the card says.
at::Tensor inputTensor(const std::vector<cv::Mat>& rgbImages, const ModelCard& card);

// Eval mode, no gradients. `model` must be on the CPU or `device`.
std::vector<Prediction> predict(ClassifierImpl& model, const ModelCard& card,
                                const std::vector<cv::Mat>& rgbImages);

// A card for a model that has none (imported torchvision weights): ImageNet normalisation.
ModelCard cardForImport(const std::string& architecture, std::vector<std::string> classes, int inputSize,
                        const std::string& weightsSource);

// Torchvision weights (a plain dict saved with torch.save) in a model of `architecture` (a name
// canonicalArchitecture accepts) with one output per class, in eval mode, with cardForImport's
// card. Throws Error for an unknown architecture or when the file's head does not fit the class
// count (predictions would be random), FileError for an unreadable file.
Checkpoint importForInference(const std::string& architecture, const std::filesystem::path& weights,
                              std::vector<std::string> classes, int inputSize);
// The same from tensors already read (source: the file they came from, for messages and the card).
Checkpoint importForInference(const std::string& architecture, const TensorDict& tensors,
                              const std::string& source, std::vector<std::string> classes, int inputSize);

}  // namespace saliency::models
