// The training engine: optimiser steps equal torch.optim's (tests/python/sgd_reference.py, run
// with Debian's /usr/bin/python3), and on a tiny generated data set (bright square = tumour):
// learning, the best checkpoint, cancel, resume, determinism, early stopping, a frozen backbone,
// evaluation and the predictions CSV.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "data/Random.h"
#include "models/Checkpoint.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/TorchThreads.h"
#include "models/WeightImport.h"
#include "training/Device.h"
#include "training/ModelEvaluation.h"
#include "training/Optimiser.h"
#include "training/TrainStep.h"
#include "training/Trainer.h"
#include "training/TrainingState.h"

using namespace saliency;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// 20 "healthy" (noise) and 20 "tumour" (noise + a bright square somewhere) 40x40 PNGs.
Dataset makeDataset(const fs::path& root) {
    Rng rng(7);
    for (int i = 0; i < 40; ++i) {
        const bool tumour = i % 2 == 1;
        cv::Mat grey(40, 40, CV_8UC1);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 40; ++x)
                grey.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(30 + rng.uniformInt(0, 40));
        if (tumour) {
            const int x = rng.uniformInt(4, 22), y = rng.uniformInt(4, 22);
            cv::rectangle(grey, cv::Rect(x, y, 14, 14), cv::Scalar(230), cv::FILLED);
        }
        cv::Mat bgr;
        cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
        const fs::path file = root / (tumour ? "tumour" : "healthy") / ("scan" + std::to_string(i) + ".png");
        fs::create_directories(file.parent_path());
        cv::imwrite(file.string(), bgr);
    }
    return scanDataset(root);
}

// Cancels at the update numbered `cancelAt` (1-based; 0 never) and counts the calls.
class CountingProgress final : public Progress {
  public:
    explicit CountingProgress(int cancelAt = 0) : cancelAt_(cancelAt) {}
    void start(const std::string& task, std::int64_t count) override {
        ++starts;
        total = count;
        QVERIFY(!task.empty());
    }
    bool update(std::int64_t done, const std::string& detail) override {
        ++updates;
        lastDone = done;
        lastDetail = detail;
        return cancelAt_ == 0 || updates < cancelAt_;
    }
    void finish() override { ++finishes; }
    int starts = 0, finishes = 0, updates = 0;
    std::int64_t total = 0, lastDone = 0;
    std::string lastDetail;

  private:
    int cancelAt_;
};

class RecordingObserver final : public TrainingObserver {
  public:
    void batchDone(const TrainProgress& p) override { batches.push_back(p); }
    void epochDone(const EpochResult& e) override { epochs.push_back(e); }
    std::vector<TrainProgress> batches;
    std::vector<EpochResult> epochs;
};

TrainConfig tinyConfig(const fs::path& output = {}) {
    TrainConfig c;
    c.architecture = "cnn4";
    c.epochs = 3;
    c.batchSize = 6;
    c.learningRate = 5e-3;
    c.imageSize = 32;
    c.seed = 11;
    c.output = output;
    c.prefetch = 1;
    // One thread: on a shared 2-core machine, two OpenMP threads wait on each other at every one
    // of the many tiny ops of a 32 px network (10 s instead of 0.6 s for a run). The determinism
    // test also runs with all the cores.
    c.threads = 1;
    return c;
}

models::TensorDict stateOf(const fs::path& checkpoint) {
    return models::stateDict(*models::loadCheckpoint(checkpoint).model);
}

// The latest weights of a run, from its "<checkpoint>.state".
models::TensorDict latestOf(const fs::path& checkpoint, const TrainConfig& config, int classes) {
    models::ModelOptions o;
    o.numClasses = classes;
    auto model = models::makeModel(config.architecture, o);
    if (config.freezeBackbone)
        model->setBackboneTrainable(false);
    auto optimiser = makeOptimiser(model->parameters(), config);
    loadTrainingState(trainingStatePath(checkpoint), *model, *optimiser, c10::Device(c10::DeviceType::CPU));
    return models::stateDict(*model);
}

bool sameTensors(const models::TensorDict& a, const models::TensorDict& b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].first != b[i].first || !at::equal(a[i].second, b[i].second))
            return false;
    return true;
}

template <typename F>
void expectError(F&& f, const std::string& part, const char* what) {
    try {
        f();
    } catch (const Error& e) {
        QVERIFY2(
            std::string(e.what()).find(part) != std::string::npos,
            qPrintable(QString("%1: \"%2\" lacks \"%3\"").arg(what, e.what(), QString::fromStdString(part))));
        return;
    }
    QFAIL(qPrintable(QString("%1: no error").arg(what)));
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    Dataset dataset_;
    Split split_;

    fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        dataset_ = makeDataset(path("data"));
        QCOMPARE(dataset_.items.size(), size_t(40));
        QCOMPARE(dataset_.classes, (std::vector<std::string>{"healthy", "tumour"}));
        split_ = makeStratifiedSplit(dataset_, {.train = 0.6, .validation = 0.2, .test = 0.2}, 3);
        QCOMPARE(split_.train.size(), size_t(24));
        QCOMPARE(split_.validation.size(), size_t(8));
        QCOMPARE(split_.test.size(), size_t(8));
    }

    void configNamesAndSchedules() {
        QVERIFY(parseOptimiser("SGD") == OptimiserKind::Sgd);
        QVERIFY(parseSchedule("cosine") == LrSchedule::Cosine);
        QVERIFY(parseDevice("cpu") == DeviceChoice::Cpu);
        expectError([] { parseOptimiser("rmsprop"); }, "adam or sgd", "unknown optimiser");
        TrainConfig c;
        c.learningRate = 0.1;
        c.schedule = LrSchedule::Step;
        c.stepSize = 2;
        c.gamma = 0.5;
        QCOMPARE(scheduledLearningRate(c, 0), 0.1);
        QCOMPARE(scheduledLearningRate(c, 1), 0.1);
        QCOMPARE(scheduledLearningRate(c, 2), 0.05);
        QCOMPARE(scheduledLearningRate(c, 5), 0.025);
        c.schedule = LrSchedule::Cosine;
        c.epochs = 4;
        QCOMPARE(scheduledLearningRate(c, 0), 0.1);
        QVERIFY(std::abs(scheduledLearningRate(c, 2) - 0.05) < 1e-12);
        QVERIFY(std::abs(scheduledLearningRate(c, 3) - 0.1 * (1 + std::cos(3 * std::numbers::pi / 4)) / 2) <
                1e-12);
        c.epochs = 0;
        expectError([&] { validate(c); }, "epochs", "zero epochs");
        c.epochs = 1;
        c.resume = true;
        expectError([&] { validate(c); }, "resum", "resume without output");
        // The CPU: threads set to the cores (once per process), CUDA refused cleanly when absent.
        models::configureTorchThreads(1);
        const auto device = resolveDevice(DeviceChoice::Auto);
        if (device.is_cpu()) {
            QCOMPARE(at::get_num_threads(), models::availableCores());
            resolveDevice(DeviceChoice::Cpu, 1);
            QCOMPARE(at::get_num_threads(), 1);
            resolveDevice(DeviceChoice::Cpu);  // the default count was set once; an explicit one stays
            QCOMPARE(at::get_num_threads(), 1);
            QCOMPARE(QString::fromStdString(describeDevice(device)).startsWith("cpu ("), true);
            expectError([] { resolveDevice(DeviceChoice::Cuda); }, "CUDA", "cuda without CUDA");
        }
    }

    // A few optimiser steps on the same weights and batch give torch.optim's losses (dropout 0,
    // BatchNorm in training mode on both sides), in both memory layouts: contiguous NCHW and the
    // channels-last one the trainer uses on the CPU. Same layout and thread count (1) on both sides:
    // a random-init resnet50 with BatchNorm over 4 images is ill-conditioned (its float32
    // gradients differ from float64 ones by up to 30%), so any change of rounding shows at step 2.
    void stepsMatchPython() {
        const fs::path out = path("parity");
        fs::create_directories(out);
        const json settings{
            {"sgd", {{"lr", 0.05}, {"momentum", 0.9}, {"weight_decay", 1e-3}, {"steps", 3}}},
            {"adam", {{"lr", 1e-3}, {"weight_decay", 1e-4}, {"steps", 3}}},
            {"resnet50_sgd", {{"lr", 0.002}, {"momentum", 0.9}, {"weight_decay", 1e-4}, {"steps", 2}}},
            {"seed", 5},
            {"threads", 1}};
        std::ofstream(out / "settings.json") << settings.dump();
        models::configureTorchThreads(1);

        models::ModelOptions o;
        o.dropout = 0.0;
        o.seed = 21;
        const models::TensorDict initial = [&] {
            models::TensorDict d;
            for (const auto& [name, t] : models::stateDict(*models::makeModel("cnn4", o)))
                d.emplace_back(name, t.clone());
            return d;
        }();
        models::writeTensorDict(out / "cnn4.weights.pt", initial);
        at::manual_seed(3);
        const at::Tensor images = at::randn({8, 3, 32, 32});
        const at::Tensor labels = at::tensor({0, 1, 1, 0, 1, 0, 0, 1}, at::kLong);
        models::writeTensorDict(out / "cnn4.batch.pt", {{"images", images}, {"labels", labels}});
        const at::Tensor resnetImages = at::randn({4, 3, 32, 32});
        const at::Tensor resnetLabels = at::tensor({1, 0, 0, 1}, at::kLong);
        models::writeTensorDict(out / "resnet50.batch.pt",
                                {{"images", resnetImages}, {"labels", resnetLabels}});

        QProcess python;
        python.setProcessChannelMode(QProcess::MergedChannels);
        python.start(kPython, {QStringLiteral(SALIENCY_SOURCE_DIR "/tests/python/sgd_reference.py"),
                               QString::fromStdString(out.string())});
        QVERIFY2(python.waitForStarted(10000),
                 "cannot start /usr/bin/python3 (python3-torch, python3-torchvision)");
        QVERIFY2(python.waitForFinished(180000), "the reference script took over 3 minutes");
        const QString log = QString::fromLocal8Bit(python.readAll());
        QVERIFY2(python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0, qPrintable(log));
        const json reference = json::parse(readBytes(out / "reference.json"));

        auto compare = [](const std::vector<double>& actual, const json& expected, const std::string& what) {
            QCOMPARE(actual.size(), expected.size());
            double worst = 0;
            for (size_t i = 0; i < actual.size(); ++i)
                worst = std::max(worst, std::abs(actual[i] - expected[i].get<double>()));
            qInfo("%s: losses %.6f .. %.6f, largest difference from Python %.3g", what.c_str(),
                  actual.front(), actual.back(), worst);
            for (size_t i = 0; i < actual.size(); ++i) {
                const double e = expected[i].get<double>();
                QVERIFY2(std::abs(actual[i] - e) <= 1e-4, qPrintable(QString("%1 step %2: C++ %3, Python %4")
                                                                         .arg(QString::fromStdString(what))
                                                                         .arg(i)
                                                                         .arg(actual[i], 0, 'g', 10)
                                                                         .arg(e, 0, 'g', 10)));
            }
        };
        auto run = [](models::ClassifierImpl& model, const TrainConfig& config, bool channelsLast,
                      const at::Tensor& x, const at::Tensor& y, int steps) {
            if (channelsLast)
                useChannelsLast(model);
            auto optimiser = makeOptimiser(model.parameters(), config);
            setTrainingMode(model, false);
            std::vector<double> losses;
            for (int i = 0; i < steps; ++i)
                losses.push_back(trainStep(model, *optimiser, channelsLast ? toChannelsLast(x) : x, y).loss);
            return losses;
        };
        auto cnn4 = [&] {
            auto m = models::makeModel("cnn4", o);
            models::importWeights(*m, initial, out / "cnn4.weights.pt");
            return m;
        };

        TrainConfig sgd;
        sgd.optimiser = OptimiserKind::Sgd;
        sgd.learningRate = 0.05;
        sgd.momentum = 0.9;
        sgd.weightDecay = 1e-3;
        TrainConfig adam;
        adam.optimiser = OptimiserKind::Adam;
        adam.learningRate = 1e-3;
        adam.weightDecay = 1e-4;
        TrainConfig resnetSgd = sgd;
        resnetSgd.learningRate = 0.002;
        resnetSgd.weightDecay = 1e-4;
        models::ModelOptions r;
        r.dropout = 0.0;
        for (const bool channelsLast : {false, true}) {
            const std::string layout = channelsLast ? "channels_last" : "contiguous";
            const json& ref = reference.at(layout);
            auto model = cnn4();
            compare(run(*model, sgd, channelsLast, images, labels, 3), ref["cnn4"]["sgd"],
                    "cnn4 SGD, " + layout);
            if (!channelsLast) {  // the weights after the steps agree too
                std::map<std::string, at::Tensor> after;
                for (const auto& [name, t] : models::readTensorDict(out / "cnn4.sgd.after.pt"))
                    after.emplace(name, t);
                const auto mine = models::stateDict(*model);
                QCOMPARE(after.size(), mine.size());
                for (const auto& [name, t] : mine) {
                    QVERIFY2(after.count(name) == 1, name.c_str());
                    QVERIFY2(at::allclose(t.to(at::kDouble), after.at(name).to(at::kDouble), 1e-4, 1e-5),
                             name.c_str());
                }
            }
            model = cnn4();
            compare(run(*model, adam, channelsLast, images, labels, 3), ref["cnn4"]["adam"],
                    "cnn4 Adam, " + layout);

            auto resnet = models::makeModel("resnet50", r);
            const auto report = models::importTorchvisionWeights(*resnet, out / "resnet50.weights.pt");
            QVERIFY(report.headLoaded);
            compare(run(*resnet, resnetSgd, channelsLast, resnetImages, resnetLabels, 2),
                    ref["resnet50"]["sgd"], "resnet50 SGD, " + layout);
        }
    }

    // cnn4 learns the bright square; the best checkpoint is written, loadable and described.
    void trainsAndKeepsTheBestCheckpoint() {
        const fs::path out = path("learn/model.pt");
        fs::create_directories(out.parent_path());
        TrainConfig c = tinyConfig(out);
        c.epochs = 4;
        c.command = "test_trainer";
        CountingProgress progress;
        RecordingObserver observer;
        const TrainResult r = train(dataset_, split_, c, progress, &observer);
        QVERIFY(!r.cancelled);
        QVERIFY(!r.stoppedEarly);
        QCOMPARE(r.history.size(), size_t(4));
        QCOMPARE(r.trainImages, std::int64_t(24));
        QCOMPARE(progress.starts, 1);
        QCOMPARE(progress.finishes, 1);
        QCOMPARE(progress.total, std::int64_t(4 * 4));  // 24 images / 6 per batch
        QVERIFY(progress.lastDetail.find("testing") != std::string::npos);
        QCOMPARE(observer.epochs.size(), size_t(4));
        QCOMPARE(observer.batches.size(), size_t(16));
        const TrainProgress& last = observer.batches.back();
        QCOMPARE(last.epoch, 4);
        QCOMPARE(last.batch, std::int64_t(4));
        QCOMPARE(last.batches, std::int64_t(4));
        QVERIFY(last.imagesPerSecond > 0);
        QVERIFY(last.etaSeconds >= 0);
        QVERIFY(describe(last).find("epoch 4/4") != std::string::npos);
        for (const auto& e : r.history) {
            QVERIFY(e.hasValidation);
            QVERIFY(std::isfinite(e.trainLoss) && std::isfinite(e.validationLoss));
            QCOMPARE(e.learningRate, 5e-3);
        }
        QVERIFY2(r.history.back().trainLoss < r.history.front().trainLoss, "the training loss did not fall");
        double bestAccuracy = 0;
        for (const auto& e : r.history)
            bestAccuracy = std::max(bestAccuracy, e.validationAccuracy);
        qInfo("validation accuracy per epoch: %.3f %.3f %.3f %.3f", r.history[0].validationAccuracy,
              r.history[1].validationAccuracy, r.history[2].validationAccuracy,
              r.history[3].validationAccuracy);
        QVERIFY2(bestAccuracy > 0.5, qPrintable(QString("validation accuracy %1").arg(bestAccuracy)));

        // best epoch = lowest validation loss
        QVERIFY(r.bestEpoch >= 1);
        for (const auto& e : r.history)
            QVERIFY(e.validationLoss >= r.bestLoss);
        QCOMPARE(r.history[static_cast<size_t>(r.bestEpoch - 1)].validationLoss, r.bestLoss);
        QVERIFY(r.history.front().improved);
        QCOMPARE(r.checkpoint, out);
        QVERIFY(fs::exists(trainingStatePath(out)));

        // The checkpoint holds the best model: its test metrics are the result's.
        auto checkpoint = models::loadCheckpoint(out);
        const auto& card = checkpoint.card;
        QCOMPARE(card.architecture, std::string("cnn4"));
        QCOMPARE(card.classes, dataset_.classes);
        QCOMPARE(card.inputSize, 32);
        QCOMPARE(card.mean, Normalisation::imagenet().mean);
        QCOMPARE(card.targetLayer, std::string("features.3"));
        QCOMPARE(card.datasetFingerprint, dataset_.fingerprint());
        QCOMPARE(card.weightsSource, std::string("random init"));
        QCOMPARE(card.command, std::string("test_trainer"));
        QCOMPARE(card.training.at("optimiser").get<std::string>(), std::string("adam"));
        QCOMPARE(card.training.at("seed").get<int>(), 11);
        QCOMPARE(card.training.at("split").at("train").get<int>(), 24);
        QCOMPARE(card.metrics.at("epoch").get<int>(), r.bestEpoch);
        QCOMPARE(card.metrics.at("validation").at("loss").get<double>(), r.bestLoss);
        QVERIFY(r.test.has_value());
        QCOMPARE(r.test->evaluation.images, std::int64_t(8));
        QCOMPARE(card.metrics.at("test").at("accuracy").get<double>(), r.test->evaluation.accuracy);

        // Evaluating the loaded checkpoint reproduces the test result; predictions go to CSV.
        const auto ev = evaluate(*checkpoint.model, dataset_, splitIndices(dataset_, split_.test), 32,
                                 Normalisation::imagenet(), c10::Device(c10::DeviceType::CPU));
        QCOMPARE(ev.evaluation.accuracy, r.test->evaluation.accuracy);
        QVERIFY(std::abs(ev.loss - r.test->loss) < 1e-6);
        QCOMPARE(ev.predictions.size(), size_t(8));
        for (size_t i = 0; i < ev.predictions.size(); ++i) {
            const auto& p = ev.predictions[i];
            QCOMPARE(p.probabilities.size(), size_t(2));
            QVERIFY(std::abs(p.probabilities[0] + p.probabilities[1] - 1.0f) < 1e-5f);
            QCOMPARE(p.predictedClass, p.probabilities[1] > p.probabilities[0] ? 1 : 0);
            QCOMPARE(p.file, split_.test[i]);
        }
        const fs::path csv = path("learn/predictions.csv");
        writePredictionsCsv(csv, ev.predictions, dataset_.classes);
        std::ifstream in(csv);
        std::string header, line;
        std::getline(in, header);
        QCOMPARE(header, std::string("file,true_class,predicted_class,p_healthy,p_tumour,correct"));
        int rows = 0, correct = 0;
        while (std::getline(in, line)) {
            ++rows;
            QVERIFY(line.rfind(split_.test[static_cast<size_t>(rows - 1)].generic_string() + ",", 0) == 0);
            correct += line.back() == '1';
        }
        QCOMPARE(rows, 8);
        QCOMPARE(correct / 8.0, ev.evaluation.accuracy);
        const json report = toJson(ev, dataset_.classes);
        QCOMPARE(report.at("confusion").size(), size_t(2));
        QVERIFY(report.at("per_class").contains("tumour"));
    }

    // The same configuration twice gives the same losses and the same weights.
    void deterministicOnCpu() {
        TrainConfig c = tinyConfig();
        c.epochs = 2;
        c.augment.enabled = true;              // seeded augmentation and dropout (0.3) in play
        c.threads = models::availableCores();  // reductions split over threads must not vary either
        NullProgress progress;
        const fs::path a = path("det/a.pt"), b = path("det/b.pt");
        fs::create_directories(a.parent_path());
        c.output = a;
        const TrainResult ra = train(dataset_, split_, c, progress);
        c.output = b;
        const TrainResult rb = train(dataset_, split_, c, progress);
        QCOMPARE(ra.history.size(), rb.history.size());
        for (size_t i = 0; i < ra.history.size(); ++i) {
            QCOMPARE(ra.history[i].trainLoss, rb.history[i].trainLoss);
            QCOMPARE(ra.history[i].validationLoss, rb.history[i].validationLoss);
        }
        QVERIFY(sameTensors(latestOf(a, c, 2), latestOf(b, c, 2)));
        QVERIFY(sameTensors(stateOf(a), stateOf(b)));
        // another seed, other losses
        c.seed = 12;
        c.output.clear();
        const TrainResult rc = train(dataset_, split_, c, progress);
        QVERIFY(rc.history[0].trainLoss != ra.history[0].trainLoss);
    }

    // A cancel stops between batches and leaves the checkpoint and the state as they were; a
    // resume then ends with exactly the weights of an uninterrupted run.
    void cancelThenResumeEqualsUninterrupted() {
        TrainConfig c = tinyConfig();
        c.epochs = 3;
        c.augment.enabled = true;
        c.schedule = LrSchedule::Cosine;
        const fs::path whole = path("resume/whole.pt"), parts = path("resume/parts.pt");
        fs::create_directories(whole.parent_path());
        NullProgress quiet;
        c.output = whole;
        const TrainResult uninterrupted = train(dataset_, split_, c, quiet);
        QCOMPARE(uninterrupted.history.size(), size_t(3));

        // Epoch 1 completes (4 batches + 2 validation updates), then cancel within epoch 2.
        c.output = parts;
        CountingProgress cancelling(4 + 2 + 3);
        const TrainResult first = train(dataset_, split_, c, cancelling);
        QVERIFY(first.cancelled);
        QCOMPARE(first.history.size(), size_t(1));
        QVERIFY(!first.test.has_value());
        QCOMPARE(cancelling.updates, 9);
        QCOMPARE(cancelling.finishes, 1);
        QVERIFY(fs::exists(parts));
        const std::string checkpointBytes = readBytes(parts);
        const std::string stateBytes = readBytes(trainingStatePath(parts));

        // Resume, and cancel again at once: nothing is written.
        c.resume = true;
        CountingProgress cancelAtOnce(1);
        const TrainResult second = train(dataset_, split_, c, cancelAtOnce);
        QVERIFY(second.cancelled);
        QVERIFY(second.resumed);
        QCOMPARE(second.history.size(), size_t(1));
        QCOMPARE(cancelAtOnce.lastDone, std::int64_t(4 + 1));  // the first batch of epoch 2
        QVERIFY(readBytes(parts) == checkpointBytes);
        QVERIFY(readBytes(trainingStatePath(parts)) == stateBytes);

        // Resume to the end.
        CountingProgress progress;
        const TrainResult third = train(dataset_, split_, c, progress);
        QVERIFY(!third.cancelled);
        QVERIFY(third.resumed);
        QCOMPARE(third.history.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(third.history[i].trainLoss, uninterrupted.history[i].trainLoss);
            QCOMPARE(third.history[i].validationLoss, uninterrupted.history[i].validationLoss);
            QCOMPARE(third.history[i].learningRate, uninterrupted.history[i].learningRate);
        }
        QCOMPARE(third.bestEpoch, uninterrupted.bestEpoch);
        QVERIFY(sameTensors(latestOf(parts, c, 2), latestOf(whole, c, 2)));
        QVERIFY(sameTensors(stateOf(parts), stateOf(whole)));
        QVERIFY(third.test.has_value());
        QCOMPARE(third.test->evaluation.accuracy, uninterrupted.test->evaluation.accuracy);

        // A resume must be the same run.
        c.learningRate = 1e-2;
        expectError([&] { train(dataset_, split_, c, quiet); }, "learning_rate", "resume with another lr");
        c.learningRate = tinyConfig().learningRate;
        c.architecture = "resnet50";  // refused by its record, before any tensor would fail to fit
        expectError([&] { train(dataset_, split_, c, quiet); }, "differs in architecture",
                    "resume as resnet50");
        c.architecture = "cnn4";
        c.freezeBackbone = true;
        expectError([&] { train(dataset_, split_, c, quiet); }, "freeze_backbone", "resume frozen");
        c.freezeBackbone = false;
        c.output = path("resume/none.pt");
        expectError([&] { train(dataset_, split_, c, quiet); }, "no training state", "resume without state");
    }

    // Patience 1 with a learning rate of 0 and frozen BatchNorm: the validation loss stays put,
    // so the second epoch does not improve and training stops there.
    void earlyStopping() {
        TrainConfig c = tinyConfig();
        c.epochs = 6;
        c.learningRate = 0.0;
        c.freezeBackbone = true;
        c.patience = 1;
        NullProgress progress;
        const TrainResult r = train(dataset_, split_, c, progress);
        QVERIFY(r.stoppedEarly);
        QVERIFY(!r.cancelled);
        QCOMPARE(r.history.size(), size_t(2));
        QCOMPARE(r.bestEpoch, 1);
        QCOMPARE(r.history[1].validationLoss, r.history[0].validationLoss);
        QVERIFY(r.test.has_value());
        // without patience it runs all epochs
        c.patience = 0;
        c.epochs = 3;
        QCOMPARE(train(dataset_, split_, c, progress).history.size(), size_t(3));
    }

    // A frozen backbone keeps its weights and BatchNorm statistics; the head learns.
    void frozenBackbone() {
        TrainConfig c = tinyConfig(path("frozen/model.pt"));
        fs::create_directories(c.output.parent_path());
        c.epochs = 2;
        c.learningRate = 5e-2;
        c.freezeBackbone = true;
        NullProgress progress;
        train(dataset_, split_, c, progress);
        models::ModelOptions o;
        o.seed = c.seed;
        auto initial = models::makeModel("cnn4", o);
        const auto before = models::stateDict(*initial);
        const auto after = latestOf(c.output, c, 2);
        QCOMPARE(before.size(), after.size());
        int backbone = 0, head = 0;
        for (size_t i = 0; i < before.size(); ++i) {
            const bool isHead = initial->isHeadParameter(before[i].first);
            const bool same = at::equal(before[i].second, after[i].second);
            if (isHead) {
                ++head;
                QVERIFY2(!same, before[i].first.c_str());
            } else {
                ++backbone;
                QVERIFY2(same, before[i].first.c_str());  // parameters and running statistics
            }
        }
        QCOMPARE(head, 2);
        QVERIFY(backbone > 10);
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "test_trainer.moc"
