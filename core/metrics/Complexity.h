#pragma once
// How concentrated a saliency map is (Quantus' "complexity" family). Both take the map's absolute
// values, so a signed attribution and its display (absMaxGradient) are treated alike.
//
//  - sparseness: the Gini index of |R| (Chalasani et al. 2020, "Concise explanations of neural
//    networks using adversarial training"; Quantus' Sparseness): with a = sort(|R|) ascending,
//    n values, G = sum_i (2 i - n - 1) a_i / (n sum_i a_i), i = 1..n. 0 for a uniform map, (n-1)/n
//    when one pixel holds everything. Higher: sparser, easier to read.
//  - effective complexity (Nguyen & Martinez 2020, "On quantitative aspects of model
//    interpretability"; Quantus' EffectiveComplexity): the share of values with |R| > eps
//    (Quantus counts them; divided by n here so that maps of different sizes compare).
//    Lower: fewer pixels carry relevance.
// No LibTorch, no Qt.
#include <optional>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// map: CV_32F, any channel count (every value counts), finite. std::nullopt when sum |R| = 0.
std::optional<double> sparseness(const cv::Mat& map);

// Share of the values with |R| > eps, in [0,1]. eps: Quantus' default 1e-5 (maps in [0,1]).
double effectiveComplexity(const cv::Mat& map, double eps = 1e-5);

}  // namespace saliency::metrics
