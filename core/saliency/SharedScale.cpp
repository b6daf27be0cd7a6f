#include "saliency/SharedScale.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "saliency/GuidedDisplay.h"

namespace saliency::explain {

cv::Mat magnitudeMap(const SaliencyMap& map) {
    if (!map.available || map.map.empty())
        return {};
    if (map.map.channels() > 1) {
        cv::Mat magnitude;
        cv::Mat planes = cv::abs(map.map);
        std::vector<cv::Mat> channels;
        cv::split(planes, channels);
        magnitude = channels.front().clone();
        for (std::size_t c = 1; c < channels.size(); ++c)
            magnitude = cv::max(magnitude, channels[c]);
        return magnitude;
    }
    if (map.raw.empty())
        return {};
    cv::Mat positive = cv::max(map.raw, 0.0);
    cv::Mat upsampled;
    cv::resize(positive, upsampled, map.map.size(), 0, 0, cv::INTER_LINEAR);
    return upsampled;
}

double magnitudePeak(const SaliencyMap& map) {
    const cv::Mat magnitude = magnitudeMap(map);
    if (magnitude.empty())
        return 0.0;
    double peak = 0;
    cv::minMaxLoc(magnitude, nullptr, &peak);
    return peak;
}

double sharedPeak(const std::vector<const SaliencyMap*>& maps) {
    double peak = 0;
    for (const auto* m : maps)
        if (m)
            peak = std::max(peak, magnitudePeak(*m));
    return peak;
}

cv::Mat onSharedScale(const SaliencyMap& map, double peak) {
    const cv::Mat magnitude = magnitudeMap(map);
    if (magnitude.empty() || !(peak > 0))
        return map.map.channels() == 1 ? map.map : absMaxGradient(map.map);
    cv::Mat shown = magnitude / peak;
    cv::min(shown, 1.0, shown);
    return shown;
}

}  // namespace saliency::explain
