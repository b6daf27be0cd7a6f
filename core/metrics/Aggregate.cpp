#include "metrics/Aggregate.h"

#include <algorithm>
#include <cmath>

#include "common/Error.h"

namespace saliency::metrics {

void SummaryAccumulator::add(std::optional<double> value) {
    if (!value) {
        ++undefined_;
        return;
    }
    const double v = *value;
    if (!std::isfinite(v))
        throw Error("summary: a value is not finite (pass std::nullopt for an undefined value)");
    ++n_;
    if (n_ == 1) {
        min_ = max_ = v;
    } else {
        min_ = std::min(min_, v);
        max_ = std::max(max_, v);
    }
    const double delta = v - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (v - mean_);
}

Summary SummaryAccumulator::summary() const {
    Summary s;
    s.n = n_;
    s.nUndefined = undefined_;
    if (n_ >= 1) {
        s.mean = mean_;
        s.min = min_;
        s.max = max_;
    }
    if (n_ >= 2)
        s.stdDev = std::sqrt(std::max(0.0, m2_ / static_cast<double>(n_ - 1)));
    return s;
}

Summary summarise(const std::vector<std::optional<double>>& values) {
    SummaryAccumulator acc;
    for (const auto& v : values)
        acc.add(v);
    return acc.summary();
}

Summary summarise(const std::vector<double>& values) {
    SummaryAccumulator acc;
    for (double v : values)
        acc.add(v);
    return acc.summary();
}

}  // namespace saliency::metrics
