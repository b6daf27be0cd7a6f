#pragma once
// The verdict of the model-randomisation sanity check for one method, and the rule it follows,
// stated once so that the CLI, the app and the docs say the same thing. No LibTorch here.
//
// Rule: a method FAILS when its maps keep a mean SSIM of at least `threshold` (default 0.5) with the
// trained network's maps once the head and the top block are randomised: the mean over the first
// two stages of the check (cascading: the head, then the head and the top block; independent: each
// alone). It passes otherwise. These are the layers a class explanation must depend on: Adebayo et
// al. 2018 find Guided Backprop and Guided Grad-CAM unchanged by them, while Grad-CAM's map is gone
// as soon as the head is random. (The mean over every stage would let the first layers, which
// change every method's map, decide: on the 4-block demo cnn4 it puts Guided Backprop at the
// threshold, 0.51-0.54, where the first two stages give 0.77-0.79.)
#include <cstddef>
#include <string>
#include <vector>

namespace saliency::explain {

struct SanityVerdict {
    bool passes = true;
    bool defined = false;   // false: no stage had a defined SSIM (no verdict)
    double meanSsim = 0.0;  // over the judged stages with a defined value
    double threshold = 0.5;
};

inline constexpr double kDefaultSanityThreshold = 0.5;

// The mean of the values that are not NaN (an undefined Spearman or SSIM is left out); NaN when none.
double meanDefined(const std::vector<double>& values);
inline constexpr std::size_t kSanityJudgedStages = 2;  // the head and the top block

// ssimPerStage: the method's mean SSIM at each stage, head first (NaN where undefined, skipped);
// the first kSanityJudgedStages are judged.
SanityVerdict sanityVerdict(const std::vector<double>& ssimPerStage,
                            double threshold = kDefaultSanityThreshold);

// "passes", "fails" or "undefined".
std::string sanityVerdictName(const SanityVerdict& verdict);

// The rule in one sentence, with the threshold, for CSV/JSON/report headers.
std::string sanityRule(double threshold = kDefaultSanityThreshold);

// The random-logit test (Sixt et al. 2020; SanityCheck.h): a method passes when the mean SSIM
// between its maps for the explained class and for another class is below the threshold (its map
// depends on the class). ssimPerImage: NaN where undefined (skipped).
SanityVerdict randomLogitVerdict(const std::vector<double>& ssimPerImage,
                                 double threshold = kDefaultSanityThreshold);
std::string randomLogitRule(double threshold = kDefaultSanityThreshold);

}  // namespace saliency::explain
