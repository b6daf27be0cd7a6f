#include "saliency/MethodMaps.h"

#include <ATen/ATen.h>

namespace saliency::explain {

PassCount& PassCount::operator+=(const PassCount& other) {
    forwards += other.forwards;
    guidedForwards += other.guidedForwards;
    backwards += other.backwards;
    return *this;
}

MethodMaps camMethodMaps(Method method, const at::Tensor& raw, std::int64_t height, std::int64_t width,
                         CamScaling scaling) {
    MethodMaps out{.method = method};
    auto processed = postProcessCam(raw, height, width, scaling);
    out.maps = processed.maps.cpu();
    out.raw = raw.cpu();
    out.empty = std::move(processed.empty);
    return out;
}

std::vector<bool> zeroPerImage(const at::Tensor& maps) {
    const auto peak =
        maps.detach().abs().reshape({maps.size(0), -1}).amax(1).to(at::kCPU, at::kDouble).contiguous();
    std::vector<bool> out;
    for (std::int64_t i = 0; i < peak.numel(); ++i)
        out.push_back(!(peak.data_ptr<double>()[i] > 0.0));  // NaN counts as empty too
    return out;
}

at::Tensor weightedChannelSum(const at::Tensor& weights, const at::Tensor& features) {
    return (weights.unsqueeze(-1).unsqueeze(-1) * features).sum(1);
}

}  // namespace saliency::explain
