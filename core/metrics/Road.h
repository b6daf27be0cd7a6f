#pragma once
// ROAD, "Remove And Debias" (Rong, Leemann, Borisov, Kasneci and Kasneci 2022, "A consistent and
// efficient evaluation strategy for attribution methods", ICML): deletion as in RISE, but the
// removed pixels are filled in from their neighbours by noisy linear imputation instead of being set
// to black, so that the shape of what was removed does not itself tell the network what was there
// (the "class information leakage" that makes deletion to black rank methods inconsistently).
//
// Imputation (the paper's NoisyLinearImputer, also pytorch-grad-cam's): each removed pixel takes the
// weighted mean of its 8 neighbours inside the image (weight 1/6 for the 4 direct ones, 1/12 for the
// diagonal ones), removed neighbours included, so the removed values solve one sparse linear system
// per channel; then Gaussian noise of standard deviation `noise` x the value range (255 for 8-bit
// images, 1 for float) is added to them. Solved here by conjugate gradients (the system is symmetric
// positive definite while any pixel is kept) to a relative residual of 1e-6, from a start imputed on a
// grid of half the size (a cascade), well below the 1 % noise then added.
//
// The curves: for each fraction p, the first round(p N) pixels of the map's ranking
// (metrics/PixelRanking.h) are removed and imputed, most relevant first (MoRF: a faithful map makes
// the class score fall, low is good) or least relevant first (LeRF: the score stays, high is good).
// Each curve is summarised by its mean score over the fractions; pytorch-grad-cam's ROADCombined is
// (LeRF - MoRF) / 2 of these. Generic over the model: the caller passes the scoring callback of
// Faithfulness.h. No LibTorch.
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "metrics/Faithfulness.h"

namespace saliency::metrics {

enum class RoadOrder { MostRelevantFirst, LeastRelevantFirst };

struct RoadOptions {
    std::vector<double> fractions = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};  // each in [0, 1)
    double noise = 0.01;     // the paper's noise, as a share of the value range
    std::uint64_t seed = 0;  // the noise: std::mt19937_64, std::normal_distribution
    int batchSize = 0;       // images per callback call; 0: all fractions in one call
};

struct RoadCurve {
    std::vector<double> fractions;
    std::vector<double> scores;  // the callback's score with that fraction removed and imputed
    double mean = 0.0;           // mean of scores
};

// image: CV_8UC3 or CV_32FC3; map: CV_32FC1 of the image's size. Throws Error for bad input, no
// callback, an empty list of fractions or one outside [0, 1), a negative noise, and a callback that
// returns the wrong number of scores or a non-finite one.
RoadCurve roadCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score, RoadOrder order,
                    const RoadOptions& options = {});

// The image with the pixels where `removed` (CV_8UC1 of the image's size) is non-zero replaced by
// noisy linear imputation; noise 0 gives the plain linear imputation. Every pixel removed: the
// system has no solution, so they become 0. Throws Error for bad input.
cv::Mat noisyLinearImputation(const cv::Mat& image, const cv::Mat& removed, double noise = 0.01,
                              std::uint64_t seed = 0);

}  // namespace saliency::metrics
