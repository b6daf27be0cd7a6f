// Checkpoints: round trip, the model card, and every kind of wrong file as a clear error.
#include <QTemporaryDir>
#include <QtTest>

#include <ATen/ATen.h>
#include <ATen/core/Dict.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <limits>

#include <zlib.h>
#include <opencv2/core.hpp>

#include "common/Error.h"
#include "models/Checkpoint.h"
#include "models/Inference.h"
#include "models/ModelZoo.h"
#include "models/TensorFile.h"
#include "models/WeightImport.h"
#include "models/ZipRecords.h"

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

void appendLe(std::vector<char>& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// The same archive written again (stored records, consistent CRCs and directory) with each record's
// bytes passed through `change`: a file that is a valid zip but whose tensor records are cut short,
// as a fuzzer or a broken copy tool makes them.
std::vector<char> rezip(
    const fs::path& file,
    const std::function<std::vector<char>(const std::string&, std::vector<char>)>& change) {
    const std::vector<char> bytes = readBytes(file);
    std::vector<char> out, directory;
    const auto records = verifiedZipRecords(file, bytes);
    for (const auto& record : records) {
        const auto begin = bytes.begin() + static_cast<long>(record.offset);
        const std::vector<char> data =
            change(record.name, std::vector<char>(begin, begin + static_cast<long>(record.size)));
        const auto crc =
            crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
        const std::uint64_t local = out.size();
        appendLe(out, 0x04034b50, 4);
        appendLe(out, 20, 2), appendLe(out, 0, 2), appendLe(out, 0, 2), appendLe(out, 0, 4);
        appendLe(out, crc, 4), appendLe(out, data.size(), 4), appendLe(out, data.size(), 4);
        appendLe(out, record.name.size(), 2), appendLe(out, 0, 2);
        out.insert(out.end(), record.name.begin(), record.name.end());
        out.insert(out.end(), data.begin(), data.end());
        appendLe(directory, 0x02014b50, 4);
        appendLe(directory, 20, 2), appendLe(directory, 20, 2), appendLe(directory, 0, 2),
            appendLe(directory, 0, 2);
        appendLe(directory, 0, 4), appendLe(directory, crc, 4), appendLe(directory, data.size(), 4);
        appendLe(directory, data.size(), 4), appendLe(directory, record.name.size(), 2);
        appendLe(directory, 0, 2), appendLe(directory, 0, 2), appendLe(directory, 0, 2),
            appendLe(directory, 0, 2);
        appendLe(directory, 0, 4), appendLe(directory, local, 4);
        directory.insert(directory.end(), record.name.begin(), record.name.end());
    }
    const std::uint64_t directoryOffset = out.size();
    out.insert(out.end(), directory.begin(), directory.end());
    appendLe(out, 0x06054b50, 4), appendLe(out, 0, 2), appendLe(out, 0, 2);
    appendLe(out, records.size(), 2), appendLe(out, records.size(), 2);
    appendLe(out, directory.size(), 4), appendLe(out, directoryOffset, 4), appendLe(out, 0, 2);
    return out;
}

bool isTensorRecord(const std::string& name) {
    return name.find("/data/") != std::string::npos;
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

    // Issue 14: tensor records cut to 0 bytes crashed, cut to half gave p = -nan; both through a
    // checkpoint and through --weights (a torchvision file). The archive itself stays valid.
    void tensorRecordsCutShortAreRefused() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 3});
        const fs::path good = root / "good.pt";
        saveCheckpoint(good, *model, cardFor("cnn4", {"a", "b"}));
        const fs::path weights = root / "weights.pt";
        writeTensorDict(weights, stateDict(*model));
        const auto same = [](const std::string&, std::vector<char> data) { return data; };
        writeBytes(root / "rezipped.pt", rezip(good, same));
        QVERIFY(errorOf(root / "rezipped.pt").isEmpty());  // the rewriting alone changes nothing

        const auto empty = [](const std::string& name, std::vector<char> data) {
            return isTensorRecord(name) ? std::vector<char>{} : data;
        };
        const auto half = [](const std::string& name, std::vector<char> data) {
            if (isTensorRecord(name))
                data.resize(data.size() / 2);
            return data;
        };
        for (const auto& [label, change] :
             {std::pair{"empty", std::function(empty)}, std::pair{"half", std::function(half)}}) {
            const fs::path checkpoint = root / (std::string(label) + ".pt");
            writeBytes(checkpoint, rezip(good, change));
            const QString reason = errorOf(checkpoint);
            QVERIFY2(reason.contains("needs") && reason.contains("its record holds"), qPrintable(reason));
            const fs::path torchvision = root / (std::string(label) + "-weights.pt");
            writeBytes(torchvision, rezip(weights, change));
            QVERIFY_THROWS_EXCEPTION(FileError, readTensorDict(torchvision));
        }
    }

    // 64 bytes overwritten in the middle of a tensor: LibTorch's miniz does not check CRCs.
    void damagedBytesFailTheZipCrc() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 4});
        const fs::path good = root / "good.pt";
        saveCheckpoint(good, *model, cardFor("cnn4", {"a", "b"}));
        auto bytes = readBytes(good);
        const auto records = verifiedZipRecords(good, bytes);
        const auto largest = std::max_element(records.begin(), records.end(),
                                              [](const auto& a, const auto& b) { return a.size < b.size; });
        QVERIFY(largest->size > 256);
        for (std::uint64_t i = 0; i < 64; ++i)
            bytes[largest->offset + largest->size / 2 + i] = static_cast<char>(0x5A ^ i);
        writeBytes(root / "damaged.pt", bytes);
        const QString reason = errorOf(root / "damaged.pt");
        QVERIFY2(reason.contains("CRC-32"), qPrintable(reason));
    }

    void nonFiniteWeightsAreRefused() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (const double bad :
             {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
            Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 5});
            {
                at::NoGradGuard noGrad;
                stateDict(*model).front().second.view(-1)[0].fill_(bad);
            }
            saveCheckpoint(root / "bad.pt", *model, cardFor("cnn4", {"a", "b"}));
            const QString reason = errorOf(root / "bad.pt");
            QVERIFY2(reason.contains("NaN or infinite"), qPrintable(reason));
            writeTensorDict(root / "bad-weights.pt", stateDict(*model));
            QVERIFY_THROWS_EXCEPTION(FileError, readTensorDict(root / "bad-weights.pt"));
        }
    }

    // A model card nested 200,000 levels deep crashed the CLI: a depth limit at parse time.
    void deeplyNestedCardIsRefused() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 1});
        c10::Dict<std::string, at::Tensor> weights;
        for (const auto& [name, t] : stateDict(*model))
            weights.insert(name, t);
        c10::impl::GenericDict rootDict(c10::StringType::get(), c10::AnyType::get());
        rootDict.insert(std::string("format"), std::string("saliency-studio-checkpoint"));
        rootDict.insert(std::string("version"), std::int64_t(1));
        rootDict.insert(std::string("model_card"), std::string(200000, '[') + std::string(200000, ']'));
        rootDict.insert(std::string("state_dict"), weights);
        writeBytes(root / "deep.pt", torch::jit::pickle_save(c10::IValue(rootDict)));
        const QString reason = errorOf(root / "deep.pt");
        QVERIFY2(reason.contains("nested deeper than 64 levels"), qPrintable(reason));
    }

    // Non-finite logits are an error, never a class.
    void nonFiniteLogitsGiveNoVerdict() {
        Classifier model = makeModel("cnn4", ModelOptions{.numClasses = 2, .seed = 6});
        {
            at::NoGradGuard noGrad;
            for (auto& [name, tensor] : stateDict(*model)) {
                if (tensor.is_floating_point() && name.size() > 4 &&
                    name.compare(name.size() - 4, 4, "bias") == 0)
                    tensor.fill_(std::numeric_limits<float>::infinity());  // the last one is the head's
            }
        }
        cv::Mat image(64, 64, CV_8UC3, cv::Scalar(100, 120, 140));
        try {
            predict(*model, cardFor("cnn4", {"a", "b"}), {image});
            QFAIL("predict gave a verdict for non-finite logits");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("NaN or infinite") != std::string::npos, e.what());
        }
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
