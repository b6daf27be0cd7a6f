#pragma once
// A shared colour scale for the maps of one scan (issue 18): every map is min-max normalised on its
// own by default (Normalise.h), so two networks' maps cannot be compared on one scale. Here a map is
// taken back to its magnitude and divided by a common maximum, per method over the networks (or the
// images) being compared:
//   CAM family: U = ReLU(raw) upsampled bilinearly (INTER_LINEAR, half-pixel centres, as
//     postProcessCam) to the map's size, i.e. the map before its min-max; no minimum is subtracted
//     (0 is "no evidence" after the ReLU);
//   channel maps (Guided Backprop, ...): max_c |g_c| (absMaxGradient before its division).
// shown = clamp(U / common maximum, 0, 1). The magnitudes of different networks are in their own
// units (the size of the activations and gradients), which is the point: a network whose evidence is
// weaker shows weaker. No LibTorch.
#include <vector>

#include <opencv2/core/mat.hpp>

#include "saliency/SaliencyMap.h"

namespace saliency::explain {

// CV_32FC1 at the map's size; empty when the map is unavailable, empty or has no raw values (a CAM
// map made without them).
cv::Mat magnitudeMap(const SaliencyMap& map);

// The largest magnitude of the map; 0 when magnitudeMap is empty.
double magnitudePeak(const SaliencyMap& map);

// The largest magnitudePeak of `maps` (one method's maps of the networks or images compared).
double sharedPeak(const std::vector<const SaliencyMap*>& maps);

// magnitude / peak clamped to [0,1] (CV_32FC1); the map's own [0,1] map when the peak is <= 0 or
// the magnitude is unavailable.
cv::Mat onSharedScale(const SaliencyMap& map, double peak);

}  // namespace saliency::explain
