// The saliency engine (DESIGN.md section 4): parity with pytorch-grad-cam's and Captum's
// conventions (tests/python/saliency_reference.py, run here with Debian's /usr/bin/python3 into a
// temporary directory), the CAM = Grad-CAM identity of a GAP + linear head, finite differences,
// pass counting, batches, empty maps, the guided rules, colour maps and overlays.
#include <QtTest>

#include "PythonReference.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "models/Checkpoint.h"
#include "models/GuidedActivation.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/TorchThreads.h"
#include "models/WeightImport.h"
#include "saliency/ColourMap.h"
#include "saliency/Explainer.h"
#include "saliency/GuidedDisplay.h"
#include "saliency/Method.h"
#include "saliency/Normalise.h"
#include "saliency/Overlay.h"

using namespace saliency;
using namespace saliency::explain;
namespace fs = std::filesystem;

namespace {

using saliency::test::kPython;

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

double relativeError(const at::Tensor& actual, const at::Tensor& expected) {
    const double scale = expected.abs().max().item<double>();
    return maxAbs(actual, expected) / std::max(scale, 1e-30);
}

at::Tensor matToTensor(const cv::Mat& m) {  // CV_32FC1 -> (H,W); CV_32FC(C) -> (C,H,W)
    cv::Mat c = m.isContinuous() ? m : m.clone();
    auto t = at::from_blob(c.data, {c.rows, c.cols, c.channels()}, at::kFloat).clone();
    return c.channels() == 1 ? t.squeeze(2) : t.permute({2, 0, 1}).contiguous();
}

using TensorMap = std::map<std::string, at::Tensor>;

TensorMap readReference(const fs::path& file) {
    TensorMap out;
    for (auto& [name, tensor] : models::readTensorDict(file))
        out[name] = tensor;
    return out;
}

models::Classifier seededModel(const std::string& arch, std::uint64_t seed) {
    models::ModelOptions options;
    options.seed = seed;
    auto model = models::makeModel(arch, options);
    model->eval();
    return model;
}

// The class whose Grad-CAM varies most: random-weight models can give an empty map for the other.
std::int64_t livelyClass(models::ClassifierImpl& model, const at::Tensor& input) {
    Explainer explainer(model);
    double best = -1.0;
    std::int64_t bestClass = 0;
    for (std::int64_t c = 0; c < model.numClasses(); ++c) {
        ExplainOptions options;
        options.methods = {Method::GradCam};
        options.targetClasses = {c};
        const auto raw = explainer.explainTensors(input, options).find(Method::GradCam)->raw;
        const double range = mapRanges(at::relu(raw)).front();
        if (range > best) {
            best = range;
            bestClass = c;
        }
    }
    return bestClass;
}

bool anyGuided(models::ClassifierImpl& model) {
    for (const auto& module : model.modules(false))
        if (auto* a = dynamic_cast<models::GuidedActivationImpl*>(module.get()))
            if (a->guided())
                return true;
    return model.guided();
}

}  // namespace

class TestSaliency : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    fs::path ref_;

    // One reference model (torchvision / Python) against our explainer, all four methods in one call.
    void parity(const std::string& arch) {
        const auto ref = readReference(ref_ / (arch + ".saliency.pt"));
        auto model = models::makeModel(arch, 2);
        const auto report = models::importTorchvisionWeights(*model, ref_ / (arch + ".weights.pt"));
        QVERIFY2(report.headLoaded, report.summary().c_str());
        model->eval();

        Explainer explainer(*model);
        ExplainOptions options;  // all four
        options.targetClasses = {ref.at("target")[0].item<std::int64_t>()};
        const auto batch = explainer.explainTensors(ref.at("input"), options);
        QCOMPARE(batch.passes.forwards, 1);
        QCOMPARE(batch.passes.backwards, 1);

        const double logits = relativeError(batch.logits, ref.at("logits"));
        QVERIFY2(logits < 1e-4, qPrintable(QString("logits differ: %1").arg(logits)));

        const auto* cam = batch.find(Method::Cam);
        const auto* gradCam = batch.find(Method::GradCam);
        const auto* guided = batch.find(Method::GuidedBackprop);
        const auto* ggc = batch.find(Method::GuidedGradCam);
        QVERIFY(cam && cam->available && gradCam && guided && ggc);
        QVERIFY(!gradCam->empty[0]);
        QVERIFY(!guided->empty[0]);

        const double camRaw = relativeError(cam->raw, ref.at("cam_raw"));
        const double gradCamRaw = relativeError(gradCam->raw, ref.at("gradcam_raw"));
        const double camMap = maxAbs(cam->maps, ref.at("cam"));
        const double gradCamMap = maxAbs(gradCam->maps, ref.at("gradcam"));
        const double guidedRaw = relativeError(guided->maps, ref.at("guided"));
        const double ggcRaw = relativeError(ggc->maps, ref.at("guided_gradcam"));

        const auto images = batch.images();
        const cv::Mat gradient = images[0].find(Method::GuidedBackprop)->map;
        QCOMPARE(gradient.type(), CV_32FC3);
        const double display = maxAbs(matToTensor(standardisedGradient(gradient)),
                                      ref.at("guided_display")[0].permute({2, 0, 1}));
        const double absmax = maxAbs(matToTensor(absMaxGradient(gradient)), ref.at("guided_absmax")[0]);
        const double mats = maxAbs(matToTensor(images[0].find(Method::GradCam)->map), gradCam->maps[0]);

        qInfo(
            "%s parity: CAM raw %.1e rel, map %.1e abs; Grad-CAM raw %.1e rel, map %.1e abs; guided raw "
            "%.1e rel, display %.1e abs, abs-max %.1e abs; Guided Grad-CAM %.1e rel",
            arch.c_str(), camRaw, camMap, gradCamRaw, gradCamMap, guidedRaw, display, absmax, ggcRaw);
        QVERIFY2(camRaw < 1e-4, "CAM raw map");
        QVERIFY2(gradCamRaw < 1e-4, "Grad-CAM raw map");
        QVERIFY2(camMap < 1e-4, "CAM normalised map");
        QVERIFY2(gradCamMap < 1e-4, "Grad-CAM normalised map");
        QVERIFY2(guidedRaw < 1e-4, "guided backprop raw gradient");
        QVERIFY2(display < 1e-4, "guided backprop display (deprocess_image)");
        QVERIFY2(absmax < 1e-4, "guided backprop abs-max display");
        QVERIFY2(ggcRaw < 1e-4, "Guided Grad-CAM");
        QCOMPARE(mats, 0.0);

        // pytorch-grad-cam's own order, and the single normalise-then-resize step.
        for (const auto& [scaling, key] : {std::pair{CamScaling::PytorchGradCam, "gradcam_pgc"},
                                           std::pair{CamScaling::NormaliseThenResize, "gradcam_single"}}) {
            ExplainOptions o;
            o.methods = {Method::GradCam};
            o.targetClasses = options.targetClasses;
            o.scaling = scaling;
            const double error =
                maxAbs(explainer.explainTensors(ref.at("input"), o).maps(Method::GradCam), ref.at(key));
            qInfo("%s Grad-CAM, %s order: %.1e abs from the reference; design vs this order in Python: %.1e",
                  arch.c_str(), camScalingName(scaling).c_str(), error,
                  maxAbs(ref.at("gradcam"), ref.at(key)));
            QVERIFY2(error < 1e-4, key);
        }
    }

  private Q_SLOTS:
    void initTestCase() {
        models::configureTorchThreads();
        QVERIFY(dir_.isValid());
        ref_ = fs::path(dir_.path().toStdString());

        const test::PythonRun run = test::runPythonReference("saliency_reference.py", {dir_.path()});
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        qInfo("%s(%.1f s; LibTorch threads: %d)", qPrintable(run.output), run.seconds, at::get_num_threads());
    }

    // ---- names ----

    void methodNames() {
        for (const auto m : allMethods())
            QCOMPARE(parseMethod(methodName(m)), std::optional<Method>(m));
        QCOMPARE(parseMethod("Grad-CAM"), std::optional<Method>(Method::GradCam));
        QCOMPARE(parseMethod("guided_backprop"), std::optional<Method>(Method::GuidedBackprop));
        QVERIFY(!parseMethod("gradcam++").has_value());
        QCOMPARE(parseMethods("all").size(), std::size_t(4));
        QCOMPARE(parseMethods("gradcam, cam,gradcam"), (std::vector<Method>{Method::GradCam, Method::Cam}));
        QVERIFY_THROWS_EXCEPTION(Error, parseMethods("cam,scorecam"));
        QCOMPARE(parseColourMap("Viridis"), std::optional<ColourMap>(ColourMap::Viridis));
        QCOMPARE(parseColourMap("grey"), std::optional<ColourMap>(ColourMap::Gray));
        QVERIFY(!parseColourMap("rainbow").has_value());
    }

    // ---- parity with the libraries' conventions ----

    void parityCnn4() { parity("cnn4"); }
    void parityResnet50() { parity("resnet50"); }

    // DESIGN.md: bilinear with half-pixel centres is OpenCV's INTER_LINEAR (pytorch-grad-cam resizes
    // with cv2.resize; the Python reference and we use align_corners=false).
    void upsamplingIsOpenCvInterLinear() {
        at::manual_seed(3);
        for (const auto& [h, w, H, W] :
             {std::array<int, 4>{7, 7, 224, 224}, std::array<int, 4>{2, 2, 64, 64},
              std::array<int, 4>{5, 3, 150, 150}, std::array<int, 4>{4, 4, 64, 48}}) {
            const auto map = at::rand({1, h, w});
            const auto ours = upsampleBilinear(map, H, W)[0];
            cv::Mat src(h, w, CV_32FC1, map.data_ptr<float>());
            cv::Mat dst;
            cv::resize(src, dst, cv::Size(W, H), 0, 0, cv::INTER_LINEAR);
            const double error = maxAbs(ours, matToTensor(dst));
            QVERIFY2(error < 1e-5,
                     qPrintable(QString("%1x%2 -> %3x%4: %5").arg(h).arg(w).arg(H).arg(W).arg(error)));
        }
    }

    // Resize-then-normalise (ours) and pytorch-grad-cam's normalise-resize-normalise differ only
    // where the eps enters; a single normalise-then-resize lowers interior peaks.
    void scalingOrders() {
        auto raw = at::zeros({1, 4, 4});
        raw[0][1][2] = 2.0;  // an interior peak
        raw[0][3][0] = 0.5;
        raw[0][0][0] = -1.0;  // removed by the ReLU
        const auto design = postProcessCam(raw, 32, 32, CamScaling::ResizeThenNormalise);
        const auto pgc = postProcessCam(raw, 32, 32, CamScaling::PytorchGradCam);
        const auto single = postProcessCam(raw, 32, 32, CamScaling::NormaliseThenResize);
        QVERIFY(!design.empty[0]);
        QVERIFY(maxAbs(design.maps, pgc.maps) < 1e-6);
        QVERIFY(std::abs(design.maps.max().item<double>() - 1.0) < 1e-6);
        QCOMPARE(design.maps.min().item<double>(), 0.0);
        const double singleMax = single.maps.max().item<double>();
        QVERIFY2(singleMax < 0.9, qPrintable(QString("normalise-then-resize peak %1").arg(singleMax)));

        const auto zero = postProcessCam(at::zeros({2, 3, 3}), 8, 8);
        QVERIFY(zero.empty[0] && zero.empty[1]);
        QCOMPARE(zero.maps.abs().max().item<double>(), 0.0);
        const auto negative = postProcessCam(-at::ones({1, 3, 3}), 8, 8);  // all removed by the ReLU
        QVERIFY(negative.empty[0]);
        const auto constant = postProcessCam(at::full({1, 3, 3}, 5.0), 8, 8);
        QVERIFY(constant.empty[0]);
        QVERIFY(at::isfinite(constant.maps).all().item<bool>());
        QCOMPARE(constant.maps.abs().max().item<double>(), 0.0);
    }

    // ---- the identity of a GAP + linear head: Grad-CAM = CAM ----

    void gradCamEqualsCam_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("cnn4") << "cnn4";
        QTest::newRow("resnet50") << "resnet50";
    }
    void gradCamEqualsCam() {
        QFETCH(QString, arch);
        auto model = seededModel(arch.toStdString(), 11);
        at::manual_seed(12);
        const auto input = at::randn({1, 3, 64, 64});  // the parity tests' shape: no new kernels to prepare
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = {Method::Cam, Method::GradCam};
        options.targetClasses = {livelyClass(*model, input)};
        const auto batch = explainer.explainTensors(input, options);
        const auto* cam = batch.find(Method::Cam);
        const auto* gradCam = batch.find(Method::GradCam);
        QVERIFY(cam->available);
        // dy_c/dA_k = W[c,k] / (h w) everywhere, so Grad-CAM's raw map is CAM's divided by h w.
        const double hw = static_cast<double>(cam->raw.size(1) * cam->raw.size(2));
        const double raw = relativeError(gradCam->raw * hw, cam->raw);
        const double maps = maxAbs(gradCam->maps, cam->maps);
        qInfo("%s: |Grad-CAM * hw - CAM| %.1e relative; normalised maps %.1e abs", qPrintable(arch), raw,
              maps);
        QVERIFY(!cam->empty[0] && !gradCam->empty[0]);
        QVERIFY(raw < 1e-5);
        QVERIFY(maps < 1e-4);
    }

    // ---- gradients against finite differences (double precision) ----

    void inputGradientMatchesFiniteDifferences() {
        auto model = seededModel("cnn4", 21);
        model->to(at::kDouble);
        at::manual_seed(22);
        const auto input = at::randn({1, 3, 32, 32}, at::kDouble);
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = {Method::GuidedBackprop};
        options.guidedRule = GuidedRule::None;  // the plain gradient dy_c/dx
        options.targetClasses = {1};
        const auto gradient = explainer.explainTensors(input, options).maps(Method::GuidedBackprop);
        QCOMPARE(gradient.scalar_type(), at::kDouble);

        torch::NoGradGuard noGrad;
        const double h = 1e-6;
        double worst = 0.0;
        const double scale = gradient.abs().max().item<double>();
        for (const auto& [c, i, j] :
             {std::array<int, 3>{0, 5, 7}, std::array<int, 3>{1, 16, 16}, std::array<int, 3>{2, 30, 2},
              std::array<int, 3>{0, 20, 25}, std::array<int, 3>{1, 0, 31}, std::array<int, 3>{2, 11, 19}}) {
            auto plus = input.clone(), minus = input.clone();
            plus[0][c][i][j] += h;
            minus[0][c][i][j] -= h;
            const double fd =
                (model->logits(plus)[0][1].item<double>() - model->logits(minus)[0][1].item<double>()) /
                (2 * h);
            worst = std::max(worst, std::abs(fd - gradient[0][c][i][j].item<double>()) / scale);
        }
        qInfo("central differences vs autograd (cnn4, double): %.1e of the largest gradient", worst);
        QVERIFY(worst < 1e-6);

        // The guided rule really changes the gradient (it is not a derivative any more).
        options.guidedRule = GuidedRule::ReluAndSilu;
        const auto guided = explainer.explainTensors(input, options).maps(Method::GuidedBackprop);
        QVERIFY(relativeError(guided, gradient) > 1e-3);
    }

    // ---- passes ----

    void passesAreShared() {
        auto model = seededModel("cnn4", 31);
        model->train();  // the explainer switches to eval and back
        at::manual_seed(32);
        const auto input = at::randn({2, 3, 48, 48});
        Explainer explainer(*model);

        const auto all = explainer.explainTensors(input);
        QCOMPARE(all.passes.forwards, 1);
        QCOMPARE(all.passes.guidedForwards, 1);
        QCOMPARE(all.passes.backwards, 1);  // dy/dA and dy/dx from one backward
        QVERIFY(model->is_training());
        QVERIFY(!anyGuided(*model));

        // The shared guided pass gives the same Grad-CAM as a plain pass of its own.
        ExplainOptions gradCamOnly;
        gradCamOnly.methods = {Method::GradCam};
        const auto plain = explainer.explainTensors(input, gradCamOnly);
        QCOMPARE(plain.passes.guidedForwards, 0);
        QCOMPARE(plain.passes.forwards, 1);
        QVERIFY(maxAbs(plain.maps(Method::GradCam), all.maps(Method::GradCam)) < 1e-6);
        ExplainOptions camOnly;
        camOnly.methods = {Method::Cam};
        const auto cam = explainer.explainTensors(input, camOnly);
        QCOMPARE(cam.passes.forwards, 1);
        QCOMPARE(cam.passes.backwards, 0);
        QVERIFY(maxAbs(cam.maps(Method::Cam), all.maps(Method::Cam)) < 1e-6);
        ExplainOptions guidedOnly;
        guidedOnly.methods = {Method::GuidedBackprop};
        const auto guided = explainer.explainTensors(input, guidedOnly);
        QCOMPARE(guided.passes.backwards, 1);
        QVERIFY(relativeError(guided.maps(Method::GuidedBackprop), all.maps(Method::GuidedBackprop)) < 1e-6);

        // Another layer: CAM is undefined there; Grad-CAM needs a plain pass of its own.
        ExplainOptions other;
        other.layer = "features.2";
        const auto layer = explainer.explainTensors(input, other);
        QCOMPARE(layer.passes.forwards, 2);
        QCOMPARE(layer.passes.guidedForwards, 1);
        QCOMPARE(layer.passes.backwards, 2);
        const auto* cam2 = layer.find(Method::Cam);
        QVERIFY(!cam2->available);
        QVERIFY2(cam2->message.find("features.3") != std::string::npos, cam2->message.c_str());
        QVERIFY(explainer.camUnavailableReason("features.2").has_value());
        QVERIFY(!explainer.camUnavailableReason().has_value());
        QVERIFY(layer.find(Method::GradCam)->available);
        QCOMPARE(layer.find(Method::GradCam)->raw.size(1), std::int64_t(6));  // 48 / 8
        const auto images = layer.images();
        QVERIFY(!images[0].find(Method::Cam)->available);
        QVERIFY(images[0].find(Method::Cam)->map.empty());
        QVERIFY(!images[1].find(Method::GuidedGradCam)->map.empty());

        QCOMPARE(explainer.passes().forwards, 1 + 1 + 1 + 1 + 2);
        QVERIFY(model->is_training());
        QVERIFY(!anyGuided(*model));
    }

    void modelStateIsRestoredOnError() {
        auto model = seededModel("cnn4", 41);
        model->train();
        Explainer explainer(*model);
        ExplainOptions options;
        options.targetClasses = {7};  // out of range: throws after the guided forward
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(at::randn({1, 3, 32, 32}), options));
        QVERIFY(!anyGuided(*model));
        QVERIFY(model->is_training());
        options.targetClasses = {0, 1, 0};  // three classes for one image
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(at::randn({1, 3, 32, 32}), options));
        options.targetClasses = {};
        options.layer = "layer9";
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(at::randn({1, 3, 32, 32}), options));
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(at::randn({3, 32, 32})));
        QVERIFY(!anyGuided(*model));
    }

    // ---- batches ----

    void batchEqualsOneByOne_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("cnn4") << "cnn4";
        QTest::newRow("efficientnet-b0") << "efficientnet-b0";  // SiLU, squeeze-excitation
    }
    void batchEqualsOneByOne() {
        QFETCH(QString, arch);
        auto model = seededModel(arch.toStdString(), 51);
        at::manual_seed(52);
        const auto input = at::randn({3, 3, 64, 64});
        Explainer explainer(*model);
        const auto batch = explainer.explainTensors(input);  // predicted class per image
        for (std::int64_t i = 0; i < 3; ++i) {
            const auto one = explainer.explainTensors(input[i].unsqueeze(0));
            QCOMPARE(one.target[0].item<std::int64_t>(), batch.target[i].item<std::int64_t>());
            for (const auto m : allMethods()) {
                const auto a = batch.maps(m)[i], b = one.maps(m)[0];
                const double error = isChannelMap(m) ? relativeError(a, b) : maxAbs(a, b);
                QVERIFY2(error < 1e-5, qPrintable(QString("%1, image %2: %3")
                                                      .arg(QString::fromStdString(methodName(m)))
                                                      .arg(i)
                                                      .arg(error)));
                QCOMPARE(one.find(m)->empty[0], batch.find(m)->empty[static_cast<std::size_t>(i)]);
            }
        }
        const auto images = batch.images();
        QCOMPARE(images.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(images[i].maps.size(), std::size_t(4));
            const auto& g = *images[i].find(Method::GradCam);
            QCOMPARE(g.map.type(), CV_32FC1);
            QCOMPARE(g.map.rows, 64);
            QCOMPARE(g.classIndex, images[i].predictedClass);
            QCOMPARE(g.logit, images[i].logits[static_cast<std::size_t>(g.classIndex)]);
            QVERIFY(g.probability > 0.f && g.probability <= 1.f);
            QCOMPARE(images[i].find(Method::GuidedGradCam)->map.type(), CV_32FC3);
        }
    }

    // ---- empty maps ----

    void emptyMapsAreFlagged() {
        auto model = seededModel("cnn4", 61);
        {
            torch::NoGradGuard noGrad;
            model->classifierWeight().zero_();  // y no longer depends on A: every map is zero
        }
        Explainer explainer(*model);
        const auto images = explainer.explain(at::randn({2, 3, 32, 32}));
        for (const auto& image : images) {
            for (const auto& map : image.maps) {
                QVERIFY2(map.empty, methodName(map.method).c_str());
                QVERIFY(map.available);
                QVERIFY(!map.message.empty());
                QVERIFY(cv::checkRange(map.map));  // finite: no division by zero
                QCOMPARE(cv::norm(map.map, cv::NORM_INF), 0.0);
            }
        }
        // and a live model is not flagged
        auto live = seededModel("cnn4", 62);
        const auto input = at::randn({1, 3, 32, 32});
        ExplainOptions options;
        options.targetClasses = {livelyClass(*live, input)};
        for (const auto& map : Explainer(*live).explain(input, options)[0].maps)
            QVERIFY2(!map.empty && map.message.empty(), methodName(map.method).c_str());
    }

    // ---- the guided rules ----

    // The models' GuidedActivation implements DESIGN's rules (verified here, where they are used).
    void guidedActivationRules() {
        at::manual_seed(71);
        const auto x = at::randn({1000}, at::kDouble).requires_grad_(true);
        const auto g = at::randn({1000}, at::kDouble);
        torch::AutoGradMode enable(true);
        const auto relu = torch::autograd::grad({models::guidedRelu(x)}, {x}, {g})[0];
        QCOMPARE(maxAbs(relu, g * (x > 0).to(at::kDouble) * (g > 0).to(at::kDouble)), 0.0);
        const auto silu = torch::autograd::grad({models::guidedSilu(x)}, {x}, {g})[0];
        const auto s = at::sigmoid(x.detach());
        const auto expected =
            at::clamp_min(g * s * (1 + x.detach() * (1 - s)), 0) * (x.detach() > 0).to(at::kDouble);
        QVERIFY(maxAbs(silu, expected) < 1e-12);
        QVERIFY((silu >= 0).all().item<bool>());
    }

    // EfficientNet has no ReLU: the libraries' ReLU-only rule leaves its gradient plain.
    void siluRuleOnEfficientNet() {
        auto model = seededModel("efficientnet-b0", 81);
        at::manual_seed(82);
        const auto input = at::randn({1, 3, 64, 64});
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = {Method::GuidedBackprop};
        options.targetClasses = {0};
        std::map<GuidedRule, at::Tensor> maps;
        for (const auto rule : {GuidedRule::ReluAndSilu, GuidedRule::ReluOnly, GuidedRule::None}) {
            options.guidedRule = rule;
            maps[rule] = explainer.explainTensors(input, options).maps(Method::GuidedBackprop);
            QVERIFY(!anyGuided(*model));
        }
        QCOMPARE(maxAbs(maps[GuidedRule::ReluOnly], maps[GuidedRule::None]), 0.0);
        QVERIFY(relativeError(maps[GuidedRule::ReluAndSilu], maps[GuidedRule::None]) > 1e-2);
        QVERIFY(!zeroMaps(maps[GuidedRule::ReluAndSilu]));
    }

    // ---- colour maps and overlays ----

    void colourLuts() {
        for (const auto map : colourMaps()) {
            const cv::Mat& lut = colourLut(map);
            QCOMPARE(lut.rows, 256);
            QCOMPARE(lut.cols, 1);
            QCOMPARE(lut.type(), CV_8UC3);
            cv::Mat ramp(256, 1, CV_8UC1);
            for (int i = 0; i < 256; ++i)
                ramp.at<uchar>(i) = static_cast<uchar>(i);
            cv::Mat bgr;
            if (map == ColourMap::Gray)
                cv::cvtColor(ramp, bgr, cv::COLOR_GRAY2BGR);
            else
                cv::applyColorMap(ramp, bgr,
                                  map == ColourMap::Jet     ? cv::COLORMAP_JET
                                  : map == ColourMap::Turbo ? cv::COLORMAP_TURBO
                                                            : cv::COLORMAP_VIRIDIS);
            for (int i = 0; i < 256; ++i) {
                const auto rgb = lut.at<cv::Vec3b>(i);
                const auto ocv = bgr.at<cv::Vec3b>(i);
                QVERIFY2(rgb[0] == ocv[2] && rgb[1] == ocv[1] && rgb[2] == ocv[0],
                         colourMapName(map).c_str());
            }
        }
        // jet runs from blue (low) to red (high) in RGB order
        QVERIFY(colourLut(ColourMap::Jet).at<cv::Vec3b>(0)[2] > 100 &&
                colourLut(ColourMap::Jet).at<cv::Vec3b>(0)[0] == 0);
        QVERIFY(colourLut(ColourMap::Jet).at<cv::Vec3b>(255)[0] > 100 &&
                colourLut(ColourMap::Jet).at<cv::Vec3b>(255)[2] == 0);
        QCOMPARE(int(colourIndex(0.5f)), 127);  // uint8(255 * 0.5) truncates
        QCOMPARE(int(colourIndex(-1.f)), 0);
        QCOMPARE(int(colourIndex(2.f)), 255);
        QCOMPARE(int(colourIndex(std::nanf(""))), 0);
        cv::Mat m(1, 3, CV_32FC1);
        m.at<float>(0) = 0.f;
        m.at<float>(1) = 0.5f;
        m.at<float>(2) = 1.f;
        const cv::Mat coloured = applyColourMap(m, ColourMap::Gray);
        QCOMPARE(coloured.type(), CV_8UC3);
        QCOMPARE(int(coloured.at<cv::Vec3b>(1)[0]), 127);
        QVERIFY_THROWS_EXCEPTION(Error, applyColourMap(cv::Mat(2, 2, CV_32FC3), ColourMap::Jet));
    }

    // show_cam_on_image(img, mask, use_rgb=True), written out independently in doubles.
    void overlayIsShowCamOnImage() {
        cv::Mat image(16, 20, CV_8UC3), mask(16, 20, CV_32FC1);
        cv::randu(image, 0, 256);
        cv::randu(mask, 0.f, 1.f);
        for (const double weight : {0.5, 0.3}) {
            const cv::Mat ours = overlay(image, mask, {.colourMap = ColourMap::Jet, .imageWeight = weight});
            QCOMPARE(ours.type(), CV_8UC3);
            std::vector<double> cam(16 * 20 * 3);
            double peak = 0.0;
            cv::Mat bgr, idx(16, 20, CV_8UC1);
            for (int r = 0; r < 16; ++r)
                for (int c = 0; c < 20; ++c)
                    idx.at<uchar>(r, c) = static_cast<uchar>(255.f * mask.at<float>(r, c));
            cv::applyColorMap(idx, bgr, cv::COLORMAP_JET);
            for (int r = 0; r < 16; ++r)
                for (int c = 0; c < 20; ++c)
                    for (int k = 0; k < 3; ++k) {
                        const double heat = bgr.at<cv::Vec3b>(r, c)[2 - k] / 255.0;  // BGR -> RGB
                        const double v = (1 - weight) * heat + weight * image.at<cv::Vec3b>(r, c)[k] / 255.0;
                        cam[static_cast<std::size_t>((r * 20 + c) * 3 + k)] = v;
                        peak = std::max(peak, v);
                    }
            int worst = 0;
            for (int r = 0; r < 16; ++r)
                for (int c = 0; c < 20; ++c)
                    for (int k = 0; k < 3; ++k) {
                        const int expected = static_cast<int>(
                            255.0 * cam[static_cast<std::size_t>((r * 20 + c) * 3 + k)] / peak);
                        worst = std::max(worst, std::abs(expected - ours.at<cv::Vec3b>(r, c)[k]));
                    }
            QVERIFY2(worst <= 1, qPrintable(QString("overlay differs by %1 levels").arg(worst)));
        }
        // a mask of another size is resized to the image; bad arguments are refused
        QCOMPARE(overlay(image, cv::Mat(4, 5, CV_32FC1, cv::Scalar(0.3))).size(), image.size());
        QVERIFY_THROWS_EXCEPTION(Error, overlay(image, mask, {.imageWeight = 1.5}));
        cv::Mat bright(16, 20, CV_32FC3, cv::Scalar(2, 2, 2));
        QVERIFY_THROWS_EXCEPTION(Error, overlay(bright, mask));
        QVERIFY_THROWS_EXCEPTION(Error, overlay(cv::Mat(), mask));
    }

    void guidedDisplays() {
        cv::Mat zero(8, 8, CV_32FC3, cv::Scalar(0, 0, 0));
        QCOMPARE(cv::norm(absMaxGradient(zero), cv::NORM_INF), 0.0);
        const cv::Mat gray = standardisedGradient(zero);
        QVERIFY(std::abs(cv::mean(gray)[0] - 0.5) < 1e-6);
        cv::Mat g(8, 8, CV_32FC3);
        cv::randn(g, 0.0, 1e-3);
        const cv::Mat a = absMaxGradient(g);
        double lo = 0, hi = 0;
        cv::minMaxLoc(a, &lo, &hi);
        QVERIFY(lo >= 0.0 && std::abs(hi - 1.0) < 1e-6);
        cv::minMaxLoc(standardisedGradient(g).reshape(1), &lo, &hi);
        QVERIFY(lo >= 0.0 && hi <= 1.0);
        const cv::Mat bytes = unitFloatToUint8(standardisedGradient(g));
        QCOMPARE(bytes.type(), CV_8UC3);
    }

    // ---- from images and a model card ----

    void explainImagesWithCard() {
        auto model = seededModel("cnn4", 91);
        models::ModelCard card;
        card.architecture = "cnn4";
        card.classes = {"healthy", "tumour"};
        card.inputSize = 64;
        card.targetLayer = "features.3";
        std::vector<cv::Mat> images;
        for (int i = 0; i < 2; ++i) {
            cv::Mat rgb(80, 100, CV_8UC3);
            cv::randu(rgb, 0, 256);
            images.push_back(rgb);
        }
        Explainer explainer(*model);
        const auto out = explainer.explain(images, card);
        QCOMPARE(out.size(), std::size_t(2));
        QCOMPARE(out[0].layer, std::string("features.3"));
        const auto& g = *out[0].find(Method::GradCam);
        QCOMPARE(g.map.rows, 64);
        QCOMPARE(g.map.cols, 64);
        QCOMPARE(g.raw.rows, 4);
        // the overlay goes back onto the original image size
        const cv::Mat shown = overlay(images[0], g.map);
        QCOMPARE(shown.size(), images[0].size());
    }

  private:
    static bool zeroMaps(const at::Tensor& t) { return t.abs().max().item<double>() == 0.0; }
};

QTEST_APPLESS_MAIN(TestSaliency)
#include "test_saliency.moc"
