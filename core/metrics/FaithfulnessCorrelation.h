#pragma once
// Faithfulness correlation (Bhatt et al. 2020, "Evaluating and aggregating feature-based model
// explanations"; Quantus' FaithfulnessCorrelation): over `runs` random subsets S of `subsetSize`
// pixels, the Pearson correlation between the map's relevance in S, sum_{i in S} R_i, and the drop
// of the class score when S is set to the baseline, f(x) - f(x with S replaced). A map whose
// relevant pixels are the ones the score depends on correlates near 1. Generic over the model:
// the caller passes the scoring callback of Faithfulness.h. No LibTorch.
#include <cstdint>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "metrics/Faithfulness.h"

namespace saliency::metrics {

struct FaithfulnessCorrelationOptions {
    int runs = 100;          // Quantus' default nr_runs
    int subsetSize = 224;    // pixels per subset (Quantus' default), at most the image's
    std::uint64_t seed = 0;  // the subsets: std::mt19937_64, a partial Fisher-Yates shuffle per run
    FaithfulnessBaseline baseline = FaithfulnessBaseline::Zero;  // Quantus' "black"
    int batchSize = 0;  // perturbed images per callback call; 0: all runs in one call
};

struct FaithfulnessCorrelation {
    std::optional<double> correlation;  // nullopt when either side is constant over the runs
    std::vector<double> relevance;      // per run: sum of R over the subset
    std::vector<double> scoreDrop;      // per run: f(x) - f(x perturbed)
};

// image: CV_8UC3 or CV_32FC3; map: CV_32FC1 of the image's size (a pixel's relevance; every channel
// of a chosen pixel is replaced). Throws Error for bad input, runs < 2, subsetSize < 1, and for a
// callback that returns the wrong number of scores or a non-finite one.
FaithfulnessCorrelation faithfulnessCorrelation(const cv::Mat& image, const cv::Mat& map,
                                                const ClassScore& score,
                                                const FaithfulnessCorrelationOptions& options = {});

// Pearson's r of two equally long series; nullopt when either is constant or they are shorter than 2.
std::optional<double> pearsonCorrelation(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace saliency::metrics
