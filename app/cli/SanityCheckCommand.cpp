// saliency-cli sanity-check: the model-randomisation test of Adebayo et al. 2018 for a user
// (docs/cli.md, docs/saliency.md): the strip of maps as the blocks are randomised, the Spearman and
// SSIM per stage and method, and a verdict per method with its rule; and the random-logit test of
// Sixt et al. 2020 beside it (random_logit.csv, sanity.json's "random_logit").
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "cli/ImageArguments.h"
#include "cli/ModelArguments.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/Progress.h"
#include "io/ScanReader.h"
#include "models/Inference.h"
#include "models/TorchThreads.h"
#include "saliency/SanityCheck.h"
#include "saliency/SanityStrip.h"
#include "saliency/SanityVerdict.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

// The seed's four methods: the ones Adebayo et al. compare (the extras are slower and optional).
constexpr const char* kDefaultMethods = "cam,gradcam,guided-backprop,guided-gradcam";

void writePng(const fs::path& file, const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(file.string(), bgr))
        throw FileError(file, "cannot write the PNG");
}

// The random-logit test over every batch: per method, the images' Spearman and SSIM between the
// maps of the explained class and of another class.
struct RandomLogitSummary {
    explain::Method method;
    std::vector<double> spearman, ssim;
};

void addRandomLogit(std::vector<RandomLogitSummary>& summary, const explain::RandomLogitResult& batch) {
    for (const auto& m : batch.methods) {
        auto it = std::find_if(summary.begin(), summary.end(), [&](const auto& s) { return s.method == m.method; });
        if (it == summary.end())
            it = summary.insert(summary.end(), {m.method, {}, {}});
        it->spearman.insert(it->spearman.end(), m.spearman.begin(), m.spearman.end());
        it->ssim.insert(it->ssim.end(), m.ssim.begin(), m.ssim.end());
    }
}

nlohmann::json writeRandomLogit(const std::vector<RandomLogitSummary>& summary, double threshold,
                                const fs::path& file) {
    std::ostringstream csv;
    csv << "method,images,mean_spearman,mean_ssim,verdict\n";
    nlohmann::json methods = nlohmann::json::array();
    for (const auto& s : summary) {
        const double spearman = explain::meanDefined(s.spearman);
        const auto judged = explain::randomLogitVerdict(s.ssim, threshold);
        const double ssim = judged.defined ? judged.meanSsim : std::numeric_limits<double>::quiet_NaN();
        const std::string verdict = explain::sanityVerdictName(judged);
        csv << explain::methodName(s.method) << "," << s.ssim.size() << "," << spearman << "," << ssim << ","
            << verdict << "\n";
        methods.push_back({{"method", explain::methodName(s.method)},
                           {"images", s.ssim.size()},
                           {"mean_spearman", std::isnan(spearman) ? nlohmann::json(nullptr) : nlohmann::json(spearman)},
                           {"mean_ssim", std::isnan(ssim) ? nlohmann::json(nullptr) : nlohmann::json(ssim)},
                           {"verdict", verdict}});
    }
    writeFileAtomically(file, csv.str());
    return {{"rule", "a method " + explain::randomLogitRule(threshold)}, {"methods", methods}};
}

}  // namespace

int runSanityCheck(const std::vector<std::string>& args) {
    Arguments a(args, {"cascading", "independent"});
    const fs::path out = a.required("out");
    const std::vector<fs::path> images = chooseImages(a);
    const bool independent = a.flag("independent");
    if (independent && a.flag("cascading"))
        throw UsageError("--cascading and --independent exclude each other");
    explain::SanityCheckOptions options;
    options.cascading = !independent;
    try {
        options.explain.methods = explain::parseMethods(a.value("methods").value_or(kDefaultMethods));
    } catch (const Error& e) {
        throw UsageError(std::string("--methods: ") + e.what());
    }
    options.seed = a.unsignedInteger("seed", 0);
    const double threshold = a.real("threshold", explain::kDefaultSanityThreshold, 0.0, 1.0);
    const int batch = a.integer("batch", 8, 1, 4096);
    models::configureTorchThreads();
    LoadedModel loaded = loadModelFromArguments(a);
    a.rejectUnused();
    options.explain.layer = loaded.card.targetLayer;

    ConsoleProgress progress(std::cerr, stderrIsTerminal());
    ProgressScope scope(progress, "Randomising", static_cast<std::int64_t>(images.size()));
    std::vector<explain::SanityCheckResult> batches;
    std::vector<RandomLogitSummary> randomLogit;
    cv::Mat firstSeen;
    for (std::size_t start = 0; start < images.size(); start += static_cast<std::size_t>(batch)) {
        const std::size_t end = std::min(images.size(), start + static_cast<std::size_t>(batch));
        std::vector<cv::Mat> rgb;
        for (std::size_t i = start; i < end; ++i)
            rgb.push_back(readScan(images[i]).rgb);
        if (firstSeen.empty())
            firstSeen = rgb.front();
        const at::Tensor input = models::inputTensor(rgb, loaded.card);
        batches.push_back(explain::modelRandomisationCheck(*loaded.model, input, options));
        addRandomLogit(randomLogit, explain::randomLogitCheck(*loaded.model, input, options));
        scope.update(static_cast<std::int64_t>(end), images[end - 1].filename().string());
    }
    if (batches.front().stages.empty() || batches.front().stages.front().methods.empty())
        throw Error("none of the methods asked for is available on this model at layer " +
                    loaded.card.targetLayer);

    const auto table = explain::sanityTable(batches, options.cascading);
    fs::create_directories(out);
    writePng(out / "strip.png", explain::sanityStrip(firstSeen, explain::sanityStripColumns(batches.front()),
                                                     explain::sanityStripRows(batches.front())));
    writeFileAtomically(out / "sanity.csv", explain::sanityStagesCsv(table));
    writeFileAtomically(out / "verdicts.csv", explain::sanityVerdictsCsv(table, threshold));
    auto doc = explain::sanityJson(table, threshold);
    doc["model"] = loaded.source;
    doc["architecture"] = loaded.card.architecture;
    doc["layer"] = loaded.card.targetLayer;
    doc["seed"] = options.seed;
    std::vector<std::string> names;
    for (const auto& image : images)
        names.push_back(image.string());
    doc["images"] = names;
    doc["strip_image"] = images.front().string();
    doc["random_logit"] = writeRandomLogit(randomLogit, threshold, out / "random_logit.csv");
    writeFileAtomically(out / "sanity.json", doc.dump(2) + "\n");

    std::cout << "sanity check (" << (options.cascading ? "cascading" : "independent") << ", "
              << images.size() << " image" << (images.size() == 1 ? "" : "s") << ", " << table.stages.size()
              << " stages) -> " << out.string() << "\n";
    for (const auto& m : table.methods) {
        const auto v = m.verdict(threshold);
        std::cout << "  " << explain::methodTitle(m.method) << ": " << explain::sanityVerdictName(v);
        if (v.defined)
            std::cout << " (mean SSIM over the first two stages " << std::fixed << std::setprecision(2)
                      << v.meanSsim << ")" << std::defaultfloat;
        std::cout << "\n";
    }
    std::cout << "rule: a method " << explain::sanityRule(threshold) << "\n";
    std::cout << "random-logit test (Sixt et al. 2020): the maps for another class than the explained one\n";
    for (const auto& m : doc["random_logit"]["methods"]) {
        std::cout << "  " << explain::methodTitle(*explain::parseMethod(m["method"].get<std::string>())) << ": "
                  << m["verdict"].get<std::string>();
        if (!m["mean_ssim"].is_null())
            std::cout << " (mean SSIM " << std::fixed << std::setprecision(2) << m["mean_ssim"].get<double>()
                      << ")" << std::defaultfloat;
        std::cout << "\n";
    }
    std::cout << "rule: " << doc["random_logit"]["rule"].get<std::string>() << "\n";
    return 0;
}

}  // namespace saliency::cli
