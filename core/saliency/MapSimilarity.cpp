#include "saliency/MapSimilarity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency::explain {

namespace {

constexpr int kWindow = 11;  // skimage: 2 * int(truncate * sigma + 0.5) + 1 with truncate 3.5
constexpr double kSigma = 1.5;

std::vector<double> values(const cv::Mat& m) {
    cv::Mat d;
    m.reshape(1, 1).convertTo(d, CV_64F);
    return {d.begin<double>(), d.end<double>()};
}

// 1-based ranks, ties averaged.
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&v](std::size_t i, std::size_t j) { return v[i] < v[j]; });
    std::vector<double> r(v.size());
    for (std::size_t first = 0; first < order.size();) {
        std::size_t last = first + 1;
        while (last < order.size() && v[order[last]] == v[order[first]])
            ++last;
        const double average = 0.5 * static_cast<double>(first + 1 + last);  // mean of first+1 .. last
        for (std::size_t k = first; k < last; ++k)
            r[order[k]] = average;
        first = last;
    }
    return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (!(saa > 0.0) || !(sbb > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    return sab / std::sqrt(saa * sbb);
}

cv::Mat gaussian(const cv::Mat& m) {
    cv::Mat out;
    cv::GaussianBlur(m, out, cv::Size(kWindow, kWindow), kSigma, kSigma, cv::BORDER_REFLECT);
    return out;
}

}  // namespace

double spearmanCorrelation(const cv::Mat& a, const cv::Mat& b) {
    if (a.size() != b.size() || a.type() != b.type())
        throw Error("spearmanCorrelation: the two maps differ in size or type");
    if (a.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return pearson(ranks(values(a)), ranks(values(b)));
}

double structuralSimilarity(const cv::Mat& a, const cv::Mat& b, double dataRange) {
    if (a.size() != b.size() || a.channels() != 1 || b.channels() != 1)
        throw Error("structuralSimilarity: two single-channel maps of the same size are needed");
    if (a.rows < kWindow || a.cols < kWindow)
        throw Error("structuralSimilarity: maps of at least 11 x 11 pixels are needed");
    cv::Mat x, y;
    a.convertTo(x, CV_64F);
    b.convertTo(y, CV_64F);
    const double c1 = (0.01 * dataRange) * (0.01 * dataRange);
    const double c2 = (0.03 * dataRange) * (0.03 * dataRange);
    const cv::Mat mx = gaussian(x), my = gaussian(y);
    const cv::Mat vx = gaussian(x.mul(x)) - mx.mul(mx);
    const cv::Mat vy = gaussian(y.mul(y)) - my.mul(my);
    const cv::Mat cxy = gaussian(x.mul(y)) - mx.mul(my);
    const cv::Mat numerator = (2 * mx.mul(my) + c1).mul(2 * cxy + c2);
    const cv::Mat denominator = (mx.mul(mx) + my.mul(my) + c1).mul(vx + vy + c2);
    cv::Mat s;
    cv::divide(numerator, denominator, s);
    const int pad = (kWindow - 1) / 2;
    return cv::mean(s(cv::Rect(pad, pad, s.cols - 2 * pad, s.rows - 2 * pad)))[0];
}

}  // namespace saliency::explain
