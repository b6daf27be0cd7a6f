#include "io/Scan.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>

namespace saliency {

namespace {

// The linear VOI function of PS3.3 C.11.2.1.2 as y = x * scale + offset, clamped to 0..255.
// A width of 1 or less is a threshold at centre - 0.5 (the standard's limit case), which we
// express with an infinite slope instead of dividing by zero.
uchar windowValue(float x, double lower, double scale) {
    if (!std::isfinite(x)) {
        return x > 0 ? 255 : 0;  // +inf is brighter than anything, NaN and -inf show as black
    }
    if (scale <= 0) {  // threshold window
        return x > lower ? 255 : 0;
    }
    const double y = (static_cast<double>(x) - lower) * scale;
    return static_cast<uchar>(std::clamp(std::lround(y), 0L, 255L));
}

// Nearest-rank percentile; reorders values (nth_element), which is why it takes them by reference.
float percentile(std::vector<float>& values, double p) {
    const auto last = static_cast<double>(values.size() - 1);
    const auto rank = static_cast<std::ptrdiff_t>(std::lround(p * last));
    std::nth_element(values.begin(), values.begin() + rank, values.end());
    return values[static_cast<size_t>(rank)];
}

}  // namespace

cv::Mat applyWindow(const cv::Mat& intensity, const Window& window) {
    cv::Mat values;
    intensity.convertTo(values, CV_32F);
    values = values.reshape(1);  // any channel count: every sample is windowed alike

    // The DICOM function maps c - 0.5 - (w-1)/2 to 0 and c - 0.5 + (w-1)/2 to 255.
    const double span = window.width - 1.0;
    const double scale = span > 0 ? 255.0 / span : 0.0;
    const double lower =
        scale > 0 ? window.centre - 0.5 - span / 2.0 : window.centre - 0.5;  // or the threshold

    cv::Mat out(values.size(), CV_8UC1);
    for (int r = 0; r < values.rows; ++r) {
        const float* in = values.ptr<float>(r);
        uchar* o = out.ptr<uchar>(r);
        for (int c = 0; c < values.cols; ++c) {
            o[c] = windowValue(in[c], lower, scale);
        }
    }
    return out.reshape(intensity.channels());
}

Window windowForRange(double lo, double hi) {
    // Solving the VOI function for x=lo -> 0 and x=hi -> 255 gives w = hi - lo + 1, c = mid + 0.5.
    // This holds for any scale, so float data in 0..1 gets a window of width 2, which is right.
    return Window{(lo + hi) / 2.0 + 0.5, hi - lo + 1.0};
}

Window robustWindow(std::span<const float> values) {
    return percentileWindow(values, 0.005, 0.995);
}

Window percentileWindow(std::span<const float> values, double lowShare, double highShare) {
    std::vector<float> finite;
    finite.reserve(values.size());
    std::copy_if(values.begin(), values.end(), std::back_inserter(finite),
                 [](float v) { return std::isfinite(v); });
    if (finite.empty()) {
        return windowForRange(0.0, 1.0);
    }
    double lo = percentile(finite, lowShare);
    double hi = percentile(finite, highShare);
    if (hi <= lo) {
        // Mostly constant (e.g. a blank slice with a few bright pixels): use the full range.
        const auto [mn, mx] = std::minmax_element(finite.begin(), finite.end());
        lo = *mn;
        hi = *mx;
    }
    if (hi <= lo) {
        // A constant image: include zero so that 0 shows black and any other value white,
        // instead of a zero-width window.
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 0.0);
        if (hi <= lo) {
            hi = lo + 1.0;
        }
    }
    return windowForRange(lo, hi);
}

Window robustWindow(const cv::Mat& intensity) {
    cv::Mat values;
    intensity.convertTo(values, CV_32F);
    if (!values.isContinuous()) {
        values = values.clone();
    }
    const auto* begin = values.ptr<float>();
    return robustWindow(
        std::span<const float>(begin, values.total() * static_cast<size_t>(values.channels())));
}

}  // namespace saliency
