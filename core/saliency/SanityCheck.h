#pragma once
// The model-randomisation sanity check (Adebayo et al. 2018, "Sanity checks for saliency maps"):
// re-initialise the network's blocks one after another from the head down (cascading) and measure
// how much each method's map still resembles the trained network's. A method whose maps stay the
// same while the weights are destroyed does not explain the model (guided backprop is the known
// case: it stays an edge detector).
//
//   SanityCheckResult r = modelRandomisationCheck(*model, input);            // all four methods
//   for (const auto& stage : r.stages)                                      // "fc", "layer4", ...
//       std::cout << stage.name << " " << stage.find(Method::GradCam)->meanSpearman() << "\n";
//
// Everything runs on a COPY of the model (same architecture, weights and buffers copied, same
// device and dtype): the caller's model is not modified, not even its mode flags, and the global
// random state is left as it was. Re-initialised parameters take the values of a fresh model of
// the same architecture built with `seed` (the zoo's own initialisation, as torchvision
// initialises); BatchNorm running statistics are kept. Maps are compared as displayed: the CAM
// family's [0,1] map as is, channel maps as absMaxGradient (|.| max over channels, / its maximum;
// Adebayo et al. compare absolute values too). Internal API (LibTorch).
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "models/Classifier.h"
#include "saliency/Explainer.h"
#include "saliency/SanityStrip.h"
#include "saliency/SanityTable.h"

namespace saliency::explain {

struct SanityCheckOptions {
    ExplainOptions explain;  // methods, layer, classes (empty: the original model's predictions), ...
    std::uint64_t seed = 0;  // of the fresh initialisation
    bool cascading = true;   // false: each stage randomises its block alone (Adebayo's "independent")
};

struct MethodAgreement {  // one method, original vs randomised model
    Method method = Method::GradCam;
    std::vector<double> spearman;  // per image; NaN where either map is constant
    std::vector<double> ssim;      // per image
    double meanSpearman() const;   // over the images where it is defined; NaN when none
    double meanSsim() const;
};

struct RandomisationStage {
    std::string name;                      // the block re-initialised at this stage: "fc", "layer4", ...
    std::vector<std::string> parameters;   // its parameters' names
    std::vector<MethodAgreement> methods;  // the methods available on the original, in the order asked
    BatchExplanation explanation;          // the randomised model's maps (for figures)
    const MethodAgreement* find(Method method) const;
};

struct SanityCheckResult {
    BatchExplanation original;               // the maps of the unmodified copy
    std::vector<RandomisationStage> stages;  // head first; cascading: stage i has blocks 0..i randomised
};

// The blocks, head first: the head's linear layer, then each selectable target layer that has
// parameters from the last to the first, then whatever is left (e.g. ResNet's "conv1, bn1").
struct RandomisationBlock {
    std::string name;
    std::vector<std::string> parameters;
};
std::vector<RandomisationBlock> randomisationBlocks(const models::ClassifierImpl& model);

// input (N,3,H,W) preprocessed as the model expects; maps of at least 11 x 11 pixels (SSIM).
SanityCheckResult modelRandomisationCheck(const models::ClassifierImpl& model, const at::Tensor& input,
                                          const SanityCheckOptions& options = {});

// The random-logit test (Sixt et al. 2020, "When explanations lie"): each image's maps for the class
// it was explained for, and for another class drawn at random (std::mt19937_64(seed)) among the
// rest. A method whose map hardly changes with the class does not explain the class (guided
// backprop again). Compared as the randomisation check compares; the caller's model is untouched.
struct RandomLogitResult {
    BatchExplanation original;               // the maps of the explained classes
    BatchExplanation other;                  // of the other classes
    std::vector<std::int64_t> otherClasses;  // per image
    std::vector<MethodAgreement> methods;    // the methods available, in the order asked
    const MethodAgreement* find(Method method) const;
};
// Throws Error for a model of fewer than two classes.
RandomLogitResult randomLogitCheck(const models::ClassifierImpl& model, const at::Tensor& input,
                                   const SanityCheckOptions& options = {});

// The figures of one or more checks of the same model and options (batches of images, in order)
// as plain values: the images of every batch side by side. Throws saliency::Error when the
// batches' stages or methods differ.
SanityTable sanityTable(const std::vector<SanityCheckResult>& batches, bool cascading);

// The strip of one image of a check (sanityStrip): its columns ("trained", then the stage names)
// and, per method compared, the maps as compared.
std::vector<std::string> sanityStripColumns(const SanityCheckResult& result);
std::vector<SanityStripRow> sanityStripRows(const SanityCheckResult& result, std::size_t image = 0);

}  // namespace saliency::explain
