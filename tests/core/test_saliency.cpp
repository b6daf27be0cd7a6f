// The saliency engine (DESIGN.md section 4): parity with pytorch-grad-cam's and Captum's
// conventions (tests/python/saliency_reference.py and saliency_extras_reference.py, run here with
// Debian's /usr/bin/python3 into a temporary directory), the CAM = Grad-CAM identity of a GAP +
// linear head, finite differences, pass counting, batches, empty maps, the guided rules, colour maps
// and overlays; the extras (Grad-CAM++, Score-CAM, LayerCAM, SmoothGrad, Integrated Gradients) and
// the model-randomisation sanity check.
#include <QtTest>

#include "PythonReference.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
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
#include "saliency/MapSimilarity.h"
#include "saliency/SanityStrip.h"
#include "saliency/Method.h"
#include "saliency/Normalise.h"
#include "saliency/Overlay.h"
#include "saliency/SanityCheck.h"
#include "saliency/SharedScale.h"

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

    // The reference resnet50 of saliency_reference.py (random weights, randomised BatchNorm statistics).
    models::Classifier referenceResnet50() {
        auto model = models::makeModel("resnet50", 2);
        const auto report = models::importTorchvisionWeights(*model, ref_ / "resnet50.weights.pt");
        if (!report.headLoaded)
            throw Error("the reference resnet50 did not load: " + report.summary());
        model->eval();
        return model;
    }

  private Q_SLOTS:
    void initTestCase() {
        models::configureTorchThreads();
        QVERIFY(dir_.isValid());
        ref_ = fs::path(dir_.path().toStdString());

        for (const char* script : {"saliency_reference.py", "saliency_extras_reference.py"}) {
            const test::PythonRun run = test::runPythonReference(script, {dir_.path()});
            QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
            qInfo("%s(%s: %.1f s; LibTorch threads: %d)", qPrintable(run.output), script, run.seconds,
                  at::get_num_threads());
        }
    }

    // ---- names ----

    void methodNames() {
        for (const auto m : allMethods())
            QCOMPARE(parseMethod(methodName(m)), std::optional<Method>(m));
        QCOMPARE(parseMethod("Grad-CAM"), std::optional<Method>(Method::GradCam));
        QCOMPARE(parseMethod("guided_backprop"), std::optional<Method>(Method::GuidedBackprop));
        for (const auto m : extraMethods()) {
            QCOMPARE(parseMethod(methodName(m)), std::optional<Method>(m));
            QCOMPARE(parseMethod(methodTitle(m)), std::optional<Method>(m));
        }
        QCOMPARE(parseMethod("gradcam++"), std::optional<Method>(Method::GradCamPlusPlus));
        QCOMPARE(parseMethod("GradCAMpp"), std::optional<Method>(Method::GradCamPlusPlus));
        QCOMPARE(parseMethod("Score-CAM"), std::optional<Method>(Method::ScoreCam));
        QCOMPARE(parseMethod("ig"), std::optional<Method>(Method::IntegratedGradients));
        QVERIFY(!parseMethod("gradcam+").has_value());
        QVERIFY(!parseMethod("smooth-grad?").has_value());
        QCOMPARE(parseMethods("all").size(), std::size_t(4));
        QCOMPARE(parseMethods("extras"), extraMethods());
        QCOMPARE(parseMethods("all,extras").size(), std::size_t(9));
        QCOMPARE(parseMethods("gradcam, cam,gradcam"), (std::vector<Method>{Method::GradCam, Method::Cam}));
        QCOMPARE(parseMethods("scorecam,gradcam++"),
                 (std::vector<Method>{Method::ScoreCam, Method::GradCamPlusPlus}));
        QVERIFY_THROWS_EXCEPTION(Error, parseMethods("cam,occlusion"));
        for (const auto m : {Method::SmoothGrad, Method::IntegratedGradients, Method::GuidedBackprop})
            QVERIFY(isChannelMap(m) && isInputAttribution(m));
        QVERIFY(isChannelMap(Method::GuidedGradCam) && !isInputAttribution(Method::GuidedGradCam));
        for (const auto m : {Method::GradCamPlusPlus, Method::ScoreCam, Method::LayerCam})
            QVERIFY(!isChannelMap(m) && !isInputAttribution(m));
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

    // ---- the extras: parity with the Python reference (resnet50) ----

    void parityGradCamPlusPlusAndLayerCam() {
        const auto ref = readReference(ref_ / "resnet50.extras.pt");
        auto model = referenceResnet50();
        Explainer explainer(*model);
        for (const std::string layer : {"layer4", "layer3"}) {
            ExplainOptions options;
            options.methods = {Method::GradCam, Method::GradCamPlusPlus, Method::LayerCam};
            options.layer = layer;
            options.targetClasses = {ref.at("target_" + layer)[0].item<std::int64_t>()};
            const auto batch = explainer.explainTensors(ref.at("input"), options);
            QCOMPARE(batch.passes.forwards, 1);  // Grad-CAM's pass serves all three
            QCOMPARE(batch.passes.backwards, 1);
            for (const auto& [method, key] : {std::pair{Method::GradCamPlusPlus, std::string("gradcampp")},
                                              std::pair{Method::LayerCam, std::string("layercam")}}) {
                const auto* m = batch.find(method);
                QVERIFY(m && m->available);
                QVERIFY(!m->empty[0]);
                const double raw = relativeError(m->raw, ref.at(key + "_raw_" + layer));
                const double map = maxAbs(m->maps, ref.at(key + "_" + layer));
                qInfo("resnet50 %s parity at %s: raw %.1e relative, map %.1e absolute",
                      methodTitle(method).c_str(), layer.c_str(), raw, map);
                QVERIFY2(raw < 1e-4, key.c_str());
                QVERIFY2(map < 1e-4, key.c_str());
            }
        }
        // Next to the four seed maps at the default layer: still one forward and one backward, and
        // the shared guided pass gives the same maps as the plain one.
        ExplainOptions everything;
        everything.methods = allMethods();
        everything.methods.push_back(Method::GradCamPlusPlus);
        everything.methods.push_back(Method::LayerCam);
        everything.targetClasses = {ref.at("target_layer4")[0].item<std::int64_t>()};
        const auto all = explainer.explainTensors(ref.at("input"), everything);
        QCOMPARE(all.passes.forwards, 1);
        QCOMPARE(all.passes.backwards, 1);
        QVERIFY(maxAbs(all.maps(Method::GradCamPlusPlus), ref.at("gradcampp_layer4")) < 1e-4);
        QVERIFY(maxAbs(all.maps(Method::LayerCam), ref.at("layercam_layer4")) < 1e-4);
    }

    void parityScoreCam() {
        const auto ref = readReference(ref_ / "resnet50.extras.pt");
        auto model = referenceResnet50();
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = {Method::ScoreCam};
        options.layer = "layer1";  // 256 channels: 256 masked forwards (see saliency_extras_reference.py)
        options.targetClasses = {ref.at("scorecam_target")[0].item<std::int64_t>()};
        options.scoreCam.batchSize = 16;
        const auto batch = explainer.explainTensors(ref.at("scorecam_input"), options);
        QCOMPARE(batch.passes.forwards, 1 + 256 / 16);  // A, then the masked inputs
        QCOMPARE(batch.passes.backwards, 0);
        const auto* m = batch.find(Method::ScoreCam);
        QVERIFY(m && m->available && !m->empty[0]);
        const double raw = relativeError(m->raw, ref.at("scorecam_raw"));
        const double map = maxAbs(m->maps, ref.at("scorecam"));
        qInfo("resnet50 Score-CAM parity at layer1 (32x32 input): raw %.1e relative, map %.1e absolute", raw,
              map);
        QVERIFY(raw < 1e-4);
        QVERIFY(map < 1e-4);
    }

    void parityIntegratedGradients() {
        const auto ref = readReference(ref_ / "resnet50.extras.pt");
        auto model = referenceResnet50();
        Explainer explainer(*model);
        const double gap = (ref.at("ig_logit_input") - ref.at("ig_logit_baseline")).item<double>();
        for (const auto& [rule, key] : {std::pair{IntegrationRule::Trapezoid, "ig_trapezoid"},
                                        std::pair{IntegrationRule::RightSum, "ig_right"}}) {
            ExplainOptions options;
            options.methods = {Method::IntegratedGradients};
            options.targetClasses = {ref.at("ig_target")[0].item<std::int64_t>()};
            options.integratedGradients.steps = 16;
            options.integratedGradients.rule = rule;
            const auto batch = explainer.explainTensors(ref.at("input"), options);
            const auto* m = batch.find(Method::IntegratedGradients);
            QVERIFY(m && m->available && !m->empty[0]);
            const double error = relativeError(m->maps, ref.at(key));
            const double expectedDelta = ref.at(key).sum().item<double>() - gap;
            const double delta = m->convergenceDelta.at(0);
            qInfo(
                "resnet50 Integrated Gradients (%s, 16 steps) parity: %.1e relative; delta %.4g (Python "
                "%.4g), "
                "y(x) - y(0) = %.4g",
                integrationRuleName(rule), error, delta, expectedDelta, gap);
            QVERIFY2(error < 1e-4, key);
            QVERIFY(std::abs(delta - expectedDelta) < 1e-3 * (1.0 + std::abs(gap)));
            // The trapezoid's end points include x and x' themselves; the right sum needs x' once more.
            QCOMPARE(batch.passes.forwards, rule == IntegrationRule::Trapezoid ? 1 + 2 : 1 + 1 + 1);
        }
    }

    // ---- Integrated Gradients: completeness ----

    // sum_i IG_i(x) = y_c(x) - y_c(x') for the exact integral; the Riemann sums approach it as the
    // steps grow (cnn4 in double precision, zero and black-like baselines).
    void integratedGradientsCompleteness() {
        auto model = seededModel("cnn4", 101);
        model->to(at::kDouble);
        at::manual_seed(102);
        const auto input = at::randn({2, 3, 32, 32}, at::kDouble);
        Explainer explainer(*model);
        for (const double level : {0.0, -2.0}) {
            const auto baseline = at::full({1, 3, 1, 1}, level, at::kDouble);
            at::Tensor gap;
            {
                torch::NoGradGuard noGrad;
                gap = (model->logits(input) - model->logits(baseline.expand_as(input))).select(1, 1);
            }
            std::vector<double> errors;
            for (const int steps : {4, 16, 64, 256}) {
                ExplainOptions options;
                options.methods = {Method::IntegratedGradients};
                options.targetClasses = {1};
                options.integratedGradients.steps = steps;
                options.integratedGradients.baseline = baseline;
                options.integratedGradients.batchSize = 64;
                const auto batch = explainer.explainTensors(input, options);
                const auto sums = batch.maps(Method::IntegratedGradients).reshape({2, -1}).sum(1);
                const auto delta = batch.find(Method::IntegratedGradients)->convergenceDelta;
                double worst = 0.0;
                for (int i = 0; i < 2; ++i) {
                    const double g = gap[i].item<double>();
                    QVERIFY(std::abs(delta[static_cast<std::size_t>(i)] - (sums[i].item<double>() - g)) <
                            1e-9);
                    worst = std::max(worst, std::abs(delta[static_cast<std::size_t>(i)]) / std::abs(g));
                }
                errors.push_back(worst);
            }
            qInfo(
                "cnn4 IG completeness, baseline %g: |sum - (y(x) - y(x'))| / |y(x) - y(x')| = %.1e, %.1e, "
                "%.1e, "
                "%.1e at 4, 16, 64, 256 steps",
                level, errors[0], errors[1], errors[2], errors[3]);
            QVERIFY(errors[3] < errors[0]);
            QVERIFY(errors[3] < 1e-2);
        }
        // The batch size changes how the steps are grouped, not the result.
        ExplainOptions one, many;
        one.methods = many.methods = {Method::IntegratedGradients};
        one.integratedGradients.steps = many.integratedGradients.steps = 5;
        one.integratedGradients.batchSize = 1;
        many.integratedGradients.batchSize = 100;
        const auto a = explainer.explainTensors(input, one);
        const auto b = explainer.explainTensors(input, many);
        QVERIFY(relativeError(a.maps(Method::IntegratedGradients), b.maps(Method::IntegratedGradients)) <
                1e-12);
        QCOMPARE(a.passes.backwards, 6);  // 6 points, one per pass (both images in it: never fewer)
        QCOMPARE(b.passes.backwards, 1);
    }

    // ---- SmoothGrad ----

    void smoothGradIsTheMeanOverItsNoise() {
        auto model = seededModel("cnn4", 111);
        at::manual_seed(112);
        const auto input = at::randn({2, 3, 32, 32});
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = {Method::SmoothGrad};
        options.targetClasses = {1};
        options.smoothGrad.samples = 5;
        options.smoothGrad.noiseLevel = 0.2;
        options.smoothGrad.seed = 7;
        options.smoothGrad.batchSize = 3;
        const auto sigma = smoothGradSigma(input, 0.2);

        // The mean of the base method over the documented noise: the s-th at::randn({1,3,H,W}) of a
        // generator seeded with `seed`, times sigma per image.
        auto expected = [&](SmoothGradBase base) {
            auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
            auto sum = at::zeros_like(input);
            for (int s = 0; s < 5; ++s) {
                const auto noisy = input + at::randn({1, 3, 32, 32}, generator, at::kFloat) * sigma;
                ExplainOptions o;
                o.targetClasses = {1};
                if (base == SmoothGradBase::IntegratedGradients) {
                    o.methods = {Method::IntegratedGradients};
                    o.integratedGradients.steps = 3;
                    sum += explainer.explainTensors(noisy, o).maps(Method::IntegratedGradients);
                } else {
                    o.methods = {Method::GuidedBackprop};
                    o.guidedRule =
                        base == SmoothGradBase::Gradient ? GuidedRule::None : GuidedRule::ReluAndSilu;
                    sum += explainer.explainTensors(noisy, o).maps(Method::GuidedBackprop);
                }
            }
            return sum / 5;
        };
        for (const auto base : {SmoothGradBase::Gradient, SmoothGradBase::GuidedBackprop,
                                SmoothGradBase::IntegratedGradients}) {
            options.smoothGrad.base = base;
            options.integratedGradients.steps = 3;
            const auto batch = explainer.explainTensors(input, options);
            const double error = relativeError(batch.maps(Method::SmoothGrad), expected(base));
            qInfo("SmoothGrad over %s: %.1e relative from the mean over the same noise",
                  smoothGradBaseName(base), error);
            QVERIFY(error < 1e-5);
            QVERIFY(!batch.find(Method::SmoothGrad)->empty[0]);
            QVERIFY(!anyGuided(*model));
            if (base !=
                SmoothGradBase::IntegratedGradients)  // 5 samples of 2 images, 3 rows per pass: 1 sample
                QCOMPARE(batch.passes.backwards, 5);
        }

        // Reproducible; another seed gives another map; the global random state is left alone.
        options.smoothGrad.base = SmoothGradBase::Gradient;
        at::manual_seed(113);
        const auto next = at::randn({4});
        at::manual_seed(113);
        const auto first = explainer.explainTensors(input, options).maps(Method::SmoothGrad);
        QCOMPARE(maxAbs(at::randn({4}), next), 0.0);
        QCOMPARE(maxAbs(explainer.explainTensors(input, options).maps(Method::SmoothGrad), first), 0.0);
        options.smoothGrad.seed = 8;
        QVERIFY(relativeError(explainer.explainTensors(input, options).maps(Method::SmoothGrad), first) >
                1e-3);
        options.smoothGrad.seed = 7;

        // An image's map does not depend on the batch it comes in, nor on the batch size.
        const auto alone = explainer.explainTensors(input[1].unsqueeze(0), options).maps(Method::SmoothGrad);
        QVERIFY(relativeError(alone[0], first[1]) < 1e-5);
        options.smoothGrad.batchSize = 64;
        QVERIFY(relativeError(explainer.explainTensors(input, options).maps(Method::SmoothGrad), first) <
                1e-5);

        // No noise: the plain gradient.
        options.smoothGrad.noiseLevel = 0.0;
        options.smoothGrad.samples = 2;
        ExplainOptions plain;
        plain.methods = {Method::GuidedBackprop};
        plain.guidedRule = GuidedRule::None;
        plain.targetClasses = {1};
        QVERIFY(relativeError(explainer.explainTensors(input, options).maps(Method::SmoothGrad),
                              explainer.explainTensors(input, plain).maps(Method::GuidedBackprop)) < 1e-6);
    }

    // ---- the extras on a batch, their passes and layouts ----

    void extrasBatchEqualsOneByOne() {
        auto model = seededModel("cnn4", 131);
        at::manual_seed(132);
        const auto input = at::randn({3, 3, 64, 64});
        Explainer explainer(*model);
        ExplainOptions options;
        options.methods = extraMethods();
        options.smoothGrad.samples = 3;
        options.integratedGradients.steps = 4;
        options.scoreCam.batchSize = 50;
        const auto batch = explainer.explainTensors(input, options);
        for (std::int64_t i = 0; i < 3; ++i) {
            ExplainOptions o = options;
            o.targetClasses = {batch.target[i].item<std::int64_t>()};
            const auto one = explainer.explainTensors(input[i].unsqueeze(0), o);
            for (const auto m : extraMethods()) {
                const auto a = batch.maps(m)[i], b = one.maps(m)[0];
                const double error = isChannelMap(m) ? relativeError(a, b) : maxAbs(a, b);
                QVERIFY2(error < 1e-5, qPrintable(QString("%1, image %2: %3")
                                                      .arg(QString::fromStdString(methodName(m)))
                                                      .arg(i)
                                                      .arg(error)));
            }
        }
        // Score-CAM's batch size only groups the masked inputs.
        ExplainOptions small = options;
        small.methods = {Method::ScoreCam};
        small.scoreCam.batchSize = 7;
        const auto grouped = explainer.explainTensors(input, small);
        QVERIFY(maxAbs(grouped.maps(Method::ScoreCam), batch.maps(Method::ScoreCam)) < 1e-5);
        QCOMPARE(grouped.passes.forwards, 1 + (3 * 128 + 6) / 7);

        const auto images = batch.images();
        for (const auto& image : images) {
            QCOMPARE(image.maps.size(), std::size_t(5));
            for (const auto& map : image.maps) {
                QVERIFY2(map.available && !map.empty, methodName(map.method).c_str());
                QCOMPARE(map.map.rows, 64);
                QCOMPARE(map.map.type(), isChannelMap(map.method) ? CV_32FC3 : CV_32FC1);
                QCOMPARE(map.layer, std::string(isInputAttribution(map.method) ? "input" : "features.3"));
                QCOMPARE(map.raw.empty(), isChannelMap(map.method));
                QCOMPARE(map.convergenceDelta.has_value(), map.method == Method::IntegratedGradients);
            }
        }
    }

    void passesOfTheExtras() {
        auto model = seededModel("cnn4", 141);
        model->train();
        at::manual_seed(142);
        const auto input = at::randn({2, 3, 32, 32});
        Explainer explainer(*model);
        auto run = [&](const std::vector<Method>& methods, auto&& configure) {
            ExplainOptions options;
            options.methods = methods;
            configure(options);
            return explainer.explainTensors(input, options).passes;
        };
        auto none = [](ExplainOptions&) {};
        auto p = run({Method::GradCamPlusPlus, Method::LayerCam}, none);
        QVERIFY(p.forwards == 1 && p.backwards == 1 && p.guidedForwards == 0);
        auto all = allMethods();
        all.insert(all.end(), {Method::GradCamPlusPlus, Method::LayerCam});
        p = run(all, none);
        QVERIFY(p.forwards == 1 && p.backwards == 1 && p.guidedForwards == 1);
        p = run({Method::ScoreCam}, [](ExplainOptions& o) { o.scoreCam.batchSize = 16; });
        QVERIFY(p.forwards == 1 + 2 * 128 / 16 && p.backwards == 0);  // features.3: 128 channels
        p = run({Method::SmoothGrad}, [](ExplainOptions& o) {
            o.smoothGrad.samples = 5;
            o.smoothGrad.batchSize = 4;  // 2 samples of 2 images per pass
        });
        QVERIFY(p.forwards == 1 + 3 && p.backwards == 3);
        p = run({Method::IntegratedGradients}, [](ExplainOptions& o) {
            o.integratedGradients.steps = 7;  // 8 points
            o.integratedGradients.batchSize = 4;
        });
        QVERIFY(p.forwards == 1 + 4 && p.backwards == 4);
        p = run({Method::IntegratedGradients}, [](ExplainOptions& o) {
            o.integratedGradients.steps = 7;  // 7 points, and the baseline once more
            o.integratedGradients.batchSize = 4;
            o.integratedGradients.rule = IntegrationRule::RightSum;
        });
        QVERIFY(p.forwards == 1 + 4 + 1 && p.backwards == 4);
        QVERIFY(model->is_training());
        QVERIFY(!anyGuided(*model));

        // Bad options are refused, and the model's state still comes back.
        ExplainOptions bad;
        bad.methods = {Method::GuidedBackprop, Method::SmoothGrad};
        bad.smoothGrad.base = SmoothGradBase::GuidedBackprop;
        bad.smoothGrad.samples = 0;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(input, bad));
        bad.methods = {Method::IntegratedGradients};
        bad.integratedGradients.steps = 0;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(input, bad));
        bad.integratedGradients.steps = 2;
        bad.integratedGradients.baseline = at::zeros({5});
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(input, bad));
        bad.methods = {Method::ScoreCam};
        bad.scoreCam.batchSize = 0;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.explainTensors(input, bad));
        QVERIFY(model->is_training());
        QVERIFY(!anyGuided(*model));
    }

    // ---- the model-randomisation sanity check ----

    void mapSimilarity() {
        cv::Mat a(24, 20, CV_32FC1), noise(24, 20, CV_32FC1);
        cv::randu(a, 0.f, 1.f);
        cv::randu(noise, 0.f, 1.f);
        cv::Mat monotone, reversed;
        cv::exp(a * 3, monotone);
        reversed = 1 - a;
        QVERIFY(std::abs(spearmanCorrelation(a, a) - 1.0) < 1e-12);
        QVERIFY(std::abs(spearmanCorrelation(a, monotone) - 1.0) < 1e-12);
        QVERIFY(std::abs(spearmanCorrelation(a, reversed) + 1.0) < 1e-12);
        QVERIFY(std::abs(spearmanCorrelation(a, noise)) < 0.3);
        // Ties take their average rank: ranks (1, 2.5, 2.5, 4) and (1, 3, 2, 4) -> 4.5 / sqrt(4.5 * 5).
        const cv::Mat tied = (cv::Mat_<float>(1, 4) << 1, 2, 2, 3);
        const cv::Mat other = (cv::Mat_<float>(1, 4) << 1, 3, 2, 4);
        QVERIFY(std::abs(spearmanCorrelation(tied, other) - 4.5 / std::sqrt(22.5)) < 1e-12);
        QVERIFY(std::isnan(spearmanCorrelation(a, cv::Mat(24, 20, CV_32FC1, cv::Scalar(0.5)))));

        QVERIFY(std::abs(structuralSimilarity(a, a) - 1.0) < 1e-12);
        QVERIFY(std::abs(structuralSimilarity(a, noise) - structuralSimilarity(noise, a)) < 1e-12);
        QVERIFY(structuralSimilarity(a, noise) < 0.3);
        // Two constant maps: only the luminance term is left, (2 u v + C1) / (u^2 + v^2 + C1).
        const double c1 = 1e-4;
        const double constants = structuralSimilarity(cv::Mat(16, 16, CV_32FC1, cv::Scalar(0.2)),
                                                      cv::Mat(16, 16, CV_32FC1, cv::Scalar(0.6)));
        QVERIFY(std::abs(constants - (2 * 0.2 * 0.6 + c1) / (0.04 + 0.36 + c1)) < 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 structuralSimilarity(cv::Mat(8, 30, CV_32FC1), cv::Mat(8, 30, CV_32FC1)));
        QVERIFY_THROWS_EXCEPTION(Error, spearmanCorrelation(a, cv::Mat(3, 3, CV_32FC1)));
    }

    void randomisationBlocksCoverEveryParameter() {
        const std::map<std::string, std::vector<std::string>> expected = {
            {"cnn4", {"classifier.1", "features.3", "features.2", "features.1", "features.0"}},
            {"resnet50", {"fc", "layer4", "layer3", "layer2", "layer1", "conv1, bn1"}},
        };
        for (const std::string arch : {"cnn4", "resnet50", "efficientnet-b0"}) {
            auto model = seededModel(arch, 151);
            const auto blocks = randomisationBlocks(*model);
            std::vector<std::string> names;
            std::set<std::string> seen;
            std::size_t count = 0;
            for (const auto& b : blocks) {
                names.push_back(b.name);
                count += b.parameters.size();
                seen.insert(b.parameters.begin(), b.parameters.end());
            }
            QCOMPARE(count, model->named_parameters().size());  // every parameter, once
            QCOMPARE(seen.size(), count);
            QCOMPARE(names.front(), model->headName());
            if (expected.count(arch))
                QCOMPARE(names, expected.at(arch));
            else
                QCOMPARE(names.size(), std::size_t(1 + 9));  // classifier.1, features.8 .. features.0
        }
    }

    // The random-logit test (Sixt et al. 2020): each image's maps for another class than the one
    // explained, compared as the randomisation check compares (the maps explained here directly).
    void randomLogitComparesWithAnotherClass() {
        for (const int classes : {2, 3}) {
            models::ModelOptions modelOptions;
            modelOptions.seed = 31;
            modelOptions.numClasses = classes;
            auto model = models::makeModel("cnn4", modelOptions);
            model->eval();
            at::manual_seed(32);
            const auto input = at::randn({3, 3, 64, 64});
            SanityCheckOptions options;
            options.seed = 9;
            const auto result = randomLogitCheck(*model, input, options);
            QCOMPARE(result.otherClasses.size(), std::size_t(3));
            QCOMPARE(result.methods.size(), std::size_t(4));
            Explainer explainer(*model);
            ExplainOptions mine;
            mine.targetClasses = result.otherClasses;
            const auto explained = explainer.explainTensors(input, {}).images();
            const auto other = explainer.explainTensors(input, mine).images();
            for (std::size_t i = 0; i < 3; ++i) {
                const std::int64_t target = result.original.target[static_cast<std::int64_t>(i)].item<std::int64_t>();
                QVERIFY(result.otherClasses[i] != target);
                QVERIFY(result.otherClasses[i] >= 0 && result.otherClasses[i] < classes);
                if (classes == 2)
                    QCOMPARE(result.otherClasses[i], 1 - target);
                for (const auto& m : result.methods) {
                    const cv::Mat a = comparedMap(*explained[i].find(m.method));
                    const cv::Mat b = comparedMap(*other[i].find(m.method));
                    QCOMPARE(m.ssim[i], structuralSimilarity(a, b));
                    const double r = spearmanCorrelation(a, b);
                    QVERIFY(std::isnan(r) ? std::isnan(m.spearman[i]) : m.spearman[i] == r);
                }
            }
        }
        models::ModelOptions one;
        one.numClasses = 1;
        QVERIFY_THROWS_EXCEPTION(Error, randomLogitCheck(*models::makeModel("cnn4", one), at::zeros({1, 3, 64, 64})));
    }

    void sanityCheckRandomisesACopy() {
        auto model = referenceResnet50();
        model->train();  // restored untouched: the check works on a copy
        std::map<std::string, at::Tensor> before;
        for (const auto& p : model->named_parameters())
            before[p.key()] = p.value().detach().clone();
        for (const auto& b : model->named_buffers())
            before["buffer " + b.key()] = b.value().detach().clone();
        at::manual_seed(161);
        const auto input = at::randn({2, 3, 128, 128});  // layer4: 4x4
        at::manual_seed(162);
        const auto next = at::randn({3});
        at::manual_seed(162);

        SanityCheckOptions options;  // all four methods, cascading
        options.seed = 5;
        const auto result = modelRandomisationCheck(*model, input, options);
        QCOMPARE(maxAbs(at::randn({3}), next), 0.0);  // the global random state is left alone

        QVERIFY(model->is_training());
        QVERIFY(!anyGuided(*model));
        for (const auto& p : model->named_parameters())
            QVERIFY2(at::equal(p.value(), before.at(p.key())), p.key().c_str());
        for (const auto& b : model->named_buffers())
            QVERIFY2(at::equal(b.value(), before.at("buffer " + b.key())), b.key().c_str());

        QCOMPARE(result.stages.size(), std::size_t(6));
        QCOMPARE(result.stages.front().name, std::string("fc"));
        QCOMPARE(result.stages.back().name, std::string("conv1, bn1"));
        for (const auto& stage : result.stages) {
            QCOMPARE(stage.methods.size(), std::size_t(4));
            QString line = QString::fromStdString(stage.name) + ":";
            for (const auto& m : stage.methods) {
                QCOMPARE(m.spearman.size(), std::size_t(2));
                line += QString(" %1 %2 / %3;")
                            .arg(QString::fromStdString(methodName(m.method)))
                            .arg(m.meanSpearman(), 0, 'f', 2)
                            .arg(m.meanSsim(), 0, 'f', 2);
            }
            qInfo("cascade %s", qPrintable(line));
            QCOMPARE(stage.explanation.target[0].item<std::int64_t>(),
                     result.original.target[0].item<std::int64_t>());
        }
        // The maps decorrelate along the cascade; Grad-CAM keeps nothing of the original's.
        for (const auto m : allMethods()) {
            const auto* first = result.stages.front().find(m);
            const auto* final = result.stages.back().find(m);
            QVERIFY(first && final);
            QVERIFY2(final->meanSpearman() < first->meanSpearman(), methodName(m).c_str());
            QVERIFY2(final->meanSsim() < first->meanSsim(), methodName(m).c_str());
        }
        const double gradCam = result.stages.back().find(Method::GradCam)->meanSpearman();
        QVERIFY2(gradCam < 0.5, qPrintable(QString::number(gradCam)));

        // Independent randomisation (one block at a time) and another seed also leave the model alone.
        options.cascading = false;
        options.explain.methods = {Method::GradCam};
        const auto independent = modelRandomisationCheck(*model, input, options);
        QCOMPARE(independent.stages.size(), std::size_t(6));
        for (const auto& p : model->named_parameters())
            QVERIFY(at::equal(p.value(), before.at(p.key())));
        // Deterministic: the same seed gives the same figures.
        const auto again = modelRandomisationCheck(*model, input, options);
        for (std::size_t i = 0; i < again.stages.size(); ++i)
            QCOMPARE(again.stages[i].methods[0].ssim, independent.stages[i].methods[0].ssim);
    }

    // ---- the shared colour scale (SharedScale.h), by hand ----

    void sharedScaleTakesMapsBackToTheirMagnitude() {
        // Grad-CAM-like: raw 2 x 2 before the ReLU, shown at 4 x 4. ReLU -> [[0, 2], [4, 0]]; bilinear
        // with half-pixel centres samples the source at (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25,
        // clamped to 0, 0.25, 0.75, 1: corners 0, 2, 4, 0 and at (1,1) 0.75 * 0.25 * 2 + 0.25 * 0.75 * 4.
        SaliencyMap cam{.method = Method::GradCam};
        cam.raw = (cv::Mat_<float>(2, 2) << -1, 2, 4, 0);
        cam.map = cv::Mat(4, 4, CV_32FC1, cv::Scalar(0.5));
        const cv::Mat magnitude = magnitudeMap(cam);
        QCOMPARE(magnitude.at<float>(0, 0), 0.f);
        QCOMPARE(magnitude.at<float>(0, 3), 2.f);
        QCOMPARE(magnitude.at<float>(3, 0), 4.f);
        QVERIFY(std::abs(magnitude.at<float>(1, 1) - 1.125f) < 1e-6f);
        QCOMPARE(magnitudePeak(cam), 4.0);
        // A gradient: max over channels of |g|: (3, 2).
        SaliencyMap guided{.method = Method::GuidedBackprop};
        guided.map = cv::Mat(1, 2, CV_32FC3);
        guided.map.at<cv::Vec3f>(0, 0) = {-3.f, 1.f, 0.f};
        guided.map.at<cv::Vec3f>(0, 1) = {0.5f, -0.2f, 2.f};
        QCOMPARE(magnitudePeak(guided), 3.0);
        QCOMPARE(sharedPeak({&cam, &guided, nullptr}), 4.0);
        const cv::Mat shown = onSharedScale(guided, 6.0);
        QVERIFY(std::abs(shown.at<float>(0, 0) - 0.5f) < 1e-7f);
        QVERIFY(std::abs(shown.at<float>(0, 1) - 2.f / 6.f) < 1e-7f);
        QCOMPARE(onSharedScale(cam, 2.0).at<float>(3, 0), 1.f);  // clamped at the top
        // No raw values, or no peak: the map's own [0,1] map.
        SaliencyMap plain{.method = Method::Cam};
        plain.map = cv::Mat(3, 3, CV_32FC1, cv::Scalar(0.25));
        QVERIFY(magnitudeMap(plain).empty());
        QCOMPARE(onSharedScale(plain, 1.0).at<float>(1, 1), 0.25f);
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
