// Batches of tensors from a data set: shapes, values, order, determinism, errors.
#include <QTemporaryDir>
#include <QtTest>

#include <ATen/ATen.h>

#include <set>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "data/BatchLoader.h"
#include "io/ScanReader.h"

namespace fs = std::filesystem;
using namespace saliency;

namespace {

// 7 PNGs (lossless, so expected values are exact) in two classes.
Dataset makeSet(const QTemporaryDir& dir) {
    const fs::path root(dir.path().toStdString());
    for (int i = 0; i < 7; ++i) {
        const fs::path file = root / (i < 4 ? "a" : "b") / ("img" + std::to_string(i) + ".png");
        fs::create_directories(file.parent_path());
        cv::Mat bgr(20 + i, 24, CV_8UC3);
        cv::randu(bgr, cv::Scalar::all(0), cv::Scalar::all(255));
        cv::imwrite(file.string(), bgr);
    }
    return scanDataset(root);
}

std::vector<int> allIndices(const Dataset& d) {
    std::vector<int> v(d.items.size());
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<int>(i);
    return v;
}

std::vector<at::Tensor> drain(BatchLoader& loader, std::vector<int>* order = nullptr) {
    std::vector<at::Tensor> out;
    while (auto batch = loader.next()) {
        out.push_back(batch->images);
        if (order)
            order->insert(order->end(), batch->indices.begin(), batch->indices.end());
    }
    return out;
}

}  // namespace

class TestBatching : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void shapesLabelsAndValues() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        BatchOptions o{.batchSize = 3, .imageSize = 16};
        BatchLoader loader(d, allIndices(d), o);
        QCOMPARE(loader.batchCount(), std::int64_t(3));
        auto first = loader.next();
        QVERIFY(first.has_value());
        QCOMPARE(first->images.sizes().vec(), (std::vector<std::int64_t>{3, 3, 16, 16}));
        QCOMPARE(first->labels.sizes().vec(), (std::vector<std::int64_t>{3}));
        QCOMPARE(first->labels[0].item<std::int64_t>(), std::int64_t(0));
        // pixel values equal the single-image pipeline's
        const cv::Mat expected = preprocess(readScan(d.absolute(d.items[1])).rgb, 16, o.normalisation);
        std::vector<float> chw(3 * 16 * 16);
        hwcToChw(expected, chw.data());
        const at::Tensor ref = at::from_blob(chw.data(), {3, 16, 16}, at::kFloat);
        QVERIFY(at::allclose(first->images[1], ref, 0, 0));
        loader.next();
        auto last = loader.next();
        QCOMPARE(last->images.size(0), std::int64_t(1));  // 7 = 3 + 3 + 1
        QCOMPARE(last->labels[0].item<std::int64_t>(), std::int64_t(1));
        QVERIFY(!loader.next().has_value());
    }

    void dropLast() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        BatchLoader loader(d, allIndices(d), {.batchSize = 3, .imageSize = 8, .dropLast = true});
        QCOMPARE(loader.batchCount(), std::int64_t(2));
        QCOMPARE(drain(loader).size(), size_t(2));
    }

    void shuffleIsASeededPermutation() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        auto orderFor = [&](std::uint64_t seed, int epoch) {
            BatchLoader loader(
                d, allIndices(d),
                {.batchSize = 2, .imageSize = 8, .shuffle = true, .seed = seed, .epoch = epoch});
            std::vector<int> order;
            drain(loader, &order);
            return order;
        };
        const auto a = orderFor(5, 0);
        QCOMPARE(std::set<int>(a.begin(), a.end()).size(), d.items.size());
        QCOMPARE(orderFor(5, 0), a);
        QVERIFY(orderFor(5, 1) != a || orderFor(6, 0) != a);
    }

    void prefetchAndAugmentationAreDeterministic() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        BatchOptions o{.batchSize = 2, .imageSize = 12, .shuffle = true, .seed = 3, .prefetch = 0};
        o.augment.enabled = true;
        BatchLoader inline_(d, allIndices(d), o);
        o.prefetch = 3;
        BatchLoader threaded(d, allIndices(d), o);
        const auto a = drain(inline_);
        const auto b = drain(threaded);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(at::equal(a[i], b[i]));
        // a different batch size gives the same augmented images in the same order
        o.batchSize = 3;
        BatchLoader regrouped(d, allIndices(d), o);
        QVERIFY(at::equal(at::cat(a), at::cat(drain(regrouped))));
    }

    void aFileThatVanishedIsAClearErrorOnTheCallersThread() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        fs::remove(d.absolute(d.items[4]));
        BatchLoader loader(d, allIndices(d), {.batchSize = 2, .imageSize = 8, .prefetch = 2});
        QVERIFY(loader.next().has_value());
        QVERIFY(loader.next().has_value());
        try {
            loader.next();
            QFAIL("expected an error for the removed file");
        } catch (const FileError& e) {
            QCOMPARE(e.path(), d.absolute(d.items[4]));
        }
    }

    void destroyingMidPassDoesNotHang() {
        QTemporaryDir dir;
        const Dataset d = makeSet(dir);
        BatchLoader loader(d, allIndices(d), {.batchSize = 1, .imageSize = 8, .prefetch = 1});
        QVERIFY(loader.next().has_value());
    }
};

QTEST_APPLESS_MAIN(TestBatching)
#include "test_batching.moc"
