#include "saliency/ColourMap.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency::explain {

namespace {

cv::Mat buildLut(ColourMap map) {
    cv::Mat ramp(256, 1, CV_8UC1);
    for (int i = 0; i < 256; ++i)
        ramp.at<unsigned char>(i) = static_cast<unsigned char>(i);
    cv::Mat rgb;
    if (map == ColourMap::Gray) {
        cv::cvtColor(ramp, rgb, cv::COLOR_GRAY2RGB);
        return rgb;
    }
    const int code = map == ColourMap::Jet     ? cv::COLORMAP_JET
                     : map == ColourMap::Turbo ? cv::COLORMAP_TURBO
                                               : cv::COLORMAP_VIRIDIS;
    cv::Mat bgr;
    cv::applyColorMap(ramp, bgr, code);  // OpenCV answers in BGR order
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

}  // namespace

std::string colourMapName(ColourMap map) {
    switch (map) {
        case ColourMap::Jet:
            return "jet";
        case ColourMap::Turbo:
            return "turbo";
        case ColourMap::Viridis:
            return "viridis";
        case ColourMap::Gray:
            return "gray";
    }
    return "unknown";
}

std::optional<ColourMap> parseColourMap(const std::string& name) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (key == "grey")
        key = "gray";
    for (const auto map : colourMaps())
        if (colourMapName(map) == key)
            return map;
    return std::nullopt;
}

std::vector<ColourMap> colourMaps() {
    return {ColourMap::Jet, ColourMap::Turbo, ColourMap::Viridis, ColourMap::Gray};
}

const cv::Mat& colourLut(ColourMap map) {
    // Function-local statics: built once, thread-safe (C++11 magic statics).
    static const std::array<cv::Mat, 4> luts{buildLut(ColourMap::Jet), buildLut(ColourMap::Turbo),
                                             buildLut(ColourMap::Viridis), buildLut(ColourMap::Gray)};
    return luts.at(static_cast<std::size_t>(map));
}

unsigned char colourIndex(float value) {
    if (!(value > 0.f))
        return 0;
    if (value >= 1.f)
        return 255;
    return static_cast<unsigned char>(255.f * value);  // truncation, as numpy's uint8(255 * v)
}

cv::Mat applyColourMap(const cv::Mat& map, ColourMap colourMap) {
    if (map.empty())
        throw Error("applyColourMap: the map is empty");
    if (map.channels() != 1)
        throw Error("applyColourMap: a map has one channel, got " + std::to_string(map.channels()));
    cv::Mat index(map.size(), CV_8UC1);
    if (map.depth() == CV_8U) {
        map.copyTo(index);
    } else if (map.depth() == CV_32F || map.depth() == CV_64F) {
        cv::Mat values;
        map.convertTo(values, CV_32F);
        for (int r = 0; r < values.rows; ++r) {
            const float* src = values.ptr<float>(r);
            unsigned char* dst = index.ptr<unsigned char>(r);
            for (int c = 0; c < values.cols; ++c)
                dst[c] = colourIndex(src[c]);
        }
    } else {
        throw Error("applyColourMap: the map must be 8-bit or floating point");
    }
    const cv::Mat& lut = colourLut(colourMap);
    cv::Mat out(map.size(), CV_8UC3);
    for (int r = 0; r < index.rows; ++r) {
        const unsigned char* src = index.ptr<unsigned char>(r);
        auto* dst = out.ptr<cv::Vec3b>(r);
        for (int c = 0; c < index.cols; ++c)
            dst[c] = lut.at<cv::Vec3b>(src[c]);
    }
    return out;
}

}  // namespace saliency::explain
