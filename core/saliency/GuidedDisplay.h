#pragma once
// Guided gradients (Guided Backprop, Guided Grad-CAM) as images. The gradient is signed and
// tiny, so it is shown either
//  - standardised as pytorch-grad-cam's deprocess_image: (g - mean) / (std + 1e-5) * 0.1 + 0.5,
//    clipped to [0,1], with the mean and (population) standard deviation over every value of
//    every channel; gray 0.5 is "no gradient";
//  - or as the absolute maximum over channels, max_c |g_c|, divided by its maximum over the image
//    (a one-channel map in [0,1] that a colour map or the overlay can take).
// No LibTorch here.
#include <opencv2/core/mat.hpp>

namespace saliency::explain {

// gradient: CV_32FC3 (or any float type with 1..4 channels). Returns CV_32F of the same channel
// count with values in [0,1].
cv::Mat standardisedGradient(const cv::Mat& gradient);

// gradient: CV_32FC3 (any float type). Returns CV_32FC1 in [0,1]; an all-zero gradient gives an
// all-zero map (no division by zero).
cv::Mat absMaxGradient(const cv::Mat& gradient);

// Floats in [0,1] -> 8-bit as numpy's uint8(255 * x) (truncation; values outside are clipped).
cv::Mat unitFloatToUint8(const cv::Mat& image);

}  // namespace saliency::explain
