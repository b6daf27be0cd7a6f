#include "io/MaskReader.h"

#include <exception>

#include <opencv2/imgproc.hpp>

#include "io/ImageReader.h"

namespace saliency {

cv::Mat readMask(const std::filesystem::path& file) {
    try {
        const Scan scan = readImageFile(file);
        cv::Mat gray;
        cv::cvtColor(scan.rgb, gray, cv::COLOR_RGB2GRAY);  // 8-bit files: their own values, unchanged
        return gray;
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace saliency
