#include "metrics/MapValidation.h"

#include <cmath>

#include "common/Error.h"

namespace saliency::metrics {

namespace {

std::string sizeText(const cv::Mat& m) {
    return std::to_string(m.cols) + "x" + std::to_string(m.rows);
}

[[noreturn]] void fail(std::string_view context, const std::string& what) {
    throw Error(std::string(context) + ": " + what);
}

void requireNonEmpty(const cv::Mat& m, std::string_view context, const char* kind) {
    if (m.empty() || m.dims != 2 || m.rows <= 0 || m.cols <= 0)
        fail(context, std::string("the ") + kind + " is empty");
}

}  // namespace

std::string matTypeName(int type) {
    static const char* depths[] = {"8U", "8S", "16U", "16S", "32S", "32F", "64F", "16F"};
    const int depth = CV_MAT_DEPTH(type);
    return std::string("CV_") + depths[depth] + "C" + std::to_string(CV_MAT_CN(type));
}

void requireMap(const cv::Mat& map, std::string_view context) {
    requireNonEmpty(map, context, "map");
    if (map.type() != CV_32FC1)
        fail(context, "a saliency map must be CV_32FC1 (one float channel), got " + matTypeName(map.type()));
    for (int y = 0; y < map.rows; ++y) {
        const float* row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x)
            if (!std::isfinite(row[x]))
                fail(context, "the map has a non-finite value at (" + std::to_string(x) + ", " +
                                  std::to_string(y) + ")");
    }
}

void requireWeightMap(const cv::Mat& map, std::string_view context) {
    requireMap(map, context);
    for (int y = 0; y < map.rows; ++y) {
        const float* row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x)
            if (row[x] < 0.0f)
                fail(context, "the map has a negative value at (" + std::to_string(x) + ", " +
                                  std::to_string(y) +
                                  "); weights must be >= 0 (normalise the map to [0,1] first)");
    }
}

void requireColourImage(const cv::Mat& image, std::string_view context) {
    requireNonEmpty(image, context, "image");
    if (image.type() != CV_8UC3 && image.type() != CV_32FC3)
        fail(context, "the image must be CV_8UC3 or CV_32FC3, got " + matTypeName(image.type()));
}

void requireMask(const cv::Mat& mask, std::string_view context) {
    requireNonEmpty(mask, context, "mask");
    if (mask.type() != CV_8UC1)
        fail(context, "a mask must be CV_8UC1 (non-zero = inside), got " + matTypeName(mask.type()));
}

void requireSameSize(const cv::Mat& a, const cv::Mat& b, std::string_view context) {
    if (a.rows != b.rows || a.cols != b.cols)
        fail(context, "sizes differ (" + sizeText(a) + " vs " + sizeText(b) + ")");
}

}  // namespace saliency::metrics
