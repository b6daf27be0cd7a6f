// The cost per map of the evaluation metrics (issue 18; docs/benchmarks.md "Evaluation metrics"),
// on the maps of cnn4 (128 x 128) and ResNet50 (224 x 224), CPU: the map-only metrics
// (sparseness, effective complexity, relevance mass/rank accuracy, top-k intersection, the 14-
// threshold hit sweep), deletion + insertion (42 forwards), faithfulness correlation (101 perturbed
// forwards, the network's cost), ROAD (the noisy linear imputation alone, and MoRF + LeRF: 18
// imputations and forwards), max-/average sensitivity of Grad-CAM (11 explanations) and the
// model-randomisation sanity check of one image (the four methods, every stage). Random
// weights (timing does not depend on them), a random image, Grad-CAM's map. Prints the median of
// `runs` timed runs after one untimed; never a timed test.
//
// usage: bench_metrics [--runs 5] [--threads 2] [--archs cnn4,resnet50]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <opencv2/core.hpp>

#include "metrics/Complexity.h"
#include "metrics/Faithfulness.h"
#include "metrics/FaithfulnessCorrelation.h"
#include "metrics/Localisation.h"
#include "metrics/PixelRanking.h"
#include "metrics/Road.h"
#include "metrics/Sensitivity.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "saliency/Explainer.h"
#include "saliency/SanityCheck.h"

using Clock = std::chrono::steady_clock;
using namespace saliency;

namespace {

double medianSeconds(int runs, const std::function<void()>& work) {
    work();  // untimed
    std::vector<double> seconds;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        work();
        seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds[seconds.size() / 2];
}

void report(const std::string& arch, const std::string& what, double seconds) {
    std::printf("%-9s %-34s %12.6f s/map\n", arch.c_str(), what.c_str(), seconds);
    std::fflush(stdout);
}

void bench(const std::string& arch, int runs) {
    const int size = arch == "cnn4" ? 128 : 224;
    auto model = models::makeModel(arch, {.numClasses = 2, .seed = 1});
    model->eval();
    models::ModelCard card;
    card.architecture = arch;
    card.classes = {"a", "b"};
    card.inputSize = size;
    cv::Mat image(size, size, CV_8UC3);
    cv::randu(image, 0, 255);
    explain::Explainer explainer(*model);
    explain::ExplainOptions options;
    options.methods = {explain::Method::GradCam};
    const auto explanation = explainer.explain({image}, card, options).front();
    const cv::Mat map = explanation.find(explain::Method::GradCam)->map;
    const int target = explanation.targetClass;
    cv::Mat mask = cv::Mat::zeros(size, size, CV_8UC1);
    mask(cv::Rect(size / 4, size / 3, size / 3, size / 4)).setTo(255);

    report(arch, "sparseness", medianSeconds(runs, [&] { (void)metrics::sparseness(map); }));
    report(arch, "effective complexity",
           medianSeconds(runs, [&] { (void)metrics::effectiveComplexity(map); }));
    report(arch, "relevance mass accuracy",
           medianSeconds(runs, [&] { (void)metrics::relevanceMassAccuracy(map, mask); }));
    report(arch, "relevance rank accuracy",
           medianSeconds(runs, [&] { (void)metrics::relevanceRankAccuracy(map, mask); }));
    report(arch, "top-k intersection (k 1000)",
           medianSeconds(runs, [&] { (void)metrics::topKIntersection(map, mask, 1000); }));
    report(arch, "hit sweep (14 thresholds)",
           medianSeconds(runs, [&] { (void)metrics::thresholdHits(map, mask); }));

    const metrics::ClassScore score = [&](const std::vector<cv::Mat>& images) {
        std::vector<double> out;
        for (const auto& p : models::predict(*model, card, images))
            out.push_back(p.probabilities[static_cast<std::size_t>(target)]);
        return out;
    };
    metrics::FaithfulnessCorrelationOptions faithful;
    faithful.batchSize = 8;  // as the study scores (FaithfulnessMeasures.cpp)
    report(arch, "faithfulness correlation (100 runs, batches of 8)", medianSeconds(std::max(1, runs / 2), [&] {
               (void)metrics::faithfulnessCorrelation(image, map, score, faithful);
           }));
    report(arch, "deletion + insertion (2 x 21 forwards)", medianSeconds(std::max(1, runs / 2), [&] {
               metrics::FaithfulnessOptions curves;
               curves.batchSize = 8;
               (void)metrics::deletionCurve(image, map, score, curves);
               (void)metrics::insertionCurve(image, map, score, curves);
           }));
    cv::Mat half = cv::Mat::zeros(size, size, CV_8UC1);
    const std::vector<int> ranked = metrics::rankedPixels(map);
    for (std::size_t i = 0; i < ranked.size() / 2; ++i)
        half.ptr<uchar>()[ranked[i]] = 255;
    report(arch, "ROAD imputation (50% removed)",
           medianSeconds(runs, [&] { (void)metrics::noisyLinearImputation(image, half); }));
    metrics::RoadOptions road;
    road.batchSize = 8;
    report(arch, "ROAD MoRF + LeRF (18 imputations)", medianSeconds(std::max(1, runs / 2), [&] {
               (void)metrics::roadCurve(image, map, score, metrics::RoadOrder::MostRelevantFirst, road);
               (void)metrics::roadCurve(image, map, score, metrics::RoadOrder::LeastRelevantFirst, road);
           }));
    const metrics::ExplainImage gradCam = [&](const cv::Mat& noisy) {
        return explainer.explain({noisy}, card, options).front().find(explain::Method::GradCam)->map;
    };
    report(arch, "max-/avg sensitivity (Grad-CAM, 10)",
           medianSeconds(std::max(1, runs / 2), [&] { (void)metrics::sensitivity(image, gradCam); }));
    const auto input = models::inputTensor({image}, card);
    report(arch, "sanity check (4 methods, cascade)", medianSeconds(std::max(1, runs / 2), [&] {
               (void)explain::modelRandomisationCheck(*model, input);
           }));
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 5, threads = 2;
    std::vector<std::string> archs = {"cnn4", "resnet50"};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i], value = argv[i + 1];
        if (name == "--runs")
            runs = std::stoi(value);
        else if (name == "--threads")
            threads = std::stoi(value);
        else if (name == "--archs") {
            archs.clear();
            std::stringstream in(value);
            for (std::string a; std::getline(in, a, ',');)
                archs.push_back(a);
        }
    }
    at::set_num_threads(threads);
    std::printf("bench_metrics: %d runs (median), %d threads\n", runs, threads);
    for (const auto& arch : archs)
        bench(arch, runs);
    return 0;
}
