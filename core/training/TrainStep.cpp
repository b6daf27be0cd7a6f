#include "training/TrainStep.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/nn/modules/batchnorm.h>

#include "models/StochasticDepth.h"

namespace saliency {

StepResult trainStep(models::ClassifierImpl& model, torch::optim::Optimizer& optimiser,
                     const at::Tensor& images, const at::Tensor& labels) {
    optimiser.zero_grad();
    const at::Tensor logits = model.logits(images);
    const at::Tensor loss = at::cross_entropy_loss(logits, labels);
    loss.backward();
    optimiser.step();
    StepResult r;
    r.loss = loss.item<double>();
    r.correct = logits.detach().argmax(1).eq(labels).sum().item<std::int64_t>();
    r.images = images.size(0);
    return r;
}

void setTrainingMode(models::ClassifierImpl& model, bool frozenBackbone) {
    model.train(true);
    if (!frozenBackbone)
        return;
    for (const auto& module : model.modules(/*include_self=*/false)) {
        if (dynamic_cast<torch::nn::BatchNorm2dImpl*>(module.get()) ||
            dynamic_cast<torch::nn::BatchNorm1dImpl*>(module.get()) ||
            dynamic_cast<models::StochasticDepthImpl*>(module.get()))
            module->eval();
    }
}

void useChannelsLast(models::ClassifierImpl& model) {
    torch::NoGradGuard noGrad;
    for (auto& p : model.parameters())
        // clone, not contiguous(): a 1x1 kernel (O,I,1,1) already counts as channels-last
        // contiguous and would keep NCHW strides; explicit NHWC strides are what Python's
        // module.to(memory_format=torch.channels_last) gives, and what the kernels then choose by.
        if (p.dim() == 4)
            p.set_data(p.clone(at::MemoryFormat::ChannelsLast));
}

at::Tensor toChannelsLast(const at::Tensor& images) {
    return images.dim() == 4 ? images.contiguous(at::MemoryFormat::ChannelsLast) : images;
}

}  // namespace saliency
