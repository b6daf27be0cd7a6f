#include "study/GroundTruth.h"

#include <algorithm>
#include <cmath>


#include "common/Error.h"
#include "metrics/MaskAgreement.h"

namespace saliency::study {

namespace {

bool isBox(const LesionMark& mark) {
    return mark.box;
}

// The first and one-past-last pixel whose centre ((i + 0.5) / n) lies in [from, to].
std::pair<int, int> pixelSpan(double from, double to, int n) {
    const int first = std::max(0, static_cast<int>(std::ceil(from * n - 0.5)));
    const int last = std::min(n, static_cast<int>(std::floor(to * n - 0.5)) + 1);
    return {first, std::max(first, last)};
}

}  // namespace

std::optional<TruthSource> markedTruth(const std::vector<LesionMark>& marks) {
    if (marks.empty())
        return std::nullopt;
    return std::any_of(marks.begin(), marks.end(), isBox) ? TruthSource::Box : TruthSource::Point;
}

std::optional<GroundTruth> groundTruth(const std::optional<cv::Mat>& mask, const std::vector<LesionMark>& marks) {
    if (mask && !mask->empty())
        return GroundTruth{TruthSource::Mask, *mask, {}};
    const auto kind = markedTruth(marks);
    if (!kind)
        return std::nullopt;
    GroundTruth truth{*kind, {}, {}};
    for (const auto& mark : marks)
        if (mark.box == (*kind == TruthSource::Box))
            truth.marks.push_back(mark);
    return truth;
}

cv::Mat truthMaskAt(const GroundTruth& truth, cv::Size size) {
    if (truth.source == TruthSource::Mask)
        return metrics::maskAtSize(truth.mask, size);
    cv::Mat out = cv::Mat::zeros(size, CV_8UC1);
    for (const auto& mark : truth.marks) {
        if (mark.box) {
            const auto [x0, x1] = pixelSpan(mark.x0, mark.x1, size.width);
            const auto [y0, y1] = pixelSpan(mark.y0, mark.y1, size.height);
            if (x1 > x0 && y1 > y0)
                out(cv::Rect(x0, y0, x1 - x0, y1 - y0)).setTo(255);
            continue;
        }
        const int x = std::clamp(static_cast<int>(mark.x0 * size.width), 0, size.width - 1);
        const int y = std::clamp(static_cast<int>(mark.y0 * size.height), 0, size.height - 1);
        out.at<unsigned char>(y, x) = 255;
    }
    return out;
}

void requireValid(const LesionMark& mark) {
    for (const double v : {mark.x0, mark.y0, mark.x1, mark.y1}) {
        if (!std::isfinite(v) || v < 0.0 || v > 1.0)
            throw Error("a lesion mark's coordinates are fractions of the image, 0 to 1");
    }
    if (mark.box && (mark.x1 <= mark.x0 || mark.y1 <= mark.y0))
        throw Error("a lesion box needs a width and a height");
}

}  // namespace saliency::study
