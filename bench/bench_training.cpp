// Training throughput (images/s) of the zoo's models in C++ and of the same loop in PyTorch
// (bench/bench_training.py, run with /usr/bin/python3 and the same thread count), and the ratio.
// Synthetic tensors, no data loading: batch B of SxS, Adam (lr 1e-3), cross-entropy, training mode;
// 2 warm-up iterations, then N timed ones. Prints figures; never a timed test (docs/benchmarks.md).
//
// usage: bench_training [--archs cnn4,resnet50] [--batch 16] [--size 150] [--iterations N]
//                       [--threads T] [--rounds R] [--no-contiguous] [--no-python]
// The C++ loop runs twice: as the trainer does (channels-last weights and inputs, see
// training/TrainStep.h) and with plain NCHW tensors like the Python loop (--no-contiguous skips it).
//   N defaults per model: cnn4 20, vgg16/resnet50/efficientnet 3.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/version.h>
#include <nlohmann/json.hpp>

#include "models/ModelZoo.h"
#include "training/Device.h"
#include "training/Optimiser.h"
#include "training/TrainStep.h"

using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

// Images per second of `iterations` training steps after `warmup` ones.
double cppThroughput(const std::string& arch, int batch, int size, int warmup, int iterations,
                     bool channelsLast) {
    at::manual_seed(1);
    auto model = saliency::models::makeModel(arch, 2);
    if (channelsLast)
        saliency::useChannelsLast(*model);
    saliency::TrainConfig config;
    config.optimiser = saliency::OptimiserKind::Adam;
    config.learningRate = 1e-3;
    auto optimiser = saliency::makeOptimiser(model->parameters(), config);
    saliency::setTrainingMode(*model, false);
    at::Tensor images = at::randn({batch, 3, size, size});
    if (channelsLast)
        images = saliency::toChannelsLast(images);
    const at::Tensor labels = at::randint(0, 2, {batch}, at::kLong);
    for (int i = 0; i < warmup; ++i)
        saliency::trainStep(*model, *optimiser, images, labels);
    const auto start = Clock::now();
    for (int i = 0; i < iterations; ++i)
        saliency::trainStep(*model, *optimiser, images, labels);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return iterations * batch / seconds;
}

// The same loop in PyTorch: one JSON line from bench_training.py.
nlohmann::json pythonThroughput(const std::string& arch, int batch, int size, int iterations, int threads) {
    const std::string command = std::string("/usr/bin/python3 ") + SALIENCY_BENCH_DIR +
                                "/bench_training.py --archs " + arch + " --batch " + std::to_string(batch) +
                                " --size " + std::to_string(size) + " --iterations " +
                                std::to_string(iterations) + " --threads " + std::to_string(threads);
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run " + command);
    std::string output;
    char buffer[4096];
    while (const size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, n);
    if (pclose(pipe) != 0 || output.find('{') == std::string::npos)
        throw std::runtime_error("the Python loop failed: " + command);
    return nlohmann::json::parse(output.substr(output.find('{')));
}

}  // namespace

int main(int argc, char** argv) {
    std::string archs = "cnn4,resnet50";
    int batch = 16, size = 150, iterations = 0, threads = 0, rounds = 1;
    bool python = true, contiguous = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_training: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--archs")
            archs = value();
        else if (a == "--batch")
            batch = std::stoi(value());
        else if (a == "--size")
            size = std::stoi(value());
        else if (a == "--iterations")
            iterations = std::stoi(value());
        else if (a == "--threads")
            threads = std::stoi(value());
        else if (a == "--rounds")
            rounds = std::max(1, std::stoi(value()));
        else if (a == "--no-python")
            python = false;
        else if (a == "--no-contiguous")
            contiguous = false;
        else {
            std::fprintf(stderr,
                         "usage: bench_training [--archs cnn4,resnet50] [--batch 16] [--size 150] "
                         "[--iterations N] [--threads T] [--rounds R] [--no-contiguous] [--no-python]\n");
            return 2;
        }
    }
    try {
        const auto device = saliency::resolveDevice(saliency::DeviceChoice::Cpu, threads);
        threads = at::get_num_threads();
        std::printf("LibTorch %s, %s, MKL-DNN %s, MKL %s, OpenMP %s\n", TORCH_VERSION,
                    saliency::describeDevice(device).c_str(), at::hasMKLDNN() ? "yes" : "no",
                    at::hasMKL() ? "yes" : "no", at::hasOpenMP() ? "yes" : "no");
        // Per model, C++ and Python run back to back (rounds times, alternating), so that both
        // see the same machine load; the best round of each is reported.
        for (const auto& arch : splitList(archs)) {
            const int n = iterations > 0 ? iterations : (arch == "cnn4" ? 20 : 3);
            double bestLast = 0, bestContiguous = 0, bestPython = 0;
            std::string pythonInfo;
            for (int round = 0; round < rounds; ++round) {
                bestLast = std::max(bestLast, cppThroughput(arch, batch, size, 2, n, true));
                if (contiguous)
                    bestContiguous = std::max(bestContiguous, cppThroughput(arch, batch, size, 2, n, false));
                if (!python)
                    continue;
                const auto j = pythonThroughput(arch, batch, size, n, threads);
                bestPython = std::max(bestPython, j.at("images_per_second").get<double>());
                pythonInfo = "torch " + j.at("torch").get<std::string>() + ", MKL-DNN " +
                             (j.at("mkldnn").get<bool>() ? "yes" : "no");
            }
            const std::string what = std::to_string(batch) + "x3x" + std::to_string(size) + "x" +
                                     std::to_string(size) + ", " + std::to_string(n) +
                                     " iterations, best of " + std::to_string(rounds);
            std::printf("C++ (trainer, channels-last) %-16s %s: %8.2f images/s\n", arch.c_str(), what.c_str(),
                        bestLast);
            if (contiguous)
                std::printf("C++ (contiguous NCHW)        %-16s %s: %8.2f images/s\n", arch.c_str(),
                            what.c_str(), bestContiguous);
            if (python) {
                std::printf("Python (contiguous NCHW)     %-16s %s: %8.2f images/s  (%s)\n", arch.c_str(),
                            what.c_str(), bestPython, pythonInfo.c_str());
                std::printf("ratio C++/Python %-16s trainer %.3f", arch.c_str(), bestLast / bestPython);
                if (contiguous)
                    std::printf(", contiguous %.3f", bestContiguous / bestPython);
                std::printf("\n");
            }
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_training: %s\n", e.what());
        return 1;
    }
    return 0;
}
