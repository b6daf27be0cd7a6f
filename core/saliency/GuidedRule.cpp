#include "saliency/GuidedRule.h"

namespace saliency::explain {

std::string guidedRuleName(GuidedRule rule) {
    switch (rule) {
        case GuidedRule::ReluAndSilu:
            return "relu+silu";
        case GuidedRule::ReluOnly:
            return "relu-only";
        case GuidedRule::None:
            return "none";
    }
    return "unknown";
}

}  // namespace saliency::explain
