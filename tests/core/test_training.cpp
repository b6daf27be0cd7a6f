// Evaluation metrics against hand-computed values; a run's configuration read back from its card.
#include <QtTest>

#include "common/Error.h"
#include "training/Evaluation.h"
#include "training/TrainConfig.h"

using namespace saliency;

class TestTraining : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void confusionPrecisionRecallF1() {
        // true: 0 0 0 1 1 ; predicted: 0 0 1 1 0
        const std::vector<int> labels{0, 0, 0, 1, 1};
        const std::vector<std::vector<float>> p{{.9f, .1f}, {.8f, .2f}, {.4f, .6f}, {.3f, .7f}, {.6f, .4f}};
        const Evaluation e = evaluateClassifier(labels, p, 2);
        QCOMPARE(e.images, std::int64_t(5));
        QCOMPARE(e.accuracy, 0.6);
        QCOMPARE(e.confusion.at(0, 0), std::int64_t(2));
        QCOMPARE(e.confusion.at(0, 1), std::int64_t(1));
        QCOMPARE(e.confusion.at(1, 0), std::int64_t(1));
        QCOMPARE(e.confusion.at(1, 1), std::int64_t(1));
        QVERIFY(qFuzzyCompare(e.perClass[0].precision, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(e.perClass[0].recall, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(e.perClass[1].precision, 0.5));
        QVERIFY(qFuzzyCompare(e.perClass[1].recall, 0.5));
        QVERIFY(qFuzzyCompare(e.macroF1, (2.0 / 3.0 + 0.5) / 2.0));
        QCOMPARE(e.perClass[1].support, std::int64_t(2));
        // class 1 scores .1 .2 .6 | .7 .4 : pairs (pos > neg): .7 beats all 3, .4 beats .1 .2 -> 5/6
        QVERIFY(qFuzzyCompare(e.roc[1].auc, 5.0 / 6.0));
        QVERIFY(qFuzzyCompare(e.roc[0].auc, 5.0 / 6.0));
        QVERIFY(e.roc[1].defined);
    }

    void rocWithTiesAndPerfectSeparation() {
        const RocCurve perfect = rocCurve({0.9, 0.8, 0.2, 0.1}, {true, true, false, false});
        QCOMPARE(perfect.auc, 1.0);
        QCOMPARE(perfect.falsePositiveRate.front(), 0.0);
        QCOMPARE(perfect.truePositiveRate.back(), 1.0);
        // all scores tied: the curve is the diagonal, AUC 0.5
        const RocCurve tied = rocCurve({0.5, 0.5, 0.5, 0.5}, {true, false, true, false});
        QCOMPARE(tied.auc, 0.5);
        QCOMPARE(tied.falsePositiveRate.size(), size_t(2));
        // one class only: undefined, not NaN
        const RocCurve one = rocCurve({0.1, 0.2}, {true, true});
        QVERIFY(!one.defined);
        QCOMPARE(one.auc, 0.0);
    }

    void nothingPredictedAsAClassGivesZeroNotNaN() {
        const Evaluation e = evaluateClassifier({0, 1}, {{.9f, .1f}, {.8f, .2f}}, 2);
        QCOMPARE(e.perClass[1].precision, 0.0);
        QCOMPARE(e.perClass[1].f1, 0.0);
    }

    // The app's "Continue a run" rebuilds the configuration from the card: the trainer's resume
    // check compares everything but epochs, patience, min_delta and device, so all of it must survive.
    void configurationRoundTripsThroughItsCard() {
        TrainConfig c;
        c.architecture = "resnet50";
        c.weights = "/w/r50.pt";
        c.freezeBackbone = true;
        c.epochs = 7;
        c.batchSize = 12;
        c.learningRate = 3e-4;
        c.optimiser = OptimiserKind::Sgd;
        c.momentum = 0.8;
        c.weightDecay = 1e-4;
        c.schedule = LrSchedule::Step;
        c.stepSize = 3;
        c.gamma = 0.5;
        c.imageSize = 96;
        c.augment.maxRotationDegrees = 5;
        c.dropout = 0.3;
        c.normalisation = Normalisation::none();
        c.seed = 42;
        c.patience = 4;
        c.minDelta = 0.01;
        nlohmann::json card = toJson(c);
        card["device"] = "cpu (2 threads)";  // the card records the resolved device
        const TrainConfig back = trainConfigFromJson(card);
        QCOMPARE(toJson(back).dump(), toJson(c).dump());
        QVERIFY(back.device == DeviceChoice::Auto);
        // augmentation switched off, and a bad value
        c.augment.enabled = false;
        QVERIFY(!trainConfigFromJson(toJson(c)).augment.enabled);
        QVERIFY_THROWS_EXCEPTION(Error, trainConfigFromJson(nlohmann::json{{"epochs", "ten"}}));
        QVERIFY_THROWS_EXCEPTION(Error, trainConfigFromJson(nlohmann::json{{"optimiser", "rmsprop"}}));
    }

    void badInputIsAnError() {
        QVERIFY_THROWS_EXCEPTION(Error, evaluateClassifier({0, 2}, {{1.f, 0.f}, {1.f, 0.f}}, 2));
        QVERIFY_THROWS_EXCEPTION(Error, evaluateClassifier({0}, {{1.f, 0.f, 0.f}}, 2));
        QVERIFY_THROWS_EXCEPTION(Error, evaluateClassifier({0}, {}, 2));
    }
};

QTEST_APPLESS_MAIN(TestTraining)
#include "test_training.moc"
