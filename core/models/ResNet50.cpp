#include "models/ResNet50.h"

#include "common/Error.h"
#include "models/ConvNormActivation.h"

namespace saliency::models {

namespace {

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                       std::int64_t padding) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

}  // namespace

BottleneckImpl::BottleneckImpl(std::int64_t inplanes, std::int64_t planes, std::int64_t stride) {
    conv1 = register_module("conv1", conv(inplanes, planes, 1, 1, 0));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", conv(planes, planes, 3, stride, 1));
    bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
    conv3 = register_module("conv3", conv(planes, planes * kExpansion, 1, 1, 0));
    bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * kExpansion));
    relu = register_module("relu", GuidedActivation(ActivationKind::ReLU));
    if (stride != 1 || inplanes != planes * kExpansion) {
        downsample = register_module("downsample",
                                     torch::nn::Sequential(conv(inplanes, planes * kExpansion, 1, stride, 0),
                                                           torch::nn::BatchNorm2d(planes * kExpansion)));
    }
}

at::Tensor BottleneckImpl::forward(const at::Tensor& x) {
    auto out = relu(bn1(conv1(x)));
    out = relu(bn2(conv2(out)));
    out = bn3(conv3(out));
    const auto identity = downsample ? downsample->forward(x) : x;
    return relu(out + identity);
}

ResNet50Impl::ResNet50Impl(const ResNet50Options& opts) : options(opts) {
    if (options.num_classes() < 1)
        throw Error("resnet50: the number of classes must be positive");
    conv1 = register_module("conv1", conv(3, 64, 7, 2, 3));
    bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
    relu = register_module("relu", GuidedActivation(ActivationKind::ReLU));
    maxpool =
        register_module("maxpool", torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(3).stride(2).padding(1)));

    std::int64_t inplanes = 64;
    auto makeLayer = [&inplanes](std::int64_t planes, int blocks, std::int64_t stride) {
        torch::nn::Sequential layer;
        layer->push_back(Bottleneck(inplanes, planes, stride));
        inplanes = planes * BottleneckImpl::kExpansion;
        for (int i = 1; i < blocks; ++i)
            layer->push_back(Bottleneck(inplanes, planes, 1));
        return layer;
    };
    layer1 = register_module("layer1", makeLayer(64, 3, 1));
    layer2 = register_module("layer2", makeLayer(128, 4, 2));
    layer3 = register_module("layer3", makeLayer(256, 6, 2));
    layer4 = register_module("layer4", makeLayer(512, 3, 2));
    dropout = register_module("dropout", torch::nn::Dropout(torch::nn::DropoutOptions(options.dropout())));
    fc = register_module("fc", torch::nn::Linear(inplanes, options.num_classes()));
    initConvAndNorm(*this);
}

std::vector<std::string> ResNet50Impl::targetLayers() const {
    return {"layer1", "layer2", "layer3", "layer4"};
}

at::Tensor ResNet50Impl::forwardImpl(const at::Tensor& input, const std::string& targetLayer,
                                     at::Tensor& map) {
    auto x = maxpool(relu(bn1(conv1(input))));
    torch::nn::Sequential* layers[] = {&layer1, &layer2, &layer3, &layer4};
    for (int i = 0; i < 4; ++i) {
        x = (*layers[i])->forward(x);
        if (targetLayer == "layer" + std::to_string(i + 1))
            map = x;
    }
    return fc(dropout(x.mean({2, 3})));
}

}  // namespace saliency::models
