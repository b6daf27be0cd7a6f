#include "metrics/PairwiseAgreement.h"

#include <set>

#include "common/Error.h"
#include "metrics/CentreOfMass.h"
#include "metrics/Overlap.h"

namespace saliency::metrics {

PairMeasures comparePair(const cv::Mat& a, const cv::Mat& b, const Binarisation& binarisation) {
    PairMeasures measures;
    measures.iou = mapIoU(a, b, binarisation);
    measures.centreDistance = centreOfMassDistance(a, b);
    return measures;
}

std::vector<PairAgreement> pairwiseAgreement(const std::vector<NamedMaps>& images,
                                             const Binarisation& binarisation) {
    std::set<std::string> names;
    for (const auto& image : images)
        for (const auto& [name, map] : image)
            names.insert(name);

    std::vector<PairAgreement> rows;
    for (auto first = names.begin(); first != names.end(); ++first) {
        for (auto second = std::next(first); second != names.end(); ++second) {
            SummaryAccumulator iou, distance;
            for (std::size_t i = 0; i < images.size(); ++i) {
                const auto a = images[i].find(*first);
                const auto b = images[i].find(*second);
                if (a == images[i].end() || b == images[i].end())
                    continue;
                PairMeasures measures;
                try {
                    measures = comparePair(a->second, b->second, binarisation);
                } catch (const Error& e) {
                    throw Error("pairwise agreement, image " + std::to_string(i) + ", " + *first + " vs " +
                                *second + ": " + e.what());
                }
                iou.add(measures.iou);
                distance.add(measures.centreDistance);
            }
            rows.push_back({*first, *second, iou.summary(), distance.summary()});
        }
    }
    return rows;
}

}  // namespace saliency::metrics
