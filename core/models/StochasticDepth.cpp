#include "models/StochasticDepth.h"

#include <ostream>
#include <vector>

#include "common/Error.h"

namespace saliency::models {

StochasticDepthImpl::StochasticDepthImpl(double p) : p_(p) {
    if (p < 0.0 || p > 1.0)
        throw Error("stochastic depth: drop probability must lie in [0, 1], got " + std::to_string(p));
}

at::Tensor StochasticDepthImpl::forward(const at::Tensor& input) {
    if (!is_training() || p_ == 0.0)
        return input;
    const double survival = 1.0 - p_;
    std::vector<std::int64_t> size(static_cast<std::size_t>(input.dim()), 1);
    size[0] = input.size(0);
    auto noise = at::empty(size, input.options()).bernoulli_(survival);
    if (survival > 0.0)
        noise.div_(survival);
    return input * noise;
}

void StochasticDepthImpl::pretty_print(std::ostream& stream) const {
    stream << "saliency::models::StochasticDepth(p=" << p_ << ", mode=row)";
}

}  // namespace saliency::models
