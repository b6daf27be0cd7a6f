#pragma once
// What every reader produces: an 8-bit RGB image for the networks and the display, plus the
// original intensities so that window/level can be changed later without re-reading the file.
#include <filesystem>
#include <span>
#include <string>

#include <opencv2/core/mat.hpp>

namespace saliency {

struct Window {
    double centre = 127.5;
    double width = 255.0;
};

struct Scan {
    cv::Mat rgb;        // CV_8UC3, channels in R,G,B order (not OpenCV's BGR)
    cv::Mat intensity;  // CV_32FC1, original values (luminance for colour files, HU/raw for DICOM/NIfTI)
    Window window;  // maps intensity to the 8-bit image: the file's default (DICOM tags) or a robust range
    std::filesystem::path source;
    std::string format;        // "jpeg", "png", "bmp", "tiff", "dicom", "nifti"
    int sourceChannels = 0;    // channels as stored in the file (1 gray, 3 RGB, 4 RGBA or CMYK)
    int sourceBits = 0;        // bits per sample as stored (8, 16, 32)
    std::string sourceColour;  // "gray", "rgb", "rgba", "cmyk", "monochrome1", "monochrome2"
};

// Maps intensities through a window to 8 bits (the DICOM linear VOI function, PS3.3 C.11.2.1.2).
cv::Mat applyWindow(const cv::Mat& intensity, const Window& window);

// A window from the 0.5th to the 99.5th percentile of the values, robust to a few hot pixels.
Window robustWindow(const cv::Mat& intensity);
Window robustWindow(std::span<const float> values);  // the same over raw values (e.g. a whole volume)

// A window from the lowShare to the highShare quantile (e.g. 0.01 and 0.99) of the finite values; the
// full range when those coincide (a mostly constant image).
Window percentileWindow(std::span<const float> values, double lowShare, double highShare);

// The window that maps lo to 0 and hi to 255 exactly (width = hi - lo + 1 in the DICOM function).
Window windowForRange(double lo, double hi);

}  // namespace saliency
