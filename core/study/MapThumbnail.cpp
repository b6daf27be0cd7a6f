#include "study/MapThumbnail.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency::study {

std::vector<unsigned char> encodeThumbnail(const cv::Mat& map, int size) {
    if (map.empty() || map.type() != CV_32FC1)
        throw Error("map thumbnail: expected a non-empty CV_32FC1 map");
    if (size < 1)
        throw Error("map thumbnail: the size must be positive");
    cv::Mat small;
    // INTER_AREA averages when shrinking, so a thin salient region fades instead of vanishing.
    cv::resize(map, small, cv::Size(size, size), 0, 0, cv::INTER_AREA);
    cv::Mat bytes;
    small.convertTo(bytes, CV_8U, 255.0);  // saturate_cast rounds and clips to [0, 255]
    std::vector<unsigned char> png;
    if (!cv::imencode(".png", bytes, png))
        throw Error("map thumbnail: PNG encoding failed");
    return png;
}

cv::Mat decodeThumbnail(const std::vector<unsigned char>& png) {
    const cv::Mat bytes = png.empty() ? cv::Mat() : cv::imdecode(png, cv::IMREAD_UNCHANGED);
    if (bytes.empty() || bytes.type() != CV_8UC1)
        throw Error("map thumbnail: not an 8-bit grey PNG");
    cv::Mat map;
    bytes.convertTo(map, CV_32F, 1.0 / 255.0);
    return map;
}

}  // namespace saliency::study
