#include "saliency/SanityTable.h"

#include <cmath>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/Csv.h"

namespace saliency::explain {

namespace {

std::vector<double> means(const std::vector<std::vector<double>>& perStage) {
    std::vector<double> out;
    for (const auto& images : perStage)
        out.push_back(meanDefined(images));
    return out;
}

// NaN as an empty CSV cell (undefined), numbers with 6 significant digits.
std::string number(double v) {
    if (std::isnan(v))
        return "";
    std::ostringstream out;
    out.precision(6);
    out << v;
    return out.str();
}

nlohmann::json jsonNumber(double v) {
    return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
}

nlohmann::json jsonNumbers(const std::vector<double>& v) {
    auto out = nlohmann::json::array();
    for (const double x : v)
        out.push_back(jsonNumber(x));
    return out;
}

}  // namespace

std::vector<double> SanitySeries::meanSpearman() const {
    return means(spearman);
}

std::vector<double> SanitySeries::meanSsim() const {
    return means(ssim);
}

SanityVerdict SanitySeries::verdict(double threshold) const {
    return sanityVerdict(meanSsim(), threshold);
}

const SanitySeries* SanityTable::find(Method method) const {
    for (const auto& m : methods)
        if (m.method == method)
            return &m;
    return nullptr;
}

std::string sanityStagesCsv(const SanityTable& table) {
    std::ostringstream out;
    out << "stage_index,stage,method,images,mean_spearman,mean_ssim\n";
    for (std::size_t s = 0; s < table.stages.size(); ++s)
        for (const auto& m : table.methods) {
            out << s + 1 << ',' << csvField(table.stages[s]) << ',' << methodName(m.method) << ','
                << m.ssim[s].size() << ',' << number(m.meanSpearman()[s]) << ',' << number(m.meanSsim()[s])
                << '\n';
        }
    return out.str();
}

std::string sanityVerdictsCsv(const SanityTable& table, double threshold) {
    std::ostringstream out;
    out << "method,verdict,judged_ssim,threshold,rule\n";
    for (const auto& m : table.methods) {
        const auto v = m.verdict(threshold);
        out << methodName(m.method) << ',' << sanityVerdictName(v) << ','
            << (v.defined ? number(v.meanSsim) : "") << ',' << number(threshold) << ','
            << csvField(sanityRule(threshold)) << '\n';
    }
    return out.str();
}

nlohmann::json sanityJson(const SanityTable& table, double threshold) {
    nlohmann::json methods = nlohmann::json::object();
    for (const auto& m : table.methods) {
        const auto v = m.verdict(threshold);
        auto spearman = nlohmann::json::array(), ssim = nlohmann::json::array();
        for (std::size_t s = 0; s < table.stages.size(); ++s) {
            spearman.push_back(jsonNumbers(m.spearman[s]));
            ssim.push_back(jsonNumbers(m.ssim[s]));
        }
        methods[methodName(m.method)] = {
            {"title", methodTitle(m.method)},
            {"verdict", sanityVerdictName(v)},
            {"judged_ssim", v.defined ? jsonNumber(v.meanSsim) : nlohmann::json(nullptr)},
            {"mean_spearman", jsonNumbers(m.meanSpearman())},
            {"mean_ssim", jsonNumbers(m.meanSsim())},
            {"spearman", spearman},
            {"ssim", ssim},
        };
    }
    return {{"mode", table.cascading ? "cascading" : "independent"},
            {"rule", sanityRule(threshold)},
            {"threshold", threshold},
            {"stages", table.stages},
            {"methods", methods}};
}

}  // namespace saliency::explain
