#pragma once
// Faithfulness of a study's maps (issue 18; `saliency-cli study --faithfulness`): how much the
// network's probability for the explained class depends on the pixels a map ranks high. The
// deletion and insertion curves of RISE (Petsiuk et al. 2018; metrics/Faithfulness.h: 20 steps,
// deletion to black, insertion over a blur) and the faithfulness correlation of Bhatt et al. 2020
// (metrics/FaithfulnessCorrelation.h: 100 random subsets of 224 pixels set to black, seeded) and
// ROAD's two curves (metrics/Road.h: 9 fractions each, the removed pixels imputed from their
// neighbours). About 160 forward passes and 18 imputations per map, so a study measures them only
// when asked. LibTorch (the network).
#include <cstdint>

#include <opencv2/core/mat.hpp>

#include "models/Checkpoint.h"
#include "study/ProjectRecords.h"

namespace saliency::study {

// image: the scan (RGB, any size; brought to the map's size as the network saw it); analysis: the
// map (CV_32FC1 at the network's input size, MapStatistics' analysisMap). Sets deletionAuc,
// insertionAuc, faithfulnessCorrelation, roadMorf and roadLerf of `measures`.
void measureFaithfulness(models::Checkpoint& network, const cv::Mat& image, const cv::Mat& analysis,
                         int targetClass, std::uint64_t seed, MapMeasures& measures);

}  // namespace saliency::study
