#include "saliency/SaliencyMap.h"

namespace saliency::explain {

const SaliencyMap* ImageExplanation::find(Method method) const {
    for (const auto& m : maps)
        if (m.method == method)
            return &m;
    return nullptr;
}

}  // namespace saliency::explain
