#pragma once
// Seeded training augmentation on 8-bit RGB images: horizontal flip, small rotation, brightness and
// contrast. Deterministic: the same image and Rng state give the same output on every machine.
#include <opencv2/core/mat.hpp>

#include "data/Random.h"

namespace saliency {

struct AugmentOptions {
    double flipProbability = 0.5;
    double maxRotationDegrees = 10.0;
    double brightness = 0.15;  // additive shift, fraction of 255, uniform in [-b, b]
    double contrast = 0.15;    // gain uniform in [1-c, 1+c] around the image mean
    bool enabled = true;
};

cv::Mat augment(const cv::Mat& rgb, Rng& rng, const AugmentOptions& options);

}  // namespace saliency
