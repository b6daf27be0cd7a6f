#pragma once
// Colour maps as 256-entry lookup tables in RGB order (core's convention), and applying them to
// a map in [0,1]. Jet, Turbo and Viridis are OpenCV's COLORMAP_JET / TURBO / VIRIDIS (what
// pytorch-grad-cam's show_cam_on_image uses through cv2.applyColorMap), converted from OpenCV's
// BGR to RGB; Gray is the identity ramp. No LibTorch here.
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace saliency::explain {

enum class ColourMap { Jet, Turbo, Viridis, Gray };

std::string colourMapName(ColourMap map);                          // "jet", "turbo", "viridis", "gray"
std::optional<ColourMap> parseColourMap(const std::string& name);  // any case; "grey" too
std::vector<ColourMap> colourMaps();

// 256x1 CV_8UC3, RGB: entry i is the colour of the value i / 255. Built once, shared, read-only.
const cv::Mat& colourLut(ColourMap map);

// The 8-bit index of a value as pytorch-grad-cam computes it: uint8(255 * v), truncating, with
// v clipped to [0,1] first (NaN -> 0).
unsigned char colourIndex(float value);

// CV_32FC1 (or CV_64FC1) map, values in [0,1] -> CV_8UC3 RGB image of the same size.
// CV_8UC1 input is taken as the indices themselves. Throws saliency::Error for other types.
cv::Mat applyColourMap(const cv::Mat& map, ColourMap colourMap = ColourMap::Jet);

}  // namespace saliency::explain
