#pragma once
// How alike two saliency maps are, as the model-randomisation sanity check measures it (Adebayo
// et al. 2018). cv::Mat only (no LibTorch), so that the GUI can use it too.
#include <opencv2/core/mat.hpp>

namespace saliency::explain {

// Spearman's rank correlation of the values of two maps of the same size and type (every channel
// of every pixel), ties given their average rank (many pixels of a CAM are 0 after the ReLU).
// NaN when either map is constant: the correlation is undefined then.
double spearmanCorrelation(const cv::Mat& a, const cv::Mat& b);

// Mean structural similarity (Wang et al. 2004) of two single-channel maps of the same size:
// Gaussian window sigma 1.5 (11 x 11), K1 = 0.01, K2 = 0.03, population (co)variances, and the
// mean taken over the pixels whose whole window lies inside the map. This is
// skimage.metrics.structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
// use_sample_covariance=False, data_range=dataRange). Throws saliency::Error for maps smaller
// than 11 pixels in either direction or of different sizes.
double structuralSimilarity(const cv::Mat& a, const cv::Mat& b, double dataRange = 1.0);

}  // namespace saliency::explain
