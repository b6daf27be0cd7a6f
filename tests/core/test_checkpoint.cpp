// Checkpoints: round trip, the model card, and every kind of wrong file as a clear error.
#include <QTemporaryDir>
#include <QtTest>

#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <fstream>
#include <iterator>

#include "common/Error.h"
#include "models/Checkpoint.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::models;

namespace {

ModelCard cardFor(const std::string& arch, std::vector<std::string> classes) {
    ModelCard card;
    card.architecture = arch;
    card.classes = std::move(classes);
    card.inputSize = 64;
    card.training = {{"epochs", 3}, {"lr", 0.001}};
    card.metrics = {{"test", {{"accuracy", 0.9}}}};
    card.datasetFingerprint = "0123456789abcdef";
    card.command = "saliency-cli train --arch cnn4";
    return card;
}

std::vector<char> readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& file, const std::vector<char>& bytes) {
    std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

QString errorOf(const fs::path& file) {
    try {
        loadCheckpoint(file);
    } catch (const FileError& e) {
        return QString::fromStdString(e.reason());
    }
    return {};
}

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void roundTripKeepsWeightsAndCard() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "cnn4.pt";
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 5});
        model->eval();
        const at::Tensor input = at::randn({2, 3, 64, 64});
        const at::Tensor before = model->logits(input);
        saveCheckpoint(file, *model, cardFor("cnn4", {"Brain Tumor", "Healthy"}));
        QVERIFY(fs::exists(file));
        QVERIFY(fs::exists(fs::path(file.string() + ".json")));
        QVERIFY(!fs::exists(fs::path(file.string() + ".part")));

        Checkpoint loaded = loadCheckpoint(file);
        QVERIFY(at::equal(loaded.model->logits(input), before));
        QVERIFY(!loaded.model->is_training());
        QCOMPARE(loaded.card.classes, (std::vector<std::string>{"Brain Tumor", "Healthy"}));
        QCOMPARE(loaded.card.inputSize, 64);
        QCOMPARE(loaded.card.targetLayer, model->defaultTargetLayer());
        QCOMPARE(loaded.card.training["epochs"].get<int>(), 3);
        QCOMPARE(loaded.card.metrics["test"]["accuracy"].get<double>(), 0.9);
        QVERIFY(!loaded.card.created.empty());
        QVERIFY(loaded.card.versions.contains("libtorch"));
        QCOMPARE(readModelCard(file).command, std::string("saliency-cli train --arch cnn4"));
    }

    void wrongFilesAreClearErrors() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        QVERIFY(errorOf(root / "missing.pt").contains("no such file"));
        writeBytes(root / "empty.pt", {});
        QVERIFY(errorOf(root / "empty.pt").contains("empty"));
        std::ofstream(root / "text.pt") << "hello, I am a text file";
        QVERIFY(errorOf(root / "text.pt").contains("not a Saliency Studio checkpoint"));

        // a torchvision-style weights file: pointed to import instead
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 1});
        writeTensorDict(root / "weights.pt", stateDict(*model));
        QVERIFY(errorOf(root / "weights.pt").contains("import"));

        // truncated: half the bytes of a real checkpoint
        const fs::path good = root / "good.pt";
        saveCheckpoint(good, *model, cardFor("cnn4", {"a", "b"}));
        auto bytes = readBytes(good);
        bytes.resize(bytes.size() / 2);
        writeBytes(root / "truncated.pt", bytes);
        QVERIFY(errorOf(root / "truncated.pt").contains("truncated"));

        // a card whose class count does not match the weights
        Classifier three = makeModel("cnn4", ModelOptions{.numClasses = 3, .seed = 1});
        c10::Dict<std::string, at::Tensor> weights;
        for (const auto& [name, t] : stateDict(*three))
            weights.insert(name, t);
        c10::impl::GenericDict rootDict(c10::StringType::get(), c10::AnyType::get());
        rootDict.insert(std::string("format"), std::string("saliency-studio-checkpoint"));
        rootDict.insert(std::string("version"), std::int64_t(1));
        rootDict.insert(std::string("model_card"), cardFor("cnn4", {"a", "b"}).toJson().dump());
        rootDict.insert(std::string("state_dict"), weights);
        writeBytes(root / "classes.pt", torch::jit::pickle_save(c10::IValue(rootDict)));
        const QString reason = errorOf(root / "classes.pt");
        QVERIFY2(reason.contains("shape") && reason.contains("2 classes"), qPrintable(reason));

        // an unknown architecture in the card
        rootDict.insert_or_assign(std::string("model_card"), cardFor("alexnet", {"a", "b"}).toJson().dump());
        writeBytes(root / "arch.pt", torch::jit::pickle_save(c10::IValue(rootDict)));
        QVERIFY(errorOf(root / "arch.pt").contains("unknown architecture"));
    }

    void aFailedWriteLeavesThePreviousCheckpoint() {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "model.pt";
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 2});
        saveCheckpoint(file, *model, cardFor("cnn4", {"a", "b"}));
        const auto before = readBytes(file);
        QVERIFY_THROWS_EXCEPTION(Error, saveCheckpoint(file, *model, cardFor("cnn4", {"a", "b", "c"})));
        QVERIFY(readBytes(file) == before);
        QVERIFY_THROWS_EXCEPTION(
            FileError, saveCheckpoint(fs::path(dir.path().toStdString()) / "no/such/dir/m.pt", *model,
                                      cardFor("cnn4", {"a", "b"})));
    }
};

QTEST_APPLESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
