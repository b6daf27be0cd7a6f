#include "saliency/SanityStrip.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "saliency/GuidedDisplay.h"
#include "saliency/Overlay.h"

namespace saliency::explain {

namespace {

constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr double kScale = 0.45;
constexpr int kGap = 4;

// Text that fits `width` pixels: shortened with ".." when too long.
std::string fitted(std::string text, int width) {
    int baseline = 0;
    while (text.size() > 3 && cv::getTextSize(text, kFont, kScale, 1, &baseline).width > width)
        text = text.substr(0, text.size() - 3) + "..";
    return text;
}

void label(cv::Mat& canvas, const std::string& text, cv::Point origin) {
    cv::putText(canvas, text, origin, kFont, kScale, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
}

}  // namespace

cv::Mat comparedMap(const SaliencyMap& map) {
    return map.map.channels() == 1 ? map.map : absMaxGradient(map.map);
}

cv::Mat sanityStrip(const cv::Mat& rgbImage, const std::vector<std::string>& columns,
                    const std::vector<SanityStripRow>& rows, int cell, ColourMap colourMap) {
    if (rgbImage.empty() || rgbImage.type() != CV_8UC3)
        throw Error("sanity strip: the image must be 8-bit RGB");
    int baseline = 0;
    int titleWidth = 0;
    for (const auto& row : rows)
        titleWidth = std::max(titleWidth, cv::getTextSize(row.title, kFont, kScale, 1, &baseline).width);
    const int left = titleWidth + 2 * kGap;
    const int top = 22;
    const int cols = static_cast<int>(columns.size());
    cv::Mat canvas(top + static_cast<int>(rows.size()) * (cell + kGap), left + cols * (cell + kGap), CV_8UC3,
                   cv::Scalar(255, 255, 255));
    for (int c = 0; c < cols; ++c)
        label(canvas, fitted(columns[static_cast<std::size_t>(c)], cell),
              {left + c * (cell + kGap), top - 7});
    cv::Mat seen;
    cv::resize(rgbImage, seen, cv::Size(cell, cell), 0, 0, cv::INTER_AREA);
    const OverlayOptions options{.colourMap = colourMap};
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (static_cast<int>(row.maps.size()) != cols)
            throw Error("sanity strip: " + row.title + " has " + std::to_string(row.maps.size()) +
                        " maps for " + std::to_string(cols) + " columns");
        const int y = top + static_cast<int>(r) * (cell + kGap);
        label(canvas, row.title, {kGap, y + cell / 2});
        for (int c = 0; c < cols; ++c) {
            const cv::Mat picture = overlay(seen, row.maps[static_cast<std::size_t>(c)], options);
            picture.copyTo(canvas(cv::Rect(left + c * (cell + kGap), y, cell, cell)));
        }
    }
    return canvas;
}

}  // namespace saliency::explain
