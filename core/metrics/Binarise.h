#pragma once
// Binarisation of a saliency map into a region (for IoU and agreement), DESIGN.md section 4.
#include <string>

#include <opencv2/core.hpp>

namespace saliency::metrics {

enum class BinarisationMode {
    Level,       // pixel >= level (on the [0,1]-normalised map)
    TopPercent,  // the top topPercent % of pixels: exactly round(topPercent/100 * N) of them
    Otsu,        // Otsu's threshold on the map quantised to 256 levels
};

struct Binarisation {
    BinarisationMode mode = BinarisationMode::Level;
    double level = 0.5;        // Level: the threshold tau; a pixel is in when p >= tau
    double topPercent = 10.0;  // TopPercent: q in [0, 100]

    static Binarisation atLevel(double tau) { return {BinarisationMode::Level, tau, 10.0}; }
    static Binarisation top(double percent) { return {BinarisationMode::TopPercent, 0.5, percent}; }
    static Binarisation otsu() { return {BinarisationMode::Otsu, 0.5, 10.0}; }
};

// CV_8UC1 of the map's size: 255 inside the region, 0 outside.
//  - Level: p >= level (any finite level; 0.5 by default).
//  - TopPercent: the round(q/100 * W*H) pixels of highest value; ties broken by row-major index
//    (the earlier pixel wins), so the count is exact and the result deterministic.
//  - Otsu: the map is clamped to [0,1] and quantised to q = round(255 p) (8-bit); Otsu's threshold t
//    (cv::threshold with THRESH_OTSU) is computed on q and the region is q > t (OpenCV's THRESH_BINARY
//    rule). A map whose quantised values are all equal has nothing to separate: the region is empty.
// Throws Error for an empty map, a wrong type, non-finite values, a non-finite level or q outside [0,100].
cv::Mat binarise(const cv::Mat& map, const Binarisation& binarisation = {});

// Otsu's 8-bit threshold t of a map as used by binarise (region = round(255 clamp(p)) > t);
// -1 when the quantised map is constant (empty region).
int otsuThreshold(const cv::Mat& map);

// "level 0.5", "top 10%", "Otsu": for tables, CSV columns and figure captions.
std::string describe(const Binarisation& binarisation);

}  // namespace saliency::metrics
