#pragma once
// The model's input pipeline for one image: resize, RGB, scale to [0,1], per-channel mean/std.
#include <array>

#include <opencv2/core/mat.hpp>

namespace saliency {

struct Normalisation {
    std::array<float, 3> mean{0.485f, 0.456f, 0.406f};  // ImageNet's, for torchvision imports
    std::array<float, 3> std{0.229f, 0.224f, 0.225f};
    static Normalisation imagenet() { return {}; }
    static Normalisation none() { return {{0.f, 0.f, 0.f}, {1.f, 1.f, 1.f}}; }
};

// rgb: CV_8UC3 in R,G,B order. Returns CV_32FC3 of size x size, normalised. An image already at the
// size is not resized. Resizing is bilinear with half-pixel centres (OpenCV INTER_LINEAR); when
// shrinking by more than 2x, INTER_AREA avoids aliasing.
cv::Mat preprocess(const cv::Mat& rgb, int size, const Normalisation& norm);

// HWC float image -> contiguous CHW floats written to dst (3*size*size values).
void hwcToChw(const cv::Mat& image, float* dst);

}  // namespace saliency
