#include "ChartKind.h"

namespace saliency::ui {

std::string chartFileStem(StatisticsChart chart) {
    static const char* const stems[] = {"share_correct",     "iou_networks",     "iou_methods",
                                        "centres_of_mass",   "centre_distances", "mask_agreement",
                                        "accuracy_vs_judged", "metric_families"};
    return stems[static_cast<int>(chart)];
}

}  // namespace saliency::ui
