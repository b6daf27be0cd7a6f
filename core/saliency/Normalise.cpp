#include "saliency/Normalise.h"

#include <ATen/ATen.h>

#include "common/Error.h"

namespace saliency::explain {

std::string camScalingName(CamScaling scaling) {
    switch (scaling) {
        case CamScaling::ResizeThenNormalise:
            return "resize-normalise";
        case CamScaling::PytorchGradCam:
            return "pytorch-grad-cam";
        case CamScaling::NormaliseThenResize:
            return "normalise-resize";
    }
    return "unknown";
}

at::Tensor upsampleBilinear(const at::Tensor& maps, std::int64_t height, std::int64_t width) {
    if (maps.dim() != 3)
        throw Error("upsampleBilinear expects maps of shape (N,h,w), got " + std::to_string(maps.dim()) +
                    " dimensions");
    if (maps.size(1) == height && maps.size(2) == width)
        return maps;
    return at::upsample_bilinear2d(maps.unsqueeze(1), {height, width}, /*align_corners=*/false).squeeze(1);
}

at::Tensor minMaxNormalise(const at::Tensor& maps) {
    if (maps.dim() < 2)
        throw Error("minMaxNormalise expects a batch of maps (N,...)");
    const auto flat = maps.reshape({maps.size(0), -1});
    std::vector<std::int64_t> shape(static_cast<std::size_t>(maps.dim()), 1);
    shape[0] = maps.size(0);
    const auto lo = std::get<0>(flat.min(1)).reshape(shape);
    const auto shifted = maps - lo;
    const auto hi = std::get<0>(shifted.reshape({maps.size(0), -1}).max(1)).reshape(shape);
    return shifted / (hi + kMinMaxEps);
}

std::vector<double> mapRanges(const at::Tensor& maps) {
    const auto flat = maps.detach().reshape({maps.size(0), -1}).to(at::kDouble).cpu();
    const auto range = (std::get<0>(flat.max(1)) - std::get<0>(flat.min(1))).contiguous();
    const double* p = range.data_ptr<double>();
    return {p, p + range.numel()};
}

bool isEmptyRange(double range) {
    return !(range > kMinMaxEps);  // NaN counts as empty too
}

ProcessedCam postProcessCam(const at::Tensor& raw, std::int64_t height, std::int64_t width,
                            CamScaling scaling) {
    if (raw.dim() != 3)
        throw Error("postProcessCam expects raw maps of shape (N,h,w), got " + std::to_string(raw.dim()) +
                    " dimensions");
    const auto positive = at::relu(raw);
    const auto upsampled = upsampleBilinear(positive, height, width);
    ProcessedCam out;
    for (const double r : mapRanges(upsampled))
        out.empty.push_back(isEmptyRange(r));
    switch (scaling) {
        case CamScaling::ResizeThenNormalise:
            out.maps = minMaxNormalise(upsampled);
            break;
        case CamScaling::PytorchGradCam:
            out.maps = minMaxNormalise(upsampleBilinear(minMaxNormalise(positive), height, width));
            break;
        case CamScaling::NormaliseThenResize:
            out.maps = upsampleBilinear(minMaxNormalise(positive), height, width);
            break;
    }
    return out;
}

}  // namespace saliency::explain
