#pragma once
// Agreement among several raters beyond chance, for reader studies where three or more radiologists
// mark the same maps (Cohen's kappa, CohenKappa.h, covers one pair):
//  - Fleiss' kappa (Fleiss 1971): every unit rated by the same number m >= 2 of raters, not
//    necessarily the same people. P_u = (sum_c n_uc^2 - m) / (m (m - 1)), P = mean P_u,
//    p_c = sum_u n_uc / (N m), P_e = sum_c p_c^2, kappa = (P - P_e) / (1 - P_e).
//  - Krippendorff's alpha, nominal (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
//    any number of raters per unit, missing judgements allowed; units with fewer than two values
//    carry no information and are left out. Coincidences o_ck = sum_u (pairs of values c,k in u) /
//    (m_u - 1), n_c = sum_k o_ck, alpha = 1 - (n - 1) sum_{c!=k} o_ck / sum_{c!=k} n_c n_k.
// Both intervals are bootstrap percentile intervals over units (the units resampled with
// replacement, 2,000 times, with a fixed seed so that a report is reproducible): unlike the
// large-sample variances published for kappa = 0, they hold whatever the true agreement.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace saliency::metrics {

// counts[u][c]: how many raters put unit u in category c (units x categories).
using CategoryCounts = std::vector<std::vector<std::size_t>>;

struct AgreementEstimate {
    std::size_t units = 0;   // units that entered the statistic
    std::size_t values = 0;  // judgements that entered it
    double value = 0;        // kappa or alpha
    double low = 0;          // bootstrap percentile interval at the confidence level
    double high = 0;
};

// Undefined (nullopt) with fewer than two units or when chance agreement is certain (every judgement
// in one category). Throws Error when the units are not all rated by the same number (>= 2) of
// raters, the rows differ in length, or the confidence is not in (0,1).
std::optional<AgreementEstimate> fleissKappa(const CategoryCounts& counts, double confidence = 0.95,
                                             std::uint64_t seed = 1);

// Units with fewer than two judgements are skipped. Undefined (nullopt) when fewer than two units
// remain or every judgement is in one category.
std::optional<AgreementEstimate> krippendorffAlphaNominal(const CategoryCounts& counts,
                                                          double confidence = 0.95, std::uint64_t seed = 1);

}  // namespace saliency::metrics
