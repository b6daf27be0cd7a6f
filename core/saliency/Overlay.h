#pragma once
// A saliency map blended over its image, by default exactly as pytorch-grad-cam's
// show_cam_on_image(img, mask, use_rgb=True, colormap=cv2.COLORMAP_JET, image_weight=0.5):
//   heatmap = colour map of uint8(255 * mask), as floats / 255 (RGB)
//   cam     = (1 - image_weight) * heatmap + image_weight * img      (img in [0,1])
//   result  = uint8(255 * cam / max(cam))
// Images are RGB (core's convention). No LibTorch here.
#include <opencv2/core/mat.hpp>

#include "saliency/ColourMap.h"

namespace saliency::explain {

struct OverlayOptions {
    ColourMap colourMap = ColourMap::Jet;
    double imageWeight = 0.5;  // in [0,1]; 0: the heatmap only, 1: the image only
};

// rgbImage: CV_8UC3 (scaled by 1/255), CV_8UC1 (gray, replicated), or CV_32FC3 / CV_32FC1 with
// values in [0,1]. mask: CV_32FC1 in [0,1] (e.g. a normalised Grad-CAM map); when its size
// differs from the image's it is resized bilinearly (INTER_LINEAR) to the image first.
// Returns CV_8UC3 RGB. Throws saliency::Error for an empty image or mask, a float image with
// values above 1, or an image weight outside [0,1].
cv::Mat overlay(const cv::Mat& rgbImage, const cv::Mat& mask, const OverlayOptions& options = {});

}  // namespace saliency::explain
