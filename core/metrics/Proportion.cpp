#include "metrics/Proportion.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/Error.h"

namespace saliency::metrics {

namespace {

double normalCdf(double z) {
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

}  // namespace

double normalQuantile(double p) {
    if (!(p > 0.0 && p < 1.0))
        throw Error("normal quantile: the probability must lie strictly between 0 and 1");
    // Bisection on the CDF: slower than a rational approximation, but exact to the last bit of a
    // double and obviously right; it runs once per chart, not per pixel.
    double low = -40.0, high = 40.0;
    for (int i = 0; i < 200 && high - low > 0.0; ++i) {
        const double mid = 0.5 * (low + high);
        if (mid == low || mid == high)
            break;
        (normalCdf(mid) < p ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

std::optional<ProportionInterval> wilsonInterval(std::size_t successes, std::size_t trials,
                                                 double confidence) {
    if (successes > trials) {
        throw Error("proportion: " + std::to_string(successes) + " successes out of " +
                    std::to_string(trials) + " trials");
    }
    if (!(confidence > 0.0 && confidence < 1.0))
        throw Error("proportion: the confidence level must lie strictly between 0 and 1");
    if (trials == 0)
        return std::nullopt;
    const double z = normalQuantile(0.5 + confidence / 2.0);
    const double n = static_cast<double>(trials);
    const double p = static_cast<double>(successes) / n;
    const double z2n = z * z / n;
    const double centre = (p + z2n / 2.0) / (1.0 + z2n);
    const double half = z / (1.0 + z2n) * std::sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));
    ProportionInterval out{successes, trials, p, centre - half, centre + half};
    // At 0/n and n/n one bound is exactly 0 or 1 analytically; rounding may leave 1e-17 off it.
    if (successes == 0)
        out.low = 0.0;
    if (successes == trials)
        out.high = 1.0;
    out.low = std::clamp(out.low, 0.0, p);
    out.high = std::clamp(out.high, p, 1.0);
    return out;
}

}  // namespace saliency::metrics
