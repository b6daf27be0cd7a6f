#pragma once
// Faithfulness of a saliency map: deletion and insertion curves with their area under the curve
// (Petsiuk et al. 2018, RISE). Generic over the model: the caller passes a scoring callback.
#include <functional>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

namespace saliency::metrics {

// Target-class probability (or any score) for each image, in order: one value per image. Images have
// the original's size and type. Called in batches (see FaithfulnessOptions::batchSize).
using ClassScore = std::function<std::vector<double>(const std::vector<cv::Mat>& images)>;

enum class FaithfulnessBaseline {
    Zero,  // black (all channels 0)
    Blur,  // the image blurred by a Gaussian of sigma = blurSigmaFraction * max(W, H)
};

struct FaithfulnessOptions {
    int steps = 20;                                                       // curve points: steps + 1
    FaithfulnessBaseline deletionBaseline = FaithfulnessBaseline::Zero;   // what removed pixels become
    FaithfulnessBaseline insertionBaseline = FaithfulnessBaseline::Blur;  // the canvas pixels are revealed on
    double blurSigmaFraction = 0.05;
    int batchSize = 0;  // images per callback call; 0 = all steps + 1 images in one call
};

struct FaithfulnessCurve {
    std::vector<double> fractions;  // k / steps for k = 0 .. steps (the x axis, [0,1])
    std::vector<double> scores;     // the callback's score at each fraction
    double auc = 0.0;               // trapezoid over the fraction axis
};

// Pixels are ordered by decreasing saliency (stable: equal values keep row-major order). At step k the
// first round(k/steps * W*H) pixels of that order, all channels, are
//  - deletion: replaced by the deletion baseline (k = 0 is the original image, k = steps the baseline);
//    a faithful map makes the score fall fast: low AUC is good;
//  - insertion: taken from the original over the insertion baseline (k = 0 is the baseline, k = steps
//    the original); a faithful map makes the score rise fast: high AUC is good.
// image: CV_8UC3 or CV_32FC3; map: CV_32FC1 of the image's size.
// Throws Error for bad input (types, sizes, steps < 1, no callback, a non-positive blur sigma) and when
// the callback returns the wrong number of scores or a non-finite score.
FaithfulnessCurve deletionCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score,
                                const FaithfulnessOptions& options = {});
FaithfulnessCurve insertionCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score,
                                 const FaithfulnessOptions& options = {});

// The scores of `images` from `batch` at a time (0: one call), checked: throws Error naming
// `context` when the callback returns the wrong number of scores or a non-finite one.
std::vector<double> scoreInBatches(std::string_view context, const std::vector<cv::Mat>& images,
                                   const ClassScore& score, int batch);

// The baseline image (same size and type as image).
cv::Mat faithfulnessBaseline(const cv::Mat& image, FaithfulnessBaseline baseline,
                             double blurSigmaFraction = 0.05);

// Trapezoid rule: sum (x[i+1] - x[i]) (y[i] + y[i+1]) / 2. Throws Error when the sizes differ.
double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace saliency::metrics
