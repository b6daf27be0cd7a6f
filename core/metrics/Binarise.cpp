#include "metrics/Binarise.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "metrics/MapValidation.h"

namespace saliency::metrics {

namespace {

cv::Mat quantise(const cv::Mat& map) {
    cv::Mat q(map.size(), CV_8UC1);
    for (int y = 0; y < map.rows; ++y) {
        const float* in = map.ptr<float>(y);
        uchar* out = q.ptr<uchar>(y);
        for (int x = 0; x < map.cols; ++x)
            out[x] =
                static_cast<uchar>(std::lround(std::clamp(static_cast<double>(in[x]), 0.0, 1.0) * 255.0));
    }
    return q;
}

int otsuOnQuantised(const cv::Mat& q) {
    double lo = 0.0, hi = 0.0;
    cv::minMaxLoc(q, &lo, &hi);
    if (lo == hi)
        return -1;
    cv::Mat ignored;
    return static_cast<int>(cv::threshold(q, ignored, 0.0, 255.0, cv::THRESH_BINARY | cv::THRESH_OTSU));
}

cv::Mat byLevel(const cv::Mat& map, double level) {
    cv::Mat region(map.size(), CV_8UC1);
    for (int y = 0; y < map.rows; ++y) {
        const float* in = map.ptr<float>(y);
        uchar* out = region.ptr<uchar>(y);
        for (int x = 0; x < map.cols; ++x)
            out[x] = static_cast<double>(in[x]) >= level ? 255 : 0;
    }
    return region;
}

cv::Mat byTopPercent(const cv::Mat& map, double percent) {
    const cv::Mat flat = map.isContinuous() ? map : map.clone();
    const float* v = flat.ptr<float>(0);
    const std::size_t n = flat.total();
    const auto count = static_cast<std::size_t>(std::llround(percent / 100.0 * static_cast<double>(n)));
    cv::Mat region = cv::Mat::zeros(map.size(), CV_8UC1);
    if (count == 0)
        return region;
    std::vector<std::size_t> index(n);
    std::iota(index.begin(), index.end(), std::size_t{0});
    // A strict total order (value descending, then index ascending) makes the selection deterministic.
    const auto before = [v](std::size_t a, std::size_t b) { return v[a] > v[b] || (v[a] == v[b] && a < b); };
    if (count < n)
        std::nth_element(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(count), index.end(),
                         before);
    uchar* out = region.ptr<uchar>(0);
    for (std::size_t k = 0; k < std::min(count, n); ++k)
        out[index[k]] = 255;
    return region;
}

}  // namespace

cv::Mat binarise(const cv::Mat& map, const Binarisation& binarisation) {
    requireMap(map, "binarise");
    switch (binarisation.mode) {
        case BinarisationMode::Level:
            if (!std::isfinite(binarisation.level))
                throw Error("binarise: the level must be a finite number");
            return byLevel(map, binarisation.level);
        case BinarisationMode::TopPercent:
            if (!(binarisation.topPercent >= 0.0 && binarisation.topPercent <= 100.0))
                throw Error("binarise: the top percentage must lie in [0, 100], got " +
                            std::to_string(binarisation.topPercent));
            return byTopPercent(map, binarisation.topPercent);
        case BinarisationMode::Otsu: {
            const cv::Mat q = quantise(map);
            const int t = otsuOnQuantised(q);
            if (t < 0)
                return cv::Mat::zeros(map.size(), CV_8UC1);
            cv::Mat region;
            cv::threshold(q, region, t, 255.0, cv::THRESH_BINARY);
            return region;
        }
    }
    throw Error("binarise: unknown binarisation mode");
}

int otsuThreshold(const cv::Mat& map) {
    requireMap(map, "Otsu threshold");
    return otsuOnQuantised(quantise(map));
}

std::string describe(const Binarisation& binarisation) {
    std::ostringstream text;
    switch (binarisation.mode) {
        case BinarisationMode::Level:
            text << "level " << binarisation.level;
            break;
        case BinarisationMode::TopPercent:
            text << "top " << binarisation.topPercent << "%";
            break;
        case BinarisationMode::Otsu:
            text << "Otsu";
            break;
    }
    return text.str();
}

}  // namespace saliency::metrics
