#include "saliency/GuidedDisplay.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

#include "common/Error.h"

namespace saliency::explain {

namespace {

cv::Mat asFloat(const cv::Mat& gradient, const char* what) {
    if (gradient.empty())
        throw Error(std::string(what) + ": the gradient is empty");
    if (gradient.depth() != CV_32F && gradient.depth() != CV_64F)
        throw Error(std::string(what) + ": the gradient must be floating point");
    cv::Mat out;
    gradient.convertTo(out, CV_32F);
    return out;
}

}  // namespace

cv::Mat standardisedGradient(const cv::Mat& gradient) {
    const cv::Mat g = asFloat(gradient, "standardisedGradient");
    const cv::Mat values = g.reshape(1, 1);
    const double n = static_cast<double>(values.cols);
    double sum = 0.0;
    for (int i = 0; i < values.cols; ++i)
        sum += values.at<float>(0, i);
    const double mean = sum / n;
    double squares = 0.0;  // two passes: no cancellation
    for (int i = 0; i < values.cols; ++i) {
        const double d = values.at<float>(0, i) - mean;
        squares += d * d;
    }
    const double variance = squares / n;  // numpy's std: the population one
    const double scale = 0.1 / (std::sqrt(variance) + 1e-5);
    cv::Mat out;
    g.convertTo(out, CV_32F, scale, 0.5 - mean * scale);
    cv::min(out, 1.0, out);
    cv::max(out, 0.0, out);
    return out;
}

cv::Mat absMaxGradient(const cv::Mat& gradient) {
    const cv::Mat g = cv::abs(asFloat(gradient, "absMaxGradient"));
    cv::Mat out(g.size(), CV_32FC1);
    const int channels = g.channels();
    for (int r = 0; r < g.rows; ++r) {
        const float* src = g.ptr<float>(r);
        float* dst = out.ptr<float>(r);
        for (int c = 0; c < g.cols; ++c) {
            float m = 0.f;
            for (int k = 0; k < channels; ++k)
                m = std::max(m, src[c * channels + k]);
            dst[c] = m;
        }
    }
    double hi = 0.0;
    cv::minMaxLoc(out, nullptr, &hi);
    if (hi > 0.0 && std::isfinite(hi))
        out /= hi;
    return out;
}

cv::Mat unitFloatToUint8(const cv::Mat& image) {
    cv::Mat f;
    image.convertTo(f, CV_32F);
    cv::Mat out(f.size(), CV_MAKETYPE(CV_8U, f.channels()));
    const int n = f.cols * f.channels();
    for (int r = 0; r < f.rows; ++r) {
        const float* src = f.ptr<float>(r);
        unsigned char* dst = out.ptr<unsigned char>(r);
        for (int i = 0; i < n; ++i) {
            const float v = 255.f * src[i];
            dst[i] = !(v > 0.f) ? 0 : v >= 255.f ? 255 : static_cast<unsigned char>(v);
        }
    }
    return out;
}

}  // namespace saliency::explain
