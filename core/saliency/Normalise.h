#pragma once
// Post-processing of CAM and Grad-CAM (DESIGN.md section 4), on tensors:
//   ReLU -> bilinear upsampling to the input size with half-pixel centres (align_corners=false,
//   the same as OpenCV's INTER_LINEAR) -> per-image min-max to [0,1] with eps 1e-7:
//   M = (U - min U) / (max U - min U + 1e-7).
// A map whose range max U - min U is at most the eps is flagged empty: it normalises to values
// below 0.5 (exactly 0 for an all-zero map), never a division by zero.
//
// pytorch-grad-cam's GradCAM (one target layer) does ReLU, min-max, resize (scale_cam_image in
// compute_cam_per_layer) and then min-max again (aggregate_multi_layers). Resizing is linear
// with weights that sum to one and min-max is affine per image, so the two orders give the same
// map except for where the eps enters: |difference| <= about 1e-7 / (max - min). Both are
// offered, and the order with a single min-max before resizing (no final min-max) too, to show
// what it would change (interpolation lowers peaks inside the map: its maximum is below 1).
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

namespace saliency::explain {

inline constexpr double kMinMaxEps = 1e-7;

enum class CamScaling {
    ResizeThenNormalise,  // DESIGN.md: ReLU, upsample, min-max (the default)
    PytorchGradCam,       // pytorch-grad-cam exactly: ReLU, min-max, upsample, min-max
    NormaliseThenResize,  // ReLU, min-max, upsample (one scale_cam_image step, no final min-max)
};
std::string camScalingName(CamScaling scaling);  // "resize-normalise", "pytorch-grad-cam", "normalise-resize"

// (N,h,w) -> (N,height,width): bilinear, align_corners=false. Same dtype and device.
at::Tensor upsampleBilinear(const at::Tensor& maps, std::int64_t height, std::int64_t width);

// Per image of (N,H,W): (m - min) / (max - min + kMinMaxEps).
at::Tensor minMaxNormalise(const at::Tensor& maps);

// Per image of (N,...): max - min, as doubles.
std::vector<double> mapRanges(const at::Tensor& maps);

// A range at most kMinMaxEps: the map carries no spatial information.
bool isEmptyRange(double range);

struct ProcessedCam {
    at::Tensor maps;          // (N,height,width) in [0,1]
    std::vector<bool> empty;  // per image: the ReLU'd, upsampled map has range <= kMinMaxEps
};

// raw: (N,h,w) weighted sum of the target layer's channels (CAM or Grad-CAM), before the ReLU.
ProcessedCam postProcessCam(const at::Tensor& raw, std::int64_t height, std::int64_t width,
                            CamScaling scaling = CamScaling::ResizeThenNormalise);

}  // namespace saliency::explain
