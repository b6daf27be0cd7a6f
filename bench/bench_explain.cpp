// All four saliency maps (CAM, Grad-CAM, Guided Backprop, Guided Grad-CAM) of ResNet50 on 224x224
// images, CPU: the explainer's per-image time against (i) the same maps done the usual way in Python
// (bench/bench_explain.py: pytorch-grad-cam's Grad-CAM and Captum's guided backprop, each with its
// own forward and backward, run with /usr/bin/python3) and (ii) one plain forward + backward of the
// same network in C++ (the gradient of y_c with respect to the input, the least that guided
// backprop needs). Random weights (timing does not depend on them), the predicted class. Prints
// figures and ratios; never a timed test (docs/benchmarks.md).
//
// usage: bench_explain [--batches 1,8] [--runs 5] [--warmup 1] [--threads 2] [--size 224]
//                      [--rounds 1] [--no-python]
// Every configuration runs in a process of its own (this program started again with --child), so
// that its peak resident memory (getrusage ru_maxrss) is its own; the median of `runs` timed runs
// after `warmup` untimed ones; with several rounds, the best median of each.
// Modes: explain (the four maps, Explainer::explainTensors), plain (forward + backward to the
// input), forward (inference only, no gradients), train (forward + backward into every weight's
// gradient, what pytorch-grad-cam's loss.backward() does).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/version.h>
#include <nlohmann/json.hpp>

#include "models/ModelZoo.h"
#include "saliency/Explainer.h"

using Clock = std::chrono::steady_clock;

namespace {

struct Settings {
    std::vector<int> batches{1, 8};
    int runs = 5, warmup = 1, threads = 2, size = 224, rounds = 1;
    bool python = true;
};

std::vector<int> splitInts(const std::string& s) {
    std::vector<int> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.push_back(std::stoi(item));
    return out;
}

double peakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// One step of `mode` on the batch; the result is kept alive until the step is timed.
void step(const std::string& mode, saliency::models::ClassifierImpl& model,
          saliency::explain::Explainer& explainer, const at::Tensor& x) {
    if (mode == "explain") {
        const auto maps = explainer.explainTensors(x);  // all four, predicted class
        return;
    }
    if (mode == "forward") {
        torch::NoGradGuard noGrad;
        const auto logits = model.logits(x);
        return;
    }
    torch::AutoGradMode gradMode(true);
    const auto input = x.clone().requires_grad_(mode == "plain");
    const auto logits = model.logits(input);
    const auto target = logits.detach().argmax(1);
    const auto score = logits.gather(1, target.unsqueeze(1)).sum();
    if (mode == "plain") {
        const auto gradient = torch::autograd::grad({score}, {input})[0];
    } else if (mode == "train") {
        model.zero_grad();
        score.backward();
    } else {
        throw std::runtime_error("unknown mode " + mode);
    }
}

int child(const std::string& mode, int batch, const Settings& s) {
    at::set_num_threads(s.threads);
    saliency::models::ModelOptions options;
    options.seed = 1;
    auto model = saliency::models::makeModel("resnet50", options);
    model->eval();
    saliency::explain::Explainer explainer(*model);
    const auto x = at::randn({batch, 3, s.size, s.size});
    for (int i = 0; i < s.warmup; ++i)
        step(mode, *model, explainer, x);
    std::vector<double> seconds;
    for (int i = 0; i < s.runs; ++i) {
        const auto start = Clock::now();
        step(mode, *model, explainer, x);
        seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    const nlohmann::json out = {{"mode", mode},
                                {"batch", batch},
                                {"threads", at::get_num_threads()},
                                {"per_image", median(seconds) / batch},
                                {"peak_rss_mib", peakRssMiB()}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

nlohmann::json runJson(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    std::string output;
    char buffer[4096];
    while (const size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, n);
    const auto brace = output.rfind("\n{");
    if (pclose(pipe) != 0 || output.find('{') == std::string::npos)
        throw std::runtime_error("failed: " + command);
    return nlohmann::json::parse(output.substr(brace == std::string::npos ? output.find('{') : brace + 1));
}

std::string common(const Settings& s) {
    return " --runs " + std::to_string(s.runs) + " --warmup " + std::to_string(s.warmup) + " --threads " +
           std::to_string(s.threads) + " --size " + std::to_string(s.size);
}

void keepBest(nlohmann::json& best, const nlohmann::json& now, const char* key) {
    if (best.is_null() || now.at(key).get<double>() < best.at(key).get<double>())
        best = now;
}

int parent(const std::string& self, const Settings& s) {
    std::printf(
        "LibTorch %s, %d threads (Python: the same), MKL-DNN %s, resnet50 %dx%d, CPU; median of %d runs "
        "after %d warm-up, best of %d rounds\n",
        TORCH_VERSION, s.threads, at::hasMKLDNN() ? "yes" : "no", s.size, s.size, s.runs, s.warmup, s.rounds);
    const std::vector<std::string> modes = {"explain", "plain", "forward", "train"};
    std::map<int, std::map<std::string, nlohmann::json>> best;
    // Rounds alternate the configurations so that each sees the same machine load; every figure is
    // printed as it comes, so that a disturbed round shows.
    for (int round = 0; round < s.rounds; ++round)
        for (const int batch : s.batches) {
            std::printf("round %d, batch %d:", round + 1, batch);
            for (const auto& mode : modes) {
                const auto j =
                    runJson(self + " --child " + mode + " --batch " + std::to_string(batch) + common(s));
                std::printf(" %s %.3f", mode.c_str(), j.at("per_image").get<double>());
                std::fflush(stdout);
                keepBest(best[batch][mode], j, "per_image");
            }
            if (s.python) {
                const auto j = runJson(std::string("/usr/bin/python3 ") + SALIENCY_BENCH_DIR +
                                       "/bench_explain.py --one " + std::to_string(batch) + common(s));
                std::printf(" python %.3f", j.at("total_per_image").get<double>());
                keepBest(best[batch]["python"], j, "total_per_image");
            }
            std::printf(" s/image\n");
            std::fflush(stdout);
        }
    std::printf("\nseconds per image (peak RSS MiB)\n");
    std::printf("%5s %18s %18s %18s %18s %18s\n", "batch", "C++ 4 maps", "C++ fwd+bwd(x)", "C++ forward",
                "C++ fwd+bwd(W)", "Python 4 maps");
    for (const int batch : s.batches) {
        auto& b = best[batch];
        auto cell = [](const nlohmann::json& j, const char* key) {
            if (j.is_null())
                return std::string("-");
            char text[64];
            std::snprintf(text, sizeof text, "%.3f (%4.0f)", j.at(key).get<double>(),
                          j.at("peak_rss_mib").get<double>());
            return std::string(text);
        };
        std::printf("%5d %18s %18s %18s %18s %18s\n", batch, cell(b["explain"], "per_image").c_str(),
                    cell(b["plain"], "per_image").c_str(), cell(b["forward"], "per_image").c_str(),
                    cell(b["train"], "per_image").c_str(), cell(b["python"], "total_per_image").c_str());
    }
    std::printf("\nratios (goal: 4 maps / Python <= 0.45, 4 maps / fwd+bwd(x) <= 1.2)\n");
    for (const int batch : s.batches) {
        auto& b = best[batch];
        const double explain = b["explain"].at("per_image").get<double>();
        std::printf("batch %d: 4 maps / fwd+bwd(x) %.3f, 4 maps / forward %.3f", batch,
                    explain / b["plain"].at("per_image").get<double>(),
                    explain / b["forward"].at("per_image").get<double>());
        if (!b["python"].is_null()) {
            const auto& p = b["python"];
            std::printf(
                ", 4 maps / Python %.3f (Python parts per image: CAM %.3f, Grad-CAM %.3f, guided %.3f)",
                explain / p.at("total_per_image").get<double>(), p.at("cam_per_image").get<double>(),
                p.at("gradcam_per_image").get<double>(), p.at("guided_per_image").get<double>());
        }
        std::printf("\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    std::string mode;
    int batch = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_explain: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--batches")
            s.batches = splitInts(value());
        else if (a == "--runs")
            s.runs = std::max(1, std::stoi(value()));
        else if (a == "--warmup")
            s.warmup = std::max(0, std::stoi(value()));
        else if (a == "--threads")
            s.threads = std::max(1, std::stoi(value()));
        else if (a == "--size")
            s.size = std::stoi(value());
        else if (a == "--rounds")
            s.rounds = std::max(1, std::stoi(value()));
        else if (a == "--no-python")
            s.python = false;
        else if (a == "--child")
            mode = value();
        else if (a == "--batch")
            batch = std::stoi(value());
        else {
            std::fprintf(
                stderr,
                "usage: bench_explain [--batches 1,8] [--runs 5] [--warmup 1] [--threads 2] [--size 224] "
                "[--rounds 1] [--no-python]\n");
            return 2;
        }
    }
    try {
        return mode.empty() ? parent(std::filesystem::read_symlink("/proc/self/exe").string(), s)
                            : child(mode, batch, s);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_explain: %s\n", e.what());
        return 1;
    }
}
