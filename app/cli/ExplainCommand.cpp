#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "cli/ImageArguments.h"
#include "cli/ModelArguments.h"
#include "common/Error.h"
#include "common/Progress.h"
#include "io/ScanReader.h"
#include "models/TorchThreads.h"
#include "saliency/Explainer.h"
#include "saliency/GuidedDisplay.h"
#include "saliency/Overlay.h"
#include "saliency/SharedScale.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

// NumPy's .npy format, version 1.0: little-endian float32, C order.
void writeNpy(const fs::path& file, const std::vector<int>& shape, const float* data) {
    std::string dims;
    size_t count = 1;
    for (const int d : shape) {
        dims += std::to_string(d) + ", ";
        count *= static_cast<size_t>(d);
    }
    if (shape.size() > 1)
        dims.resize(dims.size() - 2);  // "(3, 4)"; a 1-D shape keeps "(4,)"
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    const size_t unpadded = 10 + header.size() + 1;
    header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
    std::ofstream out(file, std::ios::binary);
    if (!out)
        throw FileError(file, "cannot open for writing");
    out.write("\x93NUMPY\x01\x00", 8);
    const auto length = static_cast<std::uint16_t>(header.size());
    const char lengthBytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out.write(lengthBytes, 2);
    out << header;
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(float)));
    if (!out)
        throw FileError(file, "write error (disk full?)");
}

// (H,W) for single-channel maps, (3,H,W) for gradients (channels split, R G B).
void writeMapNpy(const fs::path& file, const cv::Mat& map) {
    if (map.channels() == 1) {
        const cv::Mat contiguous = map.isContinuous() ? map : map.clone();
        writeNpy(file, {map.rows, map.cols}, contiguous.ptr<float>());
        return;
    }
    std::vector<cv::Mat> planes;
    cv::split(map, planes);
    std::vector<float> chw;
    chw.reserve(map.total() * 3);
    for (const auto& plane : planes)
        chw.insert(chw.end(), plane.begin<float>(), plane.end<float>());
    writeNpy(file, {3, map.rows, map.cols}, chw.data());
}

void writeRgbPng(const fs::path& file, const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(file.string(), bgr))
        throw FileError(file, "cannot write the PNG");
}

int parseClass(const std::string& text, const std::vector<std::string>& classes) {
    for (size_t i = 0; i < classes.size(); ++i) {
        if (classes[i] == text)
            return static_cast<int>(i);
    }
    try {
        size_t used = 0;
        const int index = std::stoi(text, &used);
        if (used == text.size() && index >= 0 && index < static_cast<int>(classes.size()))
            return index;
    } catch (const std::exception&) {
    }
    throw UsageError("--class must be a class name or index of this model (got '" + text + "')");
}

// "Brain Tumor/Cancer (3).jpg" -> "Cancer (3)"; numbered when two images share a stem.
std::string folderName(const fs::path& image, std::map<std::string, int>& used) {
    std::string stem = image.filename().string();
    for (const char* ext : {".nii.gz"}) {
        if (stem.size() > 7 && stem.ends_with(ext))
            stem.resize(stem.size() - 7);
    }
    if (stem == image.filename().string())
        stem = image.stem().string();
    const int n = used[stem]++;
    return n == 0 ? stem : stem + " (" + std::to_string(n + 1) + ")";
}

explain::SmoothGradBase parseSmoothGradBase(const std::string& text) {
    for (const auto base : {explain::SmoothGradBase::Gradient, explain::SmoothGradBase::GuidedBackprop,
                            explain::SmoothGradBase::IntegratedGradients})
        if (text == explain::smoothGradBaseName(base))
            return base;
    throw UsageError("--smoothgrad-base must be gradient, guided-backprop or integrated-gradients (got '" +
                     text + "')");
}

// Zero in the model's input space (Captum's default), or black: (0 - mean) / std per channel.
at::Tensor integratedGradientsBaseline(const std::string& name, const models::ModelCard& card) {
    if (name == "zero")
        return {};
    if (name != "black")
        throw UsageError("--ig-baseline must be zero or black (got '" + name + "')");
    auto black = at::empty({1, 3, 1, 1}, at::kFloat);
    for (int c = 0; c < 3; ++c)
        black[0][c][0][0] = -card.mean[static_cast<std::size_t>(c)] / card.std[static_cast<std::size_t>(c)];
    return black;
}

// The settings a method's result depends on beyond the class and layer, for result.json.
nlohmann::json methodSettings(const explain::SaliencyMap& m, const explain::ExplainOptions& o,
                              const std::string& baselineName) {
    nlohmann::json integrated = {{"steps", o.integratedGradients.steps},
                                 {"rule", explain::integrationRuleName(o.integratedGradients.rule)},
                                 {"baseline", baselineName}};
    switch (m.method) {
        case explain::Method::SmoothGrad: {
            nlohmann::json settings = {{"base", explain::smoothGradBaseName(o.smoothGrad.base)},
                                       {"samples", o.smoothGrad.samples},
                                       {"noise_level", o.smoothGrad.noiseLevel},
                                       {"seed", o.smoothGrad.seed}};
            if (o.smoothGrad.base == explain::SmoothGradBase::IntegratedGradients)
                settings["integrated_gradients"] = integrated;
            else if (o.smoothGrad.base == explain::SmoothGradBase::GuidedBackprop)
                settings["guided_rule"] = explain::guidedRuleName(o.guidedRule);
            return settings;
        }
        case explain::Method::IntegratedGradients:
            if (m.convergenceDelta)
                integrated["convergence_delta"] = *m.convergenceDelta;
            return integrated;
        default:
            return nullptr;
    }
}

// One image explained, before anything is written (a shared scale needs every image's maps first).
struct Explained {
    fs::path image;
    cv::Mat seen;  // the image as the network saw it (its input size)
    explain::ImageExplanation result;
};

Explained explainImage(explain::Explainer& explainer, const LoadedModel& loaded, const fs::path& image,
                       const explain::ExplainOptions& options) {
    const Scan scan = readScan(image);
    Explained out{image, scan.rgb, explainer.explain({scan.rgb}, loaded.card, options).front()};
    const int s = loaded.card.inputSize;
    if (out.seen.cols != s || out.seen.rows != s)
        cv::resize(out.seen, out.seen, cv::Size(s, s), 0, 0, cv::INTER_AREA);
    return out;
}

// Per method, the largest magnitude over the images (SharedScale.h): --shared-scale's common maximum.
std::map<explain::Method, double> sharedPeaks(const std::vector<Explained>& all) {
    std::map<explain::Method, std::vector<const explain::SaliencyMap*>> byMethod;
    for (const auto& e : all)
        for (const auto& m : e.result.maps)
            byMethod[m.method].push_back(&m);
    std::map<explain::Method, double> out;
    for (const auto& [method, maps] : byMethod)
        out[method] = explain::sharedPeak(maps);
    return out;
}

// Writes input.png, each map's .npy and .png, and result.json. peaks: with --shared-scale, each
// method's common maximum; the PNGs then show magnitude / peak over the image, gradients too.
nlohmann::json writeExplained(const Explained& e, const LoadedModel& loaded, const fs::path& outDir,
                              const explain::ExplainOptions& options, const std::string& baselineName,
                              const std::map<explain::Method, double>& peaks) {
    const auto& result = e.result;
    fs::create_directories(outDir);
    writeRgbPng(outDir / "input.png", e.seen);
    nlohmann::json methods = nlohmann::json::object();
    for (const auto& m : result.maps) {
        const std::string name = explain::methodName(m.method);
        nlohmann::json entry = {{"available", m.available}, {"empty", m.empty}, {"layer", m.layer}};
        if (!m.message.empty())
            entry["message"] = m.message;
        if (auto settings = methodSettings(m, options, baselineName); !settings.is_null())
            entry["settings"] = std::move(settings);
        if (m.available && !m.map.empty()) {
            writeMapNpy(outDir / (name + ".npy"), m.map);
            const auto peak = peaks.find(m.method);
            cv::Mat picture;
            if (peak != peaks.end()) {
                picture = explain::overlay(e.seen, explain::onSharedScale(m, peak->second));
                entry["scale"] = {{"shared_peak", peak->second}, {"own_peak", explain::magnitudePeak(m)}};
            } else {
                picture = m.map.channels() == 1 ? explain::overlay(e.seen, m.map)
                                                : explain::unitFloatToUint8(explain::standardisedGradient(m.map));
            }
            writeRgbPng(outDir / (name + ".png"), picture);
            entry["npy"] = name + ".npy";
            entry["png"] = name + ".png";
            entry["shape"] = m.map.channels() == 1 ? std::vector<int>{m.map.rows, m.map.cols}
                                                   : std::vector<int>{3, m.map.rows, m.map.cols};
        }
        methods[name] = entry;
    }
    const auto& classes = loaded.card.classes;
    const nlohmann::json doc = {
        {"image", e.image.string()},
        {"model", loaded.source},
        {"architecture", loaded.card.architecture},
        {"layer", result.layer},
        {"classes", classes},
        {"logits", result.logits},
        {"probabilities", result.probabilities},
        {"predicted_class", classes[static_cast<size_t>(result.predictedClass)]},
        {"predicted_index", result.predictedClass},
        {"target_class", classes[static_cast<size_t>(result.targetClass)]},
        {"target_index", result.targetClass},
        {"input_size", loaded.card.inputSize},
        {"colour_scale", peaks.empty() ? "per map (min-max)" : "shared per method over the images"},
        {"methods", methods},
    };
    std::ofstream(outDir / "result.json") << doc.dump(2) << "\n";
    return doc;
}

}  // namespace

int runExplain(const std::vector<std::string>& args) {
    Arguments a(args, {"shared-scale"});
    const bool shared = a.flag("shared-scale");
    const fs::path out = a.required("out");
    const std::vector<fs::path> images = chooseImages(a);
    explain::ExplainOptions options;
    options.methods = explain::parseMethods(a.value("method").value_or("all"));
    options.layer = a.value("layer").value_or("");
    options.scoreCam.batchSize = a.integer("scorecam-batch", 16, 1, 4096);
    options.smoothGrad.samples = a.integer("smoothgrad-samples", 25, 1, 100000);
    options.smoothGrad.noiseLevel = a.real("smoothgrad-noise", 0.15, 0.0, 10.0);
    options.smoothGrad.base = parseSmoothGradBase(a.value("smoothgrad-base").value_or("gradient"));
    options.integratedGradients.steps = a.integer("ig-steps", 50, 1, 100000);
    const std::string baselineName = a.value("ig-baseline").value_or("zero");
    const auto targetClass = a.value("class");
    models::configureTorchThreads();
    LoadedModel loaded = loadModelFromArguments(a);
    a.rejectUnused();
    if (targetClass)
        options.targetClasses = {parseClass(*targetClass, loaded.card.classes)};
    options.integratedGradients.baseline = integratedGradientsBaseline(baselineName, loaded.card);

    explain::Explainer explainer(*loaded.model);
    ConsoleProgress progress(std::cerr, stderrIsTerminal());
    ProgressScope scope(progress, "Explaining", static_cast<std::int64_t>(images.size()));
    std::map<std::string, int> usedNames;
    std::int64_t done = 0;
    // A shared scale needs every image's maps before the first picture; otherwise each image is
    // written as soon as it is explained (nothing held).
    std::vector<Explained> held;
    auto write = [&](const Explained& e, const std::map<explain::Method, double>& peaks) {
        const fs::path dir = images.size() == 1 ? out : out / folderName(e.image, usedNames);
        const auto doc = writeExplained(e, loaded, dir, options, baselineName, peaks);
        if (images.size() == 1) {
            std::cout << e.image.string() << ": " << doc["predicted_class"].get<std::string>()
                      << "; maps of class " << doc["target_class"].get<std::string>() << " at "
                      << doc["layer"].get<std::string>() << " -> " << dir.string() << "\n";
        }
    };
    for (const auto& image : images) {
        Explained e = explainImage(explainer, loaded, image, options);
        scope.update(++done, image.filename().string());
        if (shared)
            held.push_back(std::move(e));
        else
            write(e, {});
    }
    const auto peaks = sharedPeaks(held);
    for (const auto& e : held)
        write(e, peaks);
    if (shared)
        std::cout << "maps on one colour scale per method over " << images.size()
                  << " image(s): magnitude / the largest magnitude of the method's maps\n";
    if (images.size() > 1)
        std::cout << "explained " << images.size() << " images -> " << out.string() << "\n";
    return 0;
}

}  // namespace saliency::cli
