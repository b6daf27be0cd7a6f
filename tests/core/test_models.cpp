// The model zoo: architectures laid out as torchvision's (names, shapes, numerics), the common
// head, target-layer feature maps, guided activations, weight import and its errors.
// Parity references come from tests/python/make_reference_models.py, run here with Debian's
// /usr/bin/python3 (python3-torch, python3-torchvision) into a temporary directory.
#include <QtTest>

#include "PythonReference.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/modules/conv.h>

#include "common/Error.h"
#include "models/Cnn4.h"
#include "models/EfficientNet.h"
#include "models/GuidedActivation.h"
#include "models/ModelZoo.h"
#include "models/ResNet50.h"
#include "models/StochasticDepth.h"
#include "models/TensorFile.h"
#include "models/TorchThreads.h"
#include "models/Vgg16.h"
#include "models/WeightImport.h"

using namespace saliency;
using namespace saliency::models;
namespace fs = std::filesystem;

namespace {

using saliency::test::kPython;

double relativeError(const at::Tensor& actual, const at::Tensor& expected) {
    const double scale = expected.abs().max().item<double>();
    return (actual.to(at::kDouble) - expected.to(at::kDouble)).abs().max().item<double>() /
           std::max(scale, 1e-12);
}

// Calls `f`, which must throw FileError whose message contains every one of `parts`.
void expectFileError(const std::function<void()>& f, const std::vector<std::string>& parts,
                     const char* what) {
    try {
        f();
    } catch (const FileError& e) {
        const std::string message = e.what();
        for (const auto& part : parts)
            QVERIFY2(
                message.find(part) != std::string::npos,
                qPrintable(QString("%1: message \"%2\" lacks \"%3\"")
                               .arg(what, QString::fromStdString(message), QString::fromStdString(part))));
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("%1: threw something other than FileError: %2").arg(what, e.what())));
    }
    QFAIL(qPrintable(QString("%1: did not throw").arg(what)));
}

std::string headPrefixOf(const std::string& arch) {
    return arch == "resnet50" ? "fc." : "classifier.";
}

}  // namespace

class TestModels : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    fs::path ref_;

    fs::path ref(const std::string& name) const { return ref_ / name; }

  private Q_SLOTS:
    void initTestCase() {
        // One intra-op thread: these small tensors gain little from more, and under `ctest -j` on a
        // busy machine OpenMP's spinning threads make a 20 s suite take minutes.
        configureTorchThreads(1);
        QVERIFY(dir_.isValid());
        ref_ = fs::path(dir_.path().toStdString());

        const test::PythonRun run = test::runPythonReference("make_reference_models.py", {dir_.path()});
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        qInfo("%s(%.1f s; LibTorch threads: %d)", qPrintable(run.output), run.seconds, at::get_num_threads());
    }

    // ---- the zoo ----

    void architecturesAreListed() {
        const std::vector<std::string> expected{"cnn4",
                                                "vgg16",
                                                "resnet50",
                                                "efficientnet-b0",
                                                "efficientnet-b1",
                                                "efficientnet-b2",
                                                "efficientnet-b3",
                                                "efficientnet-b4",
                                                "efficientnet-b5",
                                                "efficientnet-b6",
                                                "efficientnet-b7"};
        QCOMPARE(architectures(), expected);
        QCOMPARE(canonicalArchitecture("EfficientNet_B3").value_or(""), std::string("efficientnet-b3"));
        QVERIFY(!canonicalArchitecture("resnet18"));
        try {
            makeModel("resnet18");
            QFAIL("an unknown architecture was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("resnet18") != std::string::npos);
            QVERIFY(std::string(e.what()).find("efficientnet-b7") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, makeModel("cnn4", 0));
    }

    void factoryBuildsEachSmallModelWithItsHead() {
        for (const std::string arch : {"cnn4", "vgg16", "resnet50", "efficientnet-b0"}) {
            ModelOptions options;
            options.numClasses = 3;
            options.seed = 1;
            auto model = makeModel(arch, options);
            QCOMPARE(model->architecture(), arch);
            QCOMPARE(model->numClasses(), std::int64_t{3});
            QCOMPARE(model->classifierWeight().size(0), std::int64_t{3});
            QCOMPARE(model->classifierWeight().size(1), model->featureChannels());
            QVERIFY(model->hasTargetLayer(model->defaultTargetLayer()));
            QCOMPARE(model->targetLayers().back(), model->defaultTargetLayer());
            model->eval();
            torch::NoGradGuard noGrad;
            const auto out = model->forward(at::randn({2, 3, 32, 32}));
            QCOMPARE(out.logits.sizes(), (at::IntArrayRef{2, 3}));
            QCOMPARE(out.layer, model->defaultTargetLayer());
            QCOMPARE(out.features.size(1), model->featureChannels());
        }
        // the same seed gives the same weights
        ModelOptions seeded;
        seeded.seed = 42;
        auto a = makeModel("cnn4", seeded), b = makeModel("cnn4", seeded);
        QVERIFY(a->classifierWeight().equal(b->classifierWeight()));
    }

    void cnn4HasAbout97kParameters() {
        auto model = makeModel("cnn4", 2);
        QCOMPARE(model->parameterCount(), std::int64_t{97938});  // the seed's Keras CNN: 97,458
        std::vector<std::string> names;
        for (const auto& p : model->named_parameters())
            names.push_back(p.key());
        QVERIFY(std::find(names.begin(), names.end(), "features.3.0.weight") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "classifier.1.weight") != names.end());
    }

    // Names and shapes of parameters and buffers equal torchvision's, the head aside.
    void namesAndShapesMatchTorchvision() {
        std::ifstream in(ref("structure.tsv"));
        QVERIFY(in);
        std::map<std::string, std::map<std::string, std::string>> expected;  // arch -> name -> shape
        std::string arch, name, shape;
        while (std::getline(in, arch, '\t') && std::getline(in, name, '\t') && std::getline(in, shape))
            if (name.rfind(headPrefixOf(arch), 0) != 0)
                expected[arch][name] = shape;
        QCOMPARE(expected.size(), std::size_t{10});
        for (const auto& [a, names] : expected) {
            auto model = makeModel(a, 2);
            std::map<std::string, std::string> actual;
            for (const auto& [n, t] : stateDict(*model)) {
                if (model->isHeadParameter(n))
                    continue;
                std::string s;
                for (std::int64_t i = 0; i < t.dim(); ++i) {
                    if (i)
                        s += ',';
                    s += std::to_string(t.size(i));
                }
                actual[n] = s;
            }
            for (const auto& [n, s] : names) {
                const auto it = actual.find(n);
                QVERIFY2(it != actual.end(), qPrintable(QString::fromStdString(a + ": no " + n)));
                QVERIFY2(it->second == s,
                         qPrintable(QString::fromStdString(a + ": " + n + " is [" + it->second +
                                                           "], torchvision [" + s + "]")));
            }
            for (const auto& [n, s] : actual)
                QVERIFY2(names.count(n), qPrintable(QString::fromStdString(a + ": extra " + n)));
        }
    }

    // ---- numerical parity with torchvision ----

    void parity_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("file");
        QTest::newRow("resnet50") << "resnet50"
                                  << "resnet50";
        QTest::newRow("vgg16") << "vgg16"
                               << "vgg16";
        QTest::newRow("efficientnet-b0") << "efficientnet-b0"
                                         << "efficientnet_b0";
        QTest::newRow("efficientnet-b7") << "efficientnet-b7"
                                         << "efficientnet_b7";
    }

    void parity() {
        QFETCH(QString, arch);
        QFETCH(QString, file);
        auto model = makeModel(arch.toStdString(), 2);
        const auto report = importTorchvisionWeights(*model, ref(file.toStdString() + ".weights.pt"));
        QVERIFY2(report.backboneComplete() && report.headLoaded, report.summary().c_str());
        QVERIFY(report.ignored.empty());
        QCOMPARE(report.loaded.size(), stateDict(*model).size());

        std::map<std::string, at::Tensor> io;
        for (auto& [n, t] : readTensorDict(ref(file.toStdString() + ".io.pt")))
            io[n] = t;
        model->eval();
        torch::NoGradGuard noGrad;
        const auto out = model->forward(io.at("input"));
        const double logitError = relativeError(out.logits, io.at("logits"));
        const double featureError = relativeError(out.features, io.at("features"));
        qInfo("%s: logits (%.6g, %.6g), max relative error %.2e; %s %s, max relative error %.2e",
              qPrintable(arch), out.logits[0][0].item<double>(), out.logits[0][1].item<double>(), logitError,
              out.layer.c_str(), shapeString(out.features).c_str(), featureError);
        QCOMPARE(out.features.sizes(), io.at("features").sizes());
        QVERIFY2(logitError < 1e-4, qPrintable(QString("logits differ: %1").arg(logitError)));
        QVERIFY2(featureError < 1e-4, qPrintable(QString("feature map differs: %1").arg(featureError)));
        // num_batches_tracked came too
        for (const auto& [n, t] : stateDict(*model))
            if (n.find("num_batches_tracked") != std::string::npos)
                QCOMPARE(t.item<std::int64_t>(), std::int64_t{7});

        // CAM is exact: logits = W mean_hw(A) + b at the default target layer
        const auto cam =
            at::matmul(out.features.mean({2, 3}), model->classifierWeight().t()) + model->classifierBias();
        QVERIFY(relativeError(cam, out.logits) < 1e-5);
    }

    void resnet50Layer4MatchesTorchvision() {
        auto model = makeModel("resnet50", 2);
        importTorchvisionWeights(*model, ref("resnet50.weights.pt"));
        std::map<std::string, at::Tensor> io;
        for (auto& [n, t] : readTensorDict(ref("resnet50.io.pt")))
            io[n] = t;
        model->eval();
        torch::NoGradGuard noGrad;
        const auto out = model->forward(io.at("input"), "layer4");
        QCOMPARE(out.layer, std::string("layer4"));
        QCOMPARE(out.features.sizes(), (at::IntArrayRef{1, 2048, 2, 2}));
        QVERIFY(relativeError(out.features, io.at("features")) < 1e-4);
    }

    // ---- target layers ----

    void everyTargetLayerIsInTheGraph_data() {
        QTest::addColumn<QString>("arch");
        for (const char* a : {"cnn4", "vgg16", "resnet50", "efficientnet-b0"})
            QTest::newRow(a) << a;
    }

    void everyTargetLayerIsInTheGraph() {
        QFETCH(QString, arch);
        auto model = makeModel(arch.toStdString(), 2);
        model->eval();
        const auto x = at::randn({1, 3, 16, 16});
        const auto layers = model->targetLayers();
        const std::size_t stride = std::max<std::size_t>(1, layers.size() / 4);  // gradients: ~5 layers
        std::int64_t previousChannels = 0;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto& layer = layers[i];
            const bool checkGradient = i % stride == 0 || i + 1 == layers.size();
            std::optional<torch::NoGradGuard> noGrad;
            if (!checkGradient)
                noGrad.emplace();
            const auto out = model->forward(x, layer);
            QCOMPARE(out.layer, layer);
            QVERIFY2(out.features.defined() && out.features.dim() == 4, layer.c_str());
            previousChannels = out.features.size(1);
            if (!checkGradient)
                continue;
            const auto grad = torch::autograd::grad({out.logits.select(1, 0).sum()}, {out.features}, {},
                                                    /*retain_graph=*/false, false, /*allow_unused=*/false)[0];
            QCOMPARE(grad.sizes(), out.features.sizes());
            QVERIFY2(grad.abs().sum().item<double>() > 0, layer.c_str());
        }
        QCOMPARE(previousChannels, model->featureChannels());
        try {
            model->forward(x, "layer9");
            QFAIL("an unknown target layer was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find(model->defaultTargetLayer()) != std::string::npos);
        }
    }

    // ---- guided activations ----

    void guidedReluBackward() {
        const auto x = at::tensor({-2.0, -0.5, 0.0, 0.5, 2.0, 3.0}, at::kDouble).requires_grad_();
        const auto g = at::tensor({1.0, -1.0, 1.0, -1.0, 2.0, -0.5}, at::kDouble);
        GuidedActivation act(ActivationKind::ReLU);
        const auto plain = torch::autograd::grad({act(x)}, {x}, {g})[0];
        // normal mode: relu's gradient, g * [x > 0]
        QVERIFY(plain.equal(at::tensor({0.0, 0.0, 0.0, -1.0, 2.0, -0.5}, at::kDouble)));
        act->setGuided(true);
        const auto y = act(x);
        QVERIFY(y.equal(at::relu(x)));  // same forward
        const auto guided = torch::autograd::grad({y}, {x}, {g})[0];
        // guided: g * [x > 0] * [g > 0]
        QVERIFY(guided.equal(at::tensor({0.0, 0.0, 0.0, 0.0, 2.0, 0.0}, at::kDouble)));
    }

    void guidedSiluBackward() {
        const std::vector<double> xs{-3.0, -1.0, 0.0, 0.4, 1.5, 2.0, -0.2};
        const std::vector<double> gs{1.0, 1.0, 1.0, -2.0, 0.5, 1.0, -1.0};
        const auto x = at::tensor(xs, at::kDouble).requires_grad_();
        const auto g = at::tensor(gs, at::kDouble);
        GuidedActivation act(ActivationKind::SiLU);
        const auto plain = torch::autograd::grad({act(x)}, {x}, {g})[0];
        const auto reference = torch::autograd::grad({at::silu(x)}, {x}, {g})[0];
        QVERIFY(at::allclose(plain, reference, 1e-12, 1e-12));
        act->setGuided(true);
        const auto y = act(x);
        QVERIFY(at::allclose(y, at::silu(x)));
        const auto guided = torch::autograd::grad({y}, {x}, {g})[0];
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double s = 1.0 / (1.0 + std::exp(-xs[i]));
            const double derivative = s * (1.0 + xs[i] * (1.0 - s));
            const double expected = xs[i] > 0 ? std::max(gs[i] * derivative, 0.0) : 0.0;
            QVERIFY2(std::abs(guided[static_cast<std::int64_t>(i)].item<double>() - expected) < 1e-12,
                     qPrintable(QString("x=%1: %2 vs %3")
                                    .arg(xs[i])
                                    .arg(guided[static_cast<std::int64_t>(i)].item<double>())
                                    .arg(expected)));
            // normal mode is silu's own gradient, negative parts included
            QVERIFY(std::abs(plain[static_cast<std::int64_t>(i)].item<double>() - gs[i] * derivative) <
                    1e-12);
        }
    }

    void setGuidedSwitchesEveryActivation() {
        for (const std::string arch : {"cnn4", "vgg16", "resnet50", "efficientnet-b0"}) {
            auto model = makeModel(arch, 2);
            int relu = 0, silu = 0;
            auto count = [&](bool expected) {
                relu = silu = 0;
                for (const auto& m : model->modules())
                    if (auto* a = dynamic_cast<GuidedActivationImpl*>(m.get())) {
                        QCOMPARE(a->guided(), expected);
                        (a->kind() == ActivationKind::ReLU ? relu : silu)++;
                    }
            };
            count(false);
            model->setGuided(true);
            QVERIFY(model->guided());
            count(true);
            model->setGuided(false);
            count(false);
            if (arch == "vgg16")
                QCOMPARE(relu, 13);
            if (arch == "resnet50")
                QCOMPARE(relu, 1 + 16);  // stem + one per bottleneck
            if (arch == "efficientnet-b0")
                QCOMPARE(silu, 1 + (16 * 3 - 1) + 1);  // stem, MBConvs (B0's first has no expand), head conv
            if (arch == "efficientnet-b0")
                QCOMPARE(relu, 0);
        }
    }

    void guidedModeChangesOnlyTheBackward() {
        auto model = makeModel("resnet50", 2);
        model->eval();
        const auto x0 = at::randn({1, 3, 32, 32});
        auto gradient = [&](bool guided) {
            model->setGuided(guided);
            const auto x = x0.clone().requires_grad_();
            const auto out = model->forward(x);
            return std::make_pair(out.logits.detach(),
                                  torch::autograd::grad({out.logits.select(1, 0).sum()}, {x})[0]);
        };
        const auto [plainLogits, plainGrad] = gradient(false);
        const auto [guidedLogits, guidedGrad] = gradient(true);
        const auto [againLogits, againGrad] = gradient(false);
        QVERIFY(plainLogits.equal(guidedLogits));
        QVERIFY(!plainGrad.equal(guidedGrad));
        QVERIFY(plainGrad.equal(againGrad));
    }

    // ---- stochastic depth ----

    void stochasticDepthDropsRowsInTrainingOnly() {
        StochasticDepth sd(0.25);
        const auto x = at::ones({4000, 2, 3, 3});
        sd->eval();
        QVERIFY(sd(x).equal(x));
        sd->train();
        const auto y = sd(x);
        const auto rows = y.flatten(1);
        // each row is all zeros or all 1/(1-p)
        QVERIFY(
            at::logical_or(rows.eq(0).all(1), rows.sub(1.0 / 0.75).abs().lt(1e-6).all(1)).all().item<bool>());
        const double dropped = rows.eq(0).all(1).to(at::kDouble).mean().item<double>();
        QVERIFY2(std::abs(dropped - 0.25) < 0.03, qPrintable(QString::number(dropped)));
        QVERIFY_THROWS_EXCEPTION(Error, StochasticDepth(1.5));

        // torchvision's per-block probabilities: 0.2 * index / 16 for B0's 16 blocks
        EfficientNet b0(EfficientNetOptions(0));
        std::vector<double> ps;
        for (const auto& m : b0->modules())
            if (auto* s = dynamic_cast<StochasticDepthImpl*>(m.get()))
                ps.push_back(s->p());
        QCOMPARE(ps.size(), std::size_t{16});
        for (std::size_t i = 0; i < ps.size(); ++i)
            QCOMPARE(ps[i], 0.2 * static_cast<double>(i) / 16.0);
    }

    // ---- head, backbone, freezing ----

    void headAndBackboneSplit() {
        for (const std::string arch : {"cnn4", "vgg16", "resnet50", "efficientnet-b0"}) {
            auto model = makeModel(arch, 2);
            const auto head = model->headParameters();
            const auto backbone = model->backboneParameters();
            QCOMPARE(head.size(), std::size_t{2});
            QCOMPARE(head.size() + backbone.size(), model->parameters().size());
            QVERIFY(head[0].is_same(model->classifierWeight()));
            model->setBackboneTrainable(false);
            for (const auto& p : model->backboneParameters())
                QVERIFY(!p.requires_grad());
            for (const auto& p : model->headParameters())
                QVERIFY(p.requires_grad());
            model->setBackboneTrainable(true);
            for (const auto& p : model->parameters())
                QVERIFY(p.requires_grad());
        }
    }

    // ---- weight import ----

    void importRefusesBadFiles() {
        auto model = makeModel("resnet50", 2);
        const auto before = model->classifierWeight().clone();
        const auto bad = ref("bad");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "absent.pt"); },
                        {"absent.pt", "no such file"}, "absent");
        { std::ofstream(bad / "empty.pt"); }
        expectFileError([&] { importTorchvisionWeights(*model, bad / "empty.pt"); }, {"empty file"}, "empty");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "text.pt"); },
                        {"text.pt", "not a PyTorch weights file"}, "text");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "legacy.pt"); }, {"legacy"},
                        "legacy format");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "truncated.pt"); },
                        {"truncated.pt", "truncated or damaged"}, "truncated");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "other.zip.pt"); },
                        {"cannot read the PyTorch file"}, "other zip");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "list.pt"); },
                        {"holds a GenericList", "not a dict"}, "list");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "ordered.pt"); },
                        {"OrderedDict", "dict(model.state_dict())"}, "OrderedDict");
        expectFileError([&] { importTorchvisionWeights(*model, bad / "non_tensor.pt"); },
                        {"\"note\"", "not a tensor"}, "non-tensor");
        // weights of another architecture
        expectFileError([&] { importTorchvisionWeights(*model, ref("efficientnet_b0.weights.pt")); },
                        {"no tensor in the file matches model resnet50"}, "another architecture");
        QVERIFY(model->classifierWeight().equal(before));
    }

    void importReportsWrongShapes() {
        ModelOptions options;
        options.seed = 3;
        auto source = makeModel("cnn4", options);
        auto tensors = stateDict(*source);
        for (auto& [name, t] : tensors)
            if (name == "features.2.0.weight")
                t = at::zeros({64, 32, 5, 5});
        const auto file = ref("cnn4-wrong.pt");
        writeTensorDict(file, tensors);

        options.seed = 4;
        auto target = makeModel("cnn4", options);
        const auto before = target->named_parameters()["features.0.0.weight"].clone();
        expectFileError([&] { importTorchvisionWeights(*target, file); },
                        {"cnn4-wrong.pt", "features.2.0.weight: file [64, 32, 5, 5], model [64, 32, 3, 3]"},
                        "wrong shape");
        QVERIFY(target->named_parameters()["features.0.0.weight"].equal(before));  // unchanged

        ImportOptions lenient;
        lenient.strict = false;
        const auto report = importTorchvisionWeights(*target, file, lenient);
        QCOMPARE(report.shapeMismatch.size(), std::size_t{1});
        QVERIFY(report.headLoaded);
        QVERIFY(target->named_parameters()["features.0.0.weight"].equal(
            source->named_parameters()["features.0.0.weight"]));
        QVERIFY(report.summary().find("shapes differ") != std::string::npos);
    }

    void importSkipsHeadOfAnotherClassCount() {
        auto model = makeModel("resnet50", 3);
        const auto head = model->classifierWeight().clone();
        const auto report = importTorchvisionWeights(*model, ref("resnet50.weights.pt"));
        QVERIFY(!report.headLoaded);
        QVERIFY(report.backboneComplete());
        QCOMPARE(report.headSkipped.size(), std::size_t{2});
        QVERIFY(report.headSkipped[0].find("another number of classes") != std::string::npos);
        QVERIFY(model->classifierWeight().equal(head));
        QVERIFY(report.summary().find("head kept as initialised") != std::string::npos);
    }

    void vgg16TakesOnlyFeatures() {
        auto tensors = readTensorDict(ref("vgg16.weights.pt"));
        tensors.erase(std::remove_if(tensors.begin(), tensors.end(),
                                     [](const auto& e) { return e.first.rfind("classifier.", 0) == 0; }),
                      tensors.end());
        // torchvision's own classifier: Linear at 0, 3, 6 (small stand-ins)
        for (const char* n : {"classifier.0.weight", "classifier.0.bias", "classifier.3.weight",
                              "classifier.6.weight", "avgpool.extra"})
            tensors.emplace_back(n, at::zeros({4, 4}));
        auto model = makeModel("vgg16", 2);
        const auto report = importWeights(*model, tensors, "vgg16-torchvision.pt");
        QCOMPARE(report.ignored.size(), std::size_t{5});
        QVERIFY(report.unexpected.empty());
        QVERIFY(!report.headLoaded);
        QCOMPARE(report.loaded.size(), std::size_t{26});
    }

    void tensorFileRoundTrip() {
        ModelOptions options;
        options.seed = 5;
        auto a = makeModel("efficientnet-b0", options);
        options.seed = 6;
        auto b = makeModel("efficientnet-b0", options);
        const auto file = ref("roundtrip.pt");
        writeTensorDict(file, stateDict(*a));
        QVERIFY(!fs::exists(ref("roundtrip.pt.part")));
        const auto report = importTorchvisionWeights(*b, file);
        QVERIFY(report.headLoaded);
        a->eval();
        b->eval();
        torch::NoGradGuard noGrad;
        const auto x = at::randn({2, 3, 32, 32});
        QVERIFY(a->logits(x).equal(b->logits(x)));
        // and Python reads what C++ writes
        QProcess python;
        python.start(kPython, {"-c",
                               "import sys, torch; d = torch.load(sys.argv[1]); "
                               "print(len(d), tuple(d['features.0.0.weight'].shape))",
                               QString::fromStdString(file.string())});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        QVERIFY2(python.readAllStandardOutput().contains("(32, 3, 3, 3)"), "torch.load output");
    }

    void torchThreadsFollowTheCores() {
        QCOMPARE(configureTorchThreads(), availableCores());
        QCOMPARE(at::get_num_threads(), availableCores());
        QCOMPARE(configureTorchThreads(1), 1);
        QCOMPARE(configureTorchThreads(), availableCores());
    }
};

QTEST_APPLESS_MAIN(TestModels)
#include "test_models.moc"
