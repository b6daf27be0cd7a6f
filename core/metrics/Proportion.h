#pragma once
// A proportion with its confidence interval: "47 of 50 maps judged correct" is only comparable
// between networks with its uncertainty. The Wilson score interval (Wilson 1927) stays inside
// [0,1] and keeps a sensible width at 0/n and n/n, where the textbook Wald interval collapses to
// a point; it is what R's prop.test (without continuity correction) and statsmodels'
// proportion_confint(method="wilson") report.
#include <cstddef>
#include <optional>

namespace saliency::metrics {

struct ProportionInterval {
    std::size_t successes = 0;
    std::size_t trials = 0;
    double estimate = 0;  // successes / trials
    double low = 0;       // the interval's bounds, 0 <= low <= estimate <= high <= 1
    double high = 0;
};

// Undefined (std::nullopt) for 0 trials. Throws Error when successes > trials or the confidence
// level is not in (0,1).
std::optional<ProportionInterval> wilsonInterval(std::size_t successes, std::size_t trials,
                                                 double confidence = 0.95);

// The standard normal quantile z with P(Z <= z) = p, for p in (0,1) (1.959964 for 0.975).
// Throws Error outside (0,1).
double normalQuantile(double p);

}  // namespace saliency::metrics
