#pragma once
// The figures of a model-randomisation sanity check as plain values (no LibTorch), in the form the
// CLI writes (CSV, JSON) and the app charts: per method, the Spearman and SSIM against the trained
// network's maps at each stage, per image and as means, and the method's verdict.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "saliency/Method.h"
#include "saliency/SanityVerdict.h"

namespace saliency::explain {

struct SanitySeries {
    Method method = Method::GradCam;
    std::vector<std::vector<double>> spearman;  // [stage][image]; NaN where undefined
    std::vector<std::vector<double>> ssim;      // [stage][image]
    std::vector<double> meanSpearman() const;   // per stage, over the defined images
    std::vector<double> meanSsim() const;
    SanityVerdict verdict(double threshold = kDefaultSanityThreshold) const;
};

struct SanityTable {
    std::vector<std::string> stages;  // the blocks randomised at each stage, head first
    bool cascading = true;
    std::vector<SanitySeries> methods;
    const SanitySeries* find(Method method) const;
};

// stage_index,stage,method,images,mean_spearman,mean_ssim: one row per stage and method.
std::string sanityStagesCsv(const SanityTable& table);
// method,verdict,judged_ssim,threshold,rule: one row per method.
std::string sanityVerdictsCsv(const SanityTable& table, double threshold = kDefaultSanityThreshold);
// {"mode", "rule", "threshold", "stages": [...], "methods": {name: {"verdict", "judged_ssim",
// "mean_spearman": [per stage], "mean_ssim": [...], "spearman": [[per image] per stage], "ssim": ...}}}
nlohmann::json sanityJson(const SanityTable& table, double threshold = kDefaultSanityThreshold);

}  // namespace saliency::explain
