#include "metrics/CentreOfMass.h"

#include <cmath>

#include "metrics/MapValidation.h"

namespace saliency::metrics {

namespace {

struct Moments {
    double sum = 0.0, sumX = 0.0, sumY = 0.0;  // sum p, sum x p, sum y p with x, y in [0,1]
};

Moments moments(const cv::Mat& map) {
    Moments m;
    const double w = map.cols, h = map.rows;
    for (int j = 0; j < map.rows; ++j) {
        const float* row = map.ptr<float>(j);
        const double y = (j + 0.5) / h;
        double rowSum = 0.0, rowSumX = 0.0;
        for (int i = 0; i < map.cols; ++i) {
            const double p = row[i];
            rowSum += p;
            rowSumX += (i + 0.5) / w * p;
        }
        m.sum += rowSum;
        m.sumX += rowSumX;
        m.sumY += y * rowSum;
    }
    return m;
}

}  // namespace

std::optional<cv::Point2d> centreOfMass(const cv::Mat& map) {
    requireWeightMap(map, "centre of mass");
    const Moments m = moments(map);
    if (!(m.sum > 0.0))
        return std::nullopt;
    return cv::Point2d(m.sumX / m.sum, m.sumY / m.sum);
}

double centreDistance(const cv::Point2d& a, const cv::Point2d& b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

std::optional<double> centreOfMassDistance(const cv::Mat& a, const cv::Mat& b) {
    const auto ca = centreOfMass(a);
    const auto cb = centreOfMass(b);
    if (!ca || !cb)
        return std::nullopt;
    return centreDistance(*ca, *cb);
}

cv::Point2d legacySeedCentre(const cv::Mat& map) {
    requireWeightMap(map, "legacy seed centre");
    const Moments m = moments(map);
    const double pixels = static_cast<double>(map.rows) * map.cols;
    return {m.sumX / pixels, m.sumY / pixels};
}

}  // namespace saliency::metrics
