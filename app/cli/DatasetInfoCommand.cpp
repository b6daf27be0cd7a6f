#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "data/DatasetSummary.h"

namespace saliency::cli {

namespace {

nlohmann::json toJson(const Dataset& dataset, const DatasetSummary& s) {
    using nlohmann::json;
    json classes = json::array();
    for (const auto& c : s.classes) {
        classes.push_back({{"name", c.name},
                           {"images", c.images},
                           {"with_mask", c.withMask},
                           {"mean_mask_area", c.meanMaskArea}});
    }
    json formats = json::object();
    for (const auto& [name, n] : s.formats)
        formats[name] = n;
    json channels = json::object();
    for (const auto& [k, n] : s.channels)
        channels[std::to_string(k)] = n;
    json bits = json::object();
    for (const auto& [k, n] : s.bits)
        bits[std::to_string(k)] = n;
    json skipped = json::array();
    for (const auto& f : s.skipped)
        skipped.push_back({{"file", f.relativePath.generic_string()}, {"reason", f.reason}});
    auto range = [](const SizeRange& r) {
        return json{{"min", r.min}, {"median", r.median}, {"max", r.max}};
    };
    return {{"root", dataset.root.string()},
            {"usable", s.usable()},
            {"images", s.images},
            {"classes", classes},
            {"width", range(s.width)},
            {"height", range(s.height)},
            {"formats", formats},
            {"channels", channels},
            {"bits", bits},
            {"skipped", skipped},
            {"problems", s.problems},
            {"warnings", s.warnings},
            {"fingerprint", s.fingerprint}};
}

void printText(std::ostream& out, const Dataset& dataset, const DatasetSummary& s) {
    out << "data set   " << dataset.root.string() << "\n";
    out << "images     " << s.images << " in " << s.classes.size() << " classes (fingerprint "
        << s.fingerprint << ")\n";
    for (const auto& c : s.classes) {
        const double share = s.images > 0 ? 100.0 * c.images / s.images : 0.0;
        out << "  " << std::left << std::setw(20) << c.name << std::right << std::setw(6) << c.images << "  ("
            << std::fixed << std::setprecision(1) << share << "%)";
        if (c.withMask > 0) {
            out << "  masks: " << c.withMask << ", mean area " << std::setprecision(1)
                << 100.0 * c.meanMaskArea << "%";
        }
        out << "\n";
    }
    out << "width      " << s.width.min << " .. " << s.width.max << " px (median " << s.width.median << ")\n";
    out << "height     " << s.height.min << " .. " << s.height.max << " px (median " << s.height.median
        << ")\n";
    out << "formats   ";
    for (const auto& [name, n] : s.formats)
        out << " " << name << ": " << n;
    out << "\nchannels  ";
    for (const auto& [k, n] : s.channels)
        out << " " << k << ": " << n;
    out << "\nbits      ";
    for (const auto& [k, n] : s.bits)
        out << " " << k << ": " << n;
    out << "\n";
    for (const auto& w : s.warnings)
        out << "warning: " << w << "\n";
    if (!s.skipped.empty()) {
        out << "skipped " << s.skipped.size() << " file(s):\n";
        for (const auto& f : s.skipped)
            out << "  " << f.relativePath.generic_string() << ": " << f.reason << "\n";
    }
}

}  // namespace

int runDatasetInfo(const std::vector<std::string>& args) {
    Arguments a(args, {"json"});
    const std::filesystem::path data = a.required("data");
    const bool json = a.flag("json");
    a.rejectUnused();

    ConsoleProgress progress(std::cerr, stderrIsTerminal() && !json);
    NullProgress quiet;
    const Dataset dataset = scanDataset(data, {}, json ? static_cast<Progress*>(&quiet) : &progress);
    const DatasetSummary summary = summarise(dataset);
    if (json) {
        std::cout << toJson(dataset, summary).dump(2) << "\n";
    } else {
        printText(std::cout, dataset, summary);
    }
    if (!summary.usable()) {
        std::cerr << "saliency-cli dataset-info: error: " << data.string()
                  << " is not usable: " << summary.problems.front() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace saliency::cli
