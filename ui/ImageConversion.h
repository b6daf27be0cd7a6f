#pragma once
// The one place where core's cv::Mat images become Qt images (DESIGN.md section 2).
#include <QImage>

#include <opencv2/core/mat.hpp>

namespace saliency::ui {

// CV_8UC3 in R,G,B order (core's convention) or CV_8UC1 -> a deep copy as QImage.
QImage toQImage(const cv::Mat& image);

// The outline of a binary mask (non-zero = inside), one pixel wide, drawn in colour over an RGB image.
QImage withMaskOutline(const QImage& rgb, const cv::Mat& mask, QColor colour);

}  // namespace saliency::ui
