#pragma once
// A loaded network that the GUI can use without seeing LibTorch (DESIGN.md section 2): open a
// checkpoint or import torchvision weights, then explain RGB images as cv::Mat value types.
//
//   auto session = ModelSession::openCheckpoint("models/cnn4-demo.pt");   // throws on a bad file
//   ImageExplanation e = session->explain(scan.rgb, {.methods = allMethods()});
//
// Thread safety: explain() may be called from any thread; calls on one session are serialised
// (a LibTorch module must not run two passes at once), different sessions run in parallel.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "saliency/Method.h"
#include "saliency/SaliencyMap.h"
#include "saliency/SanityStrip.h"
#include "saliency/SanityTable.h"

namespace saliency::explain {

struct ModelInfo {
    std::filesystem::path source;      // the checkpoint or weights file
    std::string name;                  // for people: the file's stem
    std::string architecture;          // "resnet50", ...
    std::vector<std::string> classes;  // in label order
    int inputSize = 224;
    std::string targetLayer;                // default layer for CAM-like maps
    std::vector<std::string> targetLayers;  // every layer that can be chosen
    std::string cardJson;                   // the whole model card, pretty-printed
    long long parameters = 0;
};

struct ImagePrediction {
    std::vector<float> probabilities;  // softmax of the logits, in class order
    int classIndex = -1;               // argmax
};

struct ExplainRequest {
    std::vector<Method> methods = allMethods();
    int targetClass = -1;  // -1: the predicted class
    std::string layer;     // empty: the card's target layer
};

struct SanityRequest {
    std::vector<Method> methods = {Method::Cam, Method::GradCam, Method::GuidedBackprop,
                                   Method::GuidedGradCam};
    bool cascading = true;
    std::uint64_t seed = 0;
};

// The model-randomisation sanity check of one image (SanityCheck.h) as value types.
struct SanityReport {
    SanityTable table;                 // Spearman and SSIM per stage and method
    std::vector<std::string> columns;  // "trained", then the stage names
    std::vector<SanityStripRow> rows;  // per method: the trained map, then each stage's
    // The random-logit test beside it (SanityCheck.h): per method, SSIM and Spearman per image
    // between the map of the explained class and of another class.
    struct RandomLogit {
        Method method = Method::GradCam;
        std::vector<double> ssim, spearman;
    };
    std::vector<RandomLogit> randomLogit;
};

class ModelSession {
  public:
    // Throws saliency::Error / FileError with a message for a user (wrong kind of file, ...).
    static std::shared_ptr<ModelSession> openCheckpoint(const std::filesystem::path& file);
    // Torchvision weights saved as a plain dict; ImageNet normalisation. Throws when the head does
    // not fit the class count (predictions would be random).
    static std::shared_ptr<ModelSession> importWeights(const std::string& architecture,
                                                       const std::filesystem::path& weights,
                                                       std::vector<std::string> classes, int inputSize);
    ~ModelSession();
    ModelSession(const ModelSession&) = delete;
    ModelSession& operator=(const ModelSession&) = delete;

    const ModelInfo& info() const noexcept;
    // One image (CV_8UC3, R,G,B), preprocessed as the card says; all asked methods in one call.
    ImageExplanation explain(const cv::Mat& rgb, const ExplainRequest& request) const;
    // Inference only (no gradients): for classifying a whole data set in the background.
    ImagePrediction predict(const cv::Mat& rgb) const;
    // The model-randomisation sanity check on a copy of the network (this one is not changed),
    // predicted class, the card's target layer. Seconds on cnn4, a minute or more on ResNet50.
    SanityReport sanityCheck(const cv::Mat& rgb, const SanityRequest& request) const;

  private:
    struct Impl;
    explicit ModelSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The architectures the zoo can build, for import dialogs.
std::vector<std::string> knownArchitectures();

}  // namespace saliency::explain
