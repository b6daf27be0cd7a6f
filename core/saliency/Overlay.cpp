#include "saliency/Overlay.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency::explain {

namespace {

cv::Mat imageAsUnitFloat(const cv::Mat& image) {
    cv::Mat rgb;
    if (image.channels() == 1)
        cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
    else if (image.channels() == 3)
        rgb = image;
    else
        throw Error("overlay: the image must have 1 or 3 channels, got " + std::to_string(image.channels()));
    cv::Mat out;
    if (rgb.depth() == CV_8U) {
        rgb.convertTo(out, CV_32F, 1.0 / 255.0);
    } else if (rgb.depth() == CV_32F || rgb.depth() == CV_64F) {
        rgb.convertTo(out, CV_32F);
        double lo = 0.0, hi = 0.0;
        cv::minMaxLoc(out.reshape(1), &lo, &hi);
        if (hi > 1.0 || !std::isfinite(hi) || !std::isfinite(lo))
            throw Error("overlay: a floating-point image must have values in [0, 1] (its maximum is " +
                        std::to_string(hi) + ")");
    } else {
        throw Error("overlay: the image must be 8-bit or floating point");
    }
    return out;
}

}  // namespace

cv::Mat overlay(const cv::Mat& rgbImage, const cv::Mat& mask, const OverlayOptions& options) {
    if (rgbImage.empty())
        throw Error("overlay: the image is empty");
    if (mask.empty())
        throw Error("overlay: the saliency map is empty");
    if (!(options.imageWeight >= 0.0 && options.imageWeight <= 1.0))
        throw Error("overlay: the image weight must lie in [0, 1], got " +
                    std::to_string(options.imageWeight));
    const cv::Mat image = imageAsUnitFloat(rgbImage);
    cv::Mat m;
    mask.convertTo(m, CV_32F);
    if (m.channels() != 1)
        throw Error("overlay: the saliency map must have one channel");
    if (m.size() != image.size())
        cv::resize(m, m, image.size(), 0, 0, cv::INTER_LINEAR);

    cv::Mat heatmap;
    applyColourMap(m, options.colourMap).convertTo(heatmap, CV_32F, 1.0 / 255.0);
    cv::Mat cam;
    cv::addWeighted(heatmap, 1.0 - options.imageWeight, image, options.imageWeight, 0.0, cam);
    double hi = 0.0;
    cv::minMaxLoc(cam.reshape(1), nullptr, &hi);
    if (hi > 0.0)
        cam /= hi;
    // uint8(255 * cam): truncation, as numpy does
    cv::Mat out(cam.size(), CV_8UC3);
    for (int r = 0; r < cam.rows; ++r) {
        const float* src = cam.ptr<float>(r);
        unsigned char* dst = out.ptr<unsigned char>(r);
        for (int i = 0; i < cam.cols * 3; ++i) {
            const float v = 255.f * src[i];
            dst[i] = v <= 0.f ? 0 : v >= 255.f ? 255 : static_cast<unsigned char>(v);
        }
    }
    return out;
}

}  // namespace saliency::explain
