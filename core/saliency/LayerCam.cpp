#include "saliency/LayerCam.h"

#include <ATen/ATen.h>

namespace saliency::explain {

at::Tensor layerCamRaw(const at::Tensor& features, const at::Tensor& gradient) {
    return (at::relu(gradient) * features).sum(1);
}

MethodMaps layerCam(const at::Tensor& features, const at::Tensor& gradient, std::int64_t height,
                    std::int64_t width, CamScaling scaling) {
    return camMethodMaps(Method::LayerCam, layerCamRaw(features, gradient), height, width, scaling);
}

}  // namespace saliency::explain
