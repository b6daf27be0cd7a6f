#include "metrics/MultiRaterAgreement.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "common/Error.h"

namespace saliency::metrics {
namespace {

constexpr int kResamples = 2000;

std::size_t categoriesOf(const CategoryCounts& counts) {
    const std::size_t k = counts.empty() ? 0 : counts.front().size();
    for (const auto& unit : counts) {
        if (unit.size() != k)
            throw Error("agreement: every unit needs a count for each of the " + std::to_string(k) +
                        " categories");
    }
    return k;
}

std::size_t total(const std::vector<std::size_t>& unit) {
    std::size_t sum = 0;
    for (const std::size_t n : unit)
        sum += n;
    return sum;
}

std::optional<double> fleissValue(const CategoryCounts& counts, std::size_t raters) {
    const std::size_t k = counts.front().size();
    std::vector<double> share(k, 0.0);
    double agreement = 0;
    for (const auto& unit : counts) {
        double squares = 0;
        for (std::size_t c = 0; c < k; ++c) {
            squares += static_cast<double>(unit[c]) * static_cast<double>(unit[c]);
            share[c] += static_cast<double>(unit[c]);
        }
        const double m = static_cast<double>(raters);
        agreement += (squares - m) / (m * (m - 1));
    }
    const double units = static_cast<double>(counts.size());
    agreement /= units;
    double chance = 0;
    for (const double s : share) {
        const double p = s / (units * static_cast<double>(raters));
        chance += p * p;
    }
    if (chance >= 1.0 - 1e-12)
        return std::nullopt;
    return (agreement - chance) / (1.0 - chance);
}

std::optional<double> alphaValue(const CategoryCounts& counts) {
    const std::size_t k = counts.front().size();
    std::vector<double> marginal(k, 0.0);  // n_c
    double disagreement = 0;               // sum_{c != k} o_ck
    for (const auto& unit : counts) {
        const double m = static_cast<double>(total(unit));
        for (std::size_t c = 0; c < k; ++c) {
            const double nc = static_cast<double>(unit[c]);
            marginal[c] += nc;  // sum_k o_ck over the unit = n_uc (m_u - 1) / (m_u - 1)
            disagreement += nc * (m - nc) / (m - 1);
        }
    }
    double n = 0, squares = 0;
    for (const double nc : marginal) {
        n += nc;
        squares += nc * nc;
    }
    const double expected = n * n - squares;  // sum_{c != k} n_c n_k
    if (expected <= 0)
        return std::nullopt;
    return 1.0 - (n - 1) * disagreement / expected;
}

// The value on the units and a percentile interval from resampling them.
std::optional<AgreementEstimate> withInterval(
    const CategoryCounts& units, double confidence, std::uint64_t seed,
    const std::function<std::optional<double>(const CategoryCounts&)>& f) {
    if (!(confidence > 0 && confidence < 1))
        throw Error("agreement: the confidence level must be between 0 and 1");
    if (units.size() < 2)
        return std::nullopt;
    const auto value = f(units);
    if (!value)
        return std::nullopt;
    AgreementEstimate estimate{.units = units.size(), .value = *value};
    for (const auto& unit : units)
        estimate.values += total(unit);
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<std::size_t> pick(0, units.size() - 1);
    std::vector<double> resampled;
    resampled.reserve(kResamples);
    CategoryCounts sample(units.size());
    for (int r = 0; r < kResamples; ++r) {
        for (auto& unit : sample)
            unit = units[pick(random)];
        if (const auto v = f(sample))  // a resample with one category only has no value
            resampled.push_back(*v);
    }
    if (resampled.empty()) {
        estimate.low = estimate.high = *value;
        return estimate;
    }
    std::sort(resampled.begin(), resampled.end());
    const auto at = [&](double q) {
        const double position = q * static_cast<double>(resampled.size() - 1);
        const auto below = static_cast<std::size_t>(std::floor(position));
        const auto above = std::min(below + 1, resampled.size() - 1);
        return resampled[below] +
               (position - static_cast<double>(below)) * (resampled[above] - resampled[below]);
    };
    estimate.low = std::max(-1.0, at((1 - confidence) / 2));
    estimate.high = std::min(1.0, at((1 + confidence) / 2));
    return estimate;
}

}  // namespace

std::optional<AgreementEstimate> fleissKappa(const CategoryCounts& counts, double confidence,
                                             std::uint64_t seed) {
    categoriesOf(counts);
    if (counts.empty())
        return std::nullopt;
    const std::size_t raters = total(counts.front());
    for (const auto& unit : counts) {
        if (total(unit) != raters || raters < 2)
            throw Error("Fleiss' kappa needs every unit rated by the same number (two or more) of raters");
    }
    return withInterval(counts, confidence, seed,
                        [raters](const CategoryCounts& c) { return fleissValue(c, raters); });
}

std::optional<AgreementEstimate> krippendorffAlphaNominal(const CategoryCounts& counts, double confidence,
                                                          std::uint64_t seed) {
    categoriesOf(counts);
    CategoryCounts pairable;
    for (const auto& unit : counts) {
        if (total(unit) >= 2)
            pairable.push_back(unit);
    }
    return withInterval(pairable, confidence, seed, alphaValue);
}

}  // namespace saliency::metrics
