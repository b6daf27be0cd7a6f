#pragma once
// Pixels of one demo image: the slice of the tumour-painted, mass-effect-warped head scan, then
// the acquisition and export artefacts (bias field, Rician noise, window, gamma).
#include <opencv2/core/mat.hpp>

#include "data/DemoPlan.h"
#include "data/DemoSource.h"

namespace saliency {
class Rng;
}

namespace saliency::demo {

struct RenderedSlice {
    cv::Mat intensity;  // CV_32F, in the source scan's units
    cv::Mat mask;       // CV_8U, 255 inside the tumour, 0 elsewhere
    int maskPixels = 0;
};

RenderedSlice renderSlice(const DemoSource& source, const ImagePlan& plan);

// The 8-bit grey image as a scanner and an export would make it. CV_8U, same size.
cv::Mat finishImage(const cv::Mat& intensity, const DemoSource& source, Rng& rng);

}  // namespace saliency::demo
