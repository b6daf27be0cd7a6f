#include "saliency/SanityVerdict.h"

#include <cmath>
#include <limits>
#include <sstream>

namespace saliency::explain {

SanityVerdict sanityVerdict(const std::vector<double>& ssimPerStage, double threshold) {
    SanityVerdict verdict{.threshold = threshold};
    double sum = 0;
    int count = 0;
    for (std::size_t i = 0; i < ssimPerStage.size() && i < kSanityJudgedStages; ++i)
        if (const double s = ssimPerStage[i]; !std::isnan(s)) {
            sum += s;
            ++count;
        }
    verdict.defined = count > 0;
    if (verdict.defined) {
        verdict.meanSsim = sum / count;
        verdict.passes = verdict.meanSsim < threshold;
    }
    return verdict;
}

std::string sanityVerdictName(const SanityVerdict& verdict) {
    if (!verdict.defined)
        return "undefined";
    return verdict.passes ? "passes" : "fails";
}

std::string sanityRule(double threshold) {
    std::ostringstream out;
    out << "fails when its maps keep a mean SSIM >= " << threshold
        << " with the trained network's maps once the head and the top block are randomised (mean over the "
           "first two stages); passes otherwise";
    return out.str();
}

double meanDefined(const std::vector<double>& values) {
    double sum = 0;
    int count = 0;
    for (const double v : values)
        if (!std::isnan(v)) {
            sum += v;
            ++count;
        }
    return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

SanityVerdict randomLogitVerdict(const std::vector<double>& ssimPerImage, double threshold) {
    SanityVerdict verdict{.threshold = threshold};
    const double mean = meanDefined(ssimPerImage);
    verdict.defined = !std::isnan(mean);
    verdict.meanSsim = verdict.defined ? mean : 0.0;
    verdict.passes = verdict.meanSsim < threshold;
    return verdict;
}

std::string randomLogitRule(double threshold) {
    std::ostringstream out;
    out << "passes when the mean SSIM between its maps for the explained class and for another class drawn "
           "at random is below "
        << threshold << "; fails otherwise";
    return out.str();
}

}  // namespace saliency::explain
