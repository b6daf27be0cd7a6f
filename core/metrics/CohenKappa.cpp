#include "metrics/CohenKappa.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/Error.h"
#include "metrics/Proportion.h"

namespace saliency::metrics {

namespace {

void requireSquare(const AgreementTable& table) {
    if (table.empty())
        throw Error("Cohen's kappa: the agreement table has no categories");
    for (const auto& row : table) {
        if (row.size() != table.size()) {
            throw Error("Cohen's kappa: the agreement table is not square (" + std::to_string(table.size()) +
                        " rows, a row of " + std::to_string(row.size()) + ")");
        }
    }
}

// Row and column sums as proportions of n: the two raters' marginal distributions.
struct Marginals {
    std::vector<double> first;   // p_i.
    std::vector<double> second;  // p_.j
};

Marginals marginals(const AgreementTable& table, double n) {
    const std::size_t k = table.size();
    Marginals m{std::vector<double>(k, 0.0), std::vector<double>(k, 0.0)};
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = 0; j < k; ++j) {
            const double p = static_cast<double>(table[i][j]) / n;
            m.first[i] += p;
            m.second[j] += p;
        }
    }
    return m;
}

// Whether chance agreement is certain, decided on the integer counts (no rounding): both raters
// used one category, the same, for every item.
bool chanceAgreementIsCertain(const AgreementTable& table, std::size_t n) {
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i][i] == n)
            return true;
    }
    return false;
}

// Fleiss, Cohen & Everitt (1969): the large-sample variance of kappa-hat,
//   [ sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2 + (1 - k)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
//     - (k - p_e (1 - k))^2 ] / (n (1 - p_e)^2).
double fleissCohenEverittVariance(const AgreementTable& table, const Marginals& m, double n, double kappa,
                                  double expected) {
    const std::size_t k = table.size();
    double diagonal = 0.0, offDiagonal = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = 0; j < k; ++j) {
            const double p = static_cast<double>(table[i][j]) / n;
            if (i == j) {
                const double term = 1.0 - (m.first[i] + m.second[i]) * (1.0 - kappa);
                diagonal += p * term * term;
            } else {
                const double weight = m.second[i] + m.first[j];
                offDiagonal += p * weight * weight;
            }
        }
    }
    const double last = kappa - expected * (1.0 - kappa);
    const double numerator = diagonal + (1.0 - kappa) * (1.0 - kappa) * offDiagonal - last * last;
    // Exactly 0 at perfect agreement; rounding may leave it a hair below.
    return std::max(0.0, numerator) / (n * (1.0 - expected) * (1.0 - expected));
}

}  // namespace

std::optional<KappaEstimate> cohenKappa(const AgreementTable& table, double confidence) {
    requireSquare(table);
    if (!(confidence > 0.0 && confidence < 1.0))
        throw Error("Cohen's kappa: the confidence level must lie strictly between 0 and 1");
    KappaEstimate out;
    for (std::size_t i = 0; i < table.size(); ++i) {
        out.agreed += table[i][i];
        for (const std::size_t count : table[i])
            out.n += count;
    }
    if (out.n == 0 || chanceAgreementIsCertain(table, out.n))
        return std::nullopt;
    const double n = static_cast<double>(out.n);
    const Marginals m = marginals(table, n);
    out.observed = static_cast<double>(out.agreed) / n;
    for (std::size_t i = 0; i < table.size(); ++i)
        out.expected += m.first[i] * m.second[i];
    out.kappa = (out.observed - out.expected) / (1.0 - out.expected);
    out.standardError = std::sqrt(fleissCohenEverittVariance(table, m, n, out.kappa, out.expected));
    const double z = normalQuantile(0.5 + confidence / 2.0);
    out.low = std::clamp(out.kappa - z * out.standardError, -1.0, 1.0);
    out.high = std::clamp(out.kappa + z * out.standardError, -1.0, 1.0);
    return out;
}

AgreementTable agreementTable(const std::vector<std::pair<std::size_t, std::size_t>>& ratings,
                              std::size_t categories) {
    AgreementTable table(categories, std::vector<std::size_t>(categories, 0));
    for (const auto& [first, second] : ratings) {
        if (first >= categories || second >= categories) {
            throw Error("Cohen's kappa: a rating (" + std::to_string(first) + ", " + std::to_string(second) +
                        ") outside the " + std::to_string(categories) + " categories");
        }
        ++table[first][second];
    }
    return table;
}

}  // namespace saliency::metrics
