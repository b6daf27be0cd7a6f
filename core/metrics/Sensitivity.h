#pragma once
// Robustness of a saliency method to small input noise (Yeh et al. 2019, "On the (in)fidelity and
// sensitivity of explanations"; Quantus' MaxSensitivity and AvgSensitivity): `samples` inputs
// x + d with d uniform in [-r, r] per value (r = radius x the value range: 255 for 8-bit images, 1
// for float ones; 8-bit results are rounded and clipped), each explained again, and
//   s_i = ||Phi(x + d_i) - Phi(x)||_F / ||Phi(x)||_F          (Quantus' normalised form)
// max-sensitivity = max_i s_i, average sensitivity = mean_i s_i. Lower: steadier maps. Generic over
// the method: the caller passes the explanation as a callback (the network runs inside it).
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// The map of an image (any float type, the same size and type for every input).
using ExplainImage = std::function<cv::Mat(const cv::Mat& image)>;

struct SensitivityOptions {
    int samples = 10;        // Quantus' default nr_samples
    double radius = 0.05;    // of the value range
    std::uint64_t seed = 0;  // the noise: std::mt19937_64, 53-bit uniforms
};

struct Sensitivity {
    std::optional<double> maximum;  // nullopt when ||Phi(x)|| = 0 (nothing to compare with)
    std::optional<double> average;
    std::vector<double> perSample;  // s_i
};

// image: CV_8UC3 or CV_32FC3. Throws Error for bad input, samples < 1, a radius outside (0, 1], no
// callback, or maps whose size or type change with the input or hold non-finite values.
Sensitivity sensitivity(const cv::Mat& image, const ExplainImage& explain,
                        const SensitivityOptions& options = {});

}  // namespace saliency::metrics
