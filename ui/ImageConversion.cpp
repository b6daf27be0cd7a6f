#include "ImageConversion.h"

#include <opencv2/imgproc.hpp>

namespace saliency::ui {

QImage toQImage(const cv::Mat& image) {
    if (image.empty())
        return {};
    if (image.type() == CV_8UC3) {
        const QImage view(image.data, image.cols, image.rows, static_cast<qsizetype>(image.step),
                          QImage::Format_RGB888);
        return view.copy();  // detach: the cv::Mat may be freed before Qt paints
    }
    if (image.type() == CV_8UC1) {
        const QImage view(image.data, image.cols, image.rows, static_cast<qsizetype>(image.step),
                          QImage::Format_Grayscale8);
        return view.copy();
    }
    return {};
}

QImage withMaskOutline(const QImage& rgb, const cv::Mat& mask, QColor colour) {
    if (rgb.isNull() || mask.empty())
        return rgb;
    cv::Mat binary;
    cv::compare(mask, 0, binary, cv::CMP_GT);
    if (binary.cols != rgb.width() || binary.rows != rgb.height()) {
        cv::resize(binary, binary, cv::Size(rgb.width(), rgb.height()), 0, 0, cv::INTER_NEAREST);
    }
    cv::Mat eroded;
    cv::erode(binary, eroded, cv::Mat());
    const cv::Mat edge = binary - eroded;
    QImage out = rgb.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < edge.rows; ++y) {
        const auto* row = edge.ptr<unsigned char>(y);
        for (int x = 0; x < edge.cols; ++x) {
            if (row[x])
                out.setPixelColor(x, y, colour);
        }
    }
    return out;
}

}  // namespace saliency::ui
