#include "io/WindowPresets.h"

#include <algorithm>
#include <cmath>
#include <span>

#include <opencv2/core.hpp>

namespace saliency {

namespace {

std::vector<float> finiteValues(const cv::Mat& intensity) {
    cv::Mat values;
    intensity.convertTo(values, CV_32F);
    values = values.reshape(1);
    std::vector<float> out;
    out.reserve(values.total());
    for (int r = 0; r < values.rows; ++r) {
        const float* row = values.ptr<float>(r);
        std::copy_if(row, row + values.cols, std::back_inserter(out),
                     [](float v) { return std::isfinite(v); });
    }
    return out;
}

// Otsu's threshold between background and head, on a 256-bin histogram of the value range.
double headThreshold(const std::vector<float>& values, float lo, float hi) {
    std::vector<double> histogram(256, 0.0);
    const double scale = 255.0 / (static_cast<double>(hi) - lo);
    for (const float v : values)
        histogram[static_cast<std::size_t>(std::clamp((v - lo) * scale, 0.0, 255.0))] += 1;
    const double total = static_cast<double>(values.size());
    double sumAll = 0;
    for (int i = 0; i < 256; ++i)
        sumAll += i * histogram[static_cast<std::size_t>(i)];
    double best = -1, threshold = 0, weightBelow = 0, sumBelow = 0;
    for (int t = 0; t < 255; ++t) {
        weightBelow += histogram[static_cast<std::size_t>(t)];
        sumBelow += t * histogram[static_cast<std::size_t>(t)];
        const double weightAbove = total - weightBelow;
        if (weightBelow == 0 || weightAbove == 0)
            continue;
        const double meanBelow = sumBelow / weightBelow;
        const double meanAbove = (sumAll - sumBelow) / weightAbove;
        const double between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
        if (between > best) {
            best = between;
            threshold = t;
        }
    }
    return lo + (threshold + 1) / scale;
}

float quantile(std::vector<float> values, double share) {
    const auto rank =
        static_cast<std::ptrdiff_t>(std::lround(share * static_cast<double>(values.size() - 1)));
    std::nth_element(values.begin(), values.begin() + rank, values.end());
    return values[static_cast<std::size_t>(rank)];
}

Window brainWindow(const std::vector<float>& values) {
    // The histogram spans the robust range: one hot pixel stretching it would make Otsu split the
    // hot pixel from everything else instead of the head from the air.
    const float lo = quantile(values, 0.005);
    const float hi = quantile(values, 0.995);
    if (hi <= lo)
        return percentileWindow(values, 0.01, 0.99);
    const double threshold = headThreshold(values, lo, hi);
    std::vector<float> head;
    std::copy_if(values.begin(), values.end(), std::back_inserter(head),
                 [threshold](float v) { return v >= threshold; });
    // Too little above the threshold to be a head (a mostly dark image): use every pixel.
    if (head.size() < values.size() / 20)
        return percentileWindow(values, 0.01, 0.99);
    // The head's darkest 1% is cerebrospinal fluid and the edge; the brightest 1% fat and vessels.
    return percentileWindow(head, 0.01, 0.99);
}

}  // namespace

std::vector<WindowPreset> windowPresets() {
    return {WindowPreset::File, WindowPreset::FullRange, WindowPreset::Auto, WindowPreset::Brain};
}

std::string windowPresetName(WindowPreset preset) {
    switch (preset) {
        case WindowPreset::File:
            return "File";
        case WindowPreset::FullRange:
            return "Full range";
        case WindowPreset::Auto:
            return "Auto (1-99%)";
        case WindowPreset::Brain:
            return "Brain";
    }
    return "File";
}

Window presetWindow(const Scan& scan, WindowPreset preset) {
    if (preset == WindowPreset::File || scan.intensity.empty())
        return scan.window;
    std::vector<float> values = finiteValues(scan.intensity);
    if (values.empty())
        return scan.window;
    switch (preset) {
        case WindowPreset::FullRange: {
            const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
            return windowForRange(*mn, std::max(*mx, *mn + 1e-6f));
        }
        case WindowPreset::Auto:
            return percentileWindow(values, 0.01, 0.99);
        case WindowPreset::Brain:
            return brainWindow(values);
        case WindowPreset::File:
            break;
    }
    return scan.window;
}

}  // namespace saliency
