#pragma once
// Robustness of a study's maps (issue 18; `saliency-cli study --robustness`): max- and average
// sensitivity (metrics/Sensitivity.h; Yeh et al. 2019): the scan, at the network's input size, is
// explained again by the same method for the same class at the same layer under 10 draws of
// uniform noise of +-5 % of the grey range, and the relative change of the map is summarised. Eleven
// explanations per map (the scan at that size, then the ten): the method's own cost eleven times, so a study
// measures them only when asked. LibTorch (the network).
#include <cstdint>
#include <string>

#include <opencv2/core/mat.hpp>

#include "models/Checkpoint.h"
#include "study/ProjectRecords.h"

namespace saliency::study {

// image: the scan (RGB, any size); map: its stored record (method, target class, layer) and
// `analysis` (MapStatistics' analysisMap at the network's input size). Sets maxSensitivity and
// averageSensitivity of map.measures; leaves them unset for an unavailable or all-zero map.
void measureRobustness(models::Checkpoint& network, const cv::Mat& image, const cv::Mat& analysis,
                       MapRecord& map, std::uint64_t seed);

}  // namespace saliency::study
