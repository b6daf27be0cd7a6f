#include "data/Preprocess.h"

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency {

cv::Mat preprocess(const cv::Mat& rgb, int size, const Normalisation& norm) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("preprocess expects a non-empty 8-bit RGB image");
    if (size <= 0)
        throw Error("input size must be positive");
    cv::Mat resized;
    if (rgb.cols == size && rgb.rows == size) {
        resized = rgb;  // the CLI contract: an image already at the model's size is not resized
    } else {
        const bool shrinkingALot = rgb.cols > 2 * size || rgb.rows > 2 * size;
        cv::resize(rgb, resized, cv::Size(size, size), 0, 0,
                   shrinkingALot ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    cv::Mat scaled;
    resized.convertTo(scaled, CV_32FC3, 1.0 / 255.0);
    const cv::Scalar mean(norm.mean[0], norm.mean[1], norm.mean[2]);
    const cv::Scalar stdev(norm.std[0], norm.std[1], norm.std[2]);
    cv::subtract(scaled, mean, scaled);
    cv::divide(scaled, stdev, scaled);
    return scaled;
}

void hwcToChw(const cv::Mat& image, float* dst) {
    if (image.type() != CV_32FC3)
        throw Error("hwcToChw expects a CV_32FC3 image");
    const size_t plane = static_cast<size_t>(image.rows) * static_cast<size_t>(image.cols);
    for (int y = 0; y < image.rows; ++y) {
        const auto* row = image.ptr<cv::Vec3f>(y);
        for (int x = 0; x < image.cols; ++x) {
            const size_t at =
                static_cast<size_t>(y) * static_cast<size_t>(image.cols) + static_cast<size_t>(x);
            dst[at] = row[x][0];
            dst[plane + at] = row[x][1];
            dst[2 * plane + at] = row[x][2];
        }
    }
}

}  // namespace saliency
