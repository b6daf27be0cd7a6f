#pragma once
// Summary statistics over per-image values that may be undefined (an IoU of two empty regions, a
// centre of a zero map): undefined values are left out of the statistics and counted apart.
#include <cstddef>
#include <optional>
#include <vector>

namespace saliency::metrics {

struct Summary {
    std::size_t n = 0;             // defined values used
    std::size_t nUndefined = 0;    // undefined values left out
    std::optional<double> mean;    // n >= 1
    std::optional<double> stdDev;  // sample standard deviation (n - 1 in the denominator); n >= 2
    std::optional<double> min;     // n >= 1
    std::optional<double> max;     // n >= 1
};

// Running summary (Welford's update, stable for long studies).
class SummaryAccumulator {
  public:
    void add(std::optional<double> value);  // std::nullopt counts as undefined; throws Error on NaN/inf
    Summary summary() const;

  private:
    std::size_t n_ = 0, undefined_ = 0;
    double mean_ = 0.0, m2_ = 0.0, min_ = 0.0, max_ = 0.0;
};

Summary summarise(const std::vector<std::optional<double>>& values);
Summary summarise(const std::vector<double>& values);  // all defined; throws Error on NaN/inf

}  // namespace saliency::metrics
