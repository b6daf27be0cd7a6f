#include "study/RobustnessMeasures.h"

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "metrics/Sensitivity.h"
#include "saliency/Explainer.h"
#include "study/MapStatistics.h"

namespace saliency::study {

void measureRobustness(models::Checkpoint& network, const cv::Mat& image, const cv::Mat& analysis,
                       MapRecord& map, std::uint64_t seed) {
    if (analysis.empty() || !map.available)
        return;
    const auto method = explain::parseMethod(map.method);
    if (!method)
        throw Error("robustness: unknown method '" + map.method + "'");
    cv::Mat seen = image;  // the noise is drawn on the pixels the network sees
    if (seen.size() != analysis.size())
        cv::resize(image, seen, analysis.size(), 0, 0, cv::INTER_AREA);
    explain::Explainer explainer(*network.model);
    explain::ExplainOptions options;
    options.methods = {*method};
    options.targetClasses = {map.targetClass};
    options.layer = map.layer;
    // The unperturbed map too is explained from `seen`, so that only the noise differs.
    const metrics::ExplainImage explainImage = [&](const cv::Mat& input) {
        const auto explained = explainer.explain({input}, network.card, options);
        return analysisMap(*explained.front().find(*method));
    };
    metrics::SensitivityOptions sensitivityOptions;
    sensitivityOptions.seed = seed;
    const metrics::Sensitivity s = metrics::sensitivity(seen, explainImage, sensitivityOptions);
    map.measures.maxSensitivity = s.maximum;
    map.measures.averageSensitivity = s.average;
}

}  // namespace saliency::study
