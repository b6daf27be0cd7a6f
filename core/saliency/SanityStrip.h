#pragma once
// The figure of the model-randomisation sanity check: one row per method, the trained network's
// map then one column per randomisation stage, each map blended over the image as the network saw
// it, with the stage names above and the method names on the left. The CLI writes it as a PNG;
// the app shows it. No LibTorch here.
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "saliency/ColourMap.h"
#include "saliency/SaliencyMap.h"

namespace saliency::explain {

struct SanityStripRow {
    std::string title;          // the method's title, "Grad-CAM"
    std::vector<cv::Mat> maps;  // CV_32FC1 in [0,1]: the original, then one per stage
};

// The map as the sanity check compares it: a CAM-family map as is, a channel map as absMaxGradient.
cv::Mat comparedMap(const SaliencyMap& map);

// rgbImage: CV_8UC3, the network's input. columns: "trained", then the stage names (as many as each
// row's maps). Returns CV_8UC3 RGB on white, cells of `cell` x `cell` pixels. Throws saliency::Error
// when a row's map count differs from the column count.
cv::Mat sanityStrip(const cv::Mat& rgbImage, const std::vector<std::string>& columns,
                    const std::vector<SanityStripRow>& rows, int cell = 128,
                    ColourMap colourMap = ColourMap::Jet);

}  // namespace saliency::explain
