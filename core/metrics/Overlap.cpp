#include "metrics/Overlap.h"

#include "metrics/MapValidation.h"

namespace saliency::metrics {

std::optional<double> Overlap::iou() const {
    if (unionArea == 0)
        return std::nullopt;
    return static_cast<double>(intersection) / static_cast<double>(unionArea);
}

Overlap maskOverlap(const cv::Mat& a, const cv::Mat& b) {
    requireMask(a, "IoU");
    requireMask(b, "IoU");
    requireSameSize(a, b, "IoU");
    Overlap overlap;
    for (int y = 0; y < a.rows; ++y) {
        const uchar* ra = a.ptr<uchar>(y);
        const uchar* rb = b.ptr<uchar>(y);
        for (int x = 0; x < a.cols; ++x) {
            const bool ia = ra[x] != 0, ib = rb[x] != 0;
            overlap.intersection += (ia && ib) ? 1 : 0;
            overlap.unionArea += (ia || ib) ? 1 : 0;
        }
    }
    return overlap;
}

std::optional<double> maskIoU(const cv::Mat& a, const cv::Mat& b) {
    return maskOverlap(a, b).iou();
}

std::optional<double> mapIoU(const cv::Mat& a, const cv::Mat& b, const Binarisation& binarisation) {
    requireMap(a, "map IoU");
    requireMap(b, "map IoU");
    requireSameSize(a, b, "map IoU");
    return maskIoU(binarise(a, binarisation), binarise(b, binarisation));
}

}  // namespace saliency::metrics
