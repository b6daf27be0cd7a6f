#pragma once
// Agreement between two raters beyond chance (Cohen 1960): two radiologists who mark the same maps
// correct / incorrect / unsure agree on 90% of them by chance alone when 95% of all maps are
// correct, so the share of agreement by itself says little. Unweighted kappa over k categories:
//   p_o = sum_i p_ii, p_e = sum_i p_i. p_.i, kappa = (p_o - p_e) / (1 - p_e).
// Its standard error is the large-sample one of Fleiss, Cohen & Everitt (1969), valid whatever the
// true kappa (not only under kappa = 0; it equals the delta method's variance of the multinomial
// cell proportions), as in Fleiss, Levin & Paik's textbook and statsmodels' cohens_kappa (std_kappa).
// The interval is kappa +- z SE, clipped to kappa's range [-1, 1].
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace saliency::metrics {

// table[i][j]: the items the first rater put in category i and the second in category j (k x k).
using AgreementTable = std::vector<std::vector<std::size_t>>;

struct KappaEstimate {
    std::size_t n = 0;         // items rated by both
    std::size_t agreed = 0;    // items in the same category (the table's diagonal)
    double observed = 0;       // p_o = agreed / n
    double expected = 0;       // p_e: the agreement expected by chance from the two raters' marginals
    double kappa = 0;          // (p_o - p_e) / (1 - p_e), in [-1, 1]
    double standardError = 0;  // Fleiss, Cohen & Everitt (1969)
    double low = 0;            // kappa -+ z standardError at the confidence level, within [-1, 1]
    double high = 0;
};

// Undefined (std::nullopt) for n = 0 and when chance agreement is certain (p_e = 1: both raters put
// every item in one and the same category). Throws Error when the table is not square or empty, or
// the confidence level is not in (0,1).
std::optional<KappaEstimate> cohenKappa(const AgreementTable& table, double confidence = 0.95);

// The table of paired ratings (first, second), categories numbered 0 .. categories - 1. Throws Error
// for a rating outside that range.
AgreementTable agreementTable(const std::vector<std::pair<std::size_t, std::size_t>>& ratings,
                              std::size_t categories);

}  // namespace saliency::metrics
