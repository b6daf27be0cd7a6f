#include "metrics/PixelRanking.h"

#include <algorithm>
#include <numeric>

namespace saliency::metrics {

std::vector<int> rankedPixels(const cv::Mat& map) {
    const cv::Mat flat = map.isContinuous() ? map : map.clone();
    const float* v = flat.ptr<float>(0);
    std::vector<int> order(flat.total());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [v](int a, int b) { return v[a] > v[b]; });
    return order;
}

}  // namespace saliency::metrics
