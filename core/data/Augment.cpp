#include "data/Augment.h"

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency {

cv::Mat augment(const cv::Mat& rgb, Rng& rng, const AugmentOptions& options) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw Error("augment expects a non-empty 8-bit RGB image");
    // Draw every random number up front in a fixed order, whatever is enabled, so that one option
    // does not shift the stream of the others.
    const bool flip = rng.chance(options.flipProbability);
    const double angle = rng.uniform(-options.maxRotationDegrees, options.maxRotationDegrees);
    const double shift = rng.uniform(-options.brightness, options.brightness) * 255.0;
    const double gain = rng.uniform(1.0 - options.contrast, 1.0 + options.contrast);
    if (!options.enabled)
        return rgb.clone();

    cv::Mat out = rgb.clone();
    if (flip)
        cv::flip(out, out, 1);  // left-right only: up-down flips make no anatomical sense
    if (options.maxRotationDegrees > 0.0) {
        const cv::Point2f centre(0.5f * float(out.cols - 1), 0.5f * float(out.rows - 1));
        const cv::Mat rotation = cv::getRotationMatrix2D(centre, angle, 1.0);
        cv::warpAffine(out, out, rotation, out.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                       cv::Scalar::all(0));
    }
    if (options.brightness > 0.0 || options.contrast > 0.0) {
        // Contrast around the image mean, then a brightness shift: y = gain * (x - m) + m + shift.
        const cv::Scalar channelMeans = cv::mean(out);
        const double mean = (channelMeans[0] + channelMeans[1] + channelMeans[2]) / 3.0;
        out.convertTo(out, CV_8UC3, gain, (1.0 - gain) * mean + shift);
    }
    return out;
}

}  // namespace saliency
