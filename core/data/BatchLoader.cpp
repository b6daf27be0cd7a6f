#include "data/BatchLoader.h"

#include <ATen/ATen.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>

#include "common/Error.h"
#include "data/Random.h"
#include "io/ScanReader.h"

namespace saliency {

namespace {

struct Sample {
    std::filesystem::path file;
    int label;
    int index;
};

}  // namespace

struct BatchLoader::Impl {
    std::vector<Sample> order;  // this pass's order (shuffled when asked)
    BatchOptions options;
    std::int64_t batches = 0;

    // Prefetch: a producer thread fills `ready` in order; next() takes from the front.
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::variant<Batch, std::exception_ptr>> ready;
    std::int64_t produced = 0;
    std::int64_t consumed = 0;
    bool stopping = false;
    std::thread producer;

    Batch make(std::int64_t batchIndex) const {
        const auto size = static_cast<std::int64_t>(order.size());
        const std::int64_t begin = batchIndex * options.batchSize;
        const std::int64_t end = std::min(size, begin + options.batchSize);
        const std::int64_t n = end - begin;
        const int s = options.imageSize;
        Batch batch;
        batch.images = at::empty({n, 3, s, s}, at::kFloat);
        batch.labels = at::empty({n}, at::kLong);
        float* pixels = batch.images.data_ptr<float>();
        auto* labels = batch.labels.data_ptr<std::int64_t>();
        const std::uint64_t passSeed = Rng::mix(options.seed, static_cast<std::uint64_t>(options.epoch));
        for (std::int64_t i = 0; i < n; ++i) {
            const Sample& sample = order[static_cast<size_t>(begin + i)];
            cv::Mat rgb = readScan(sample.file).rgb;
            if (options.augment.enabled) {
                // One stream per item and pass: the same augmentation whatever the batch size or thread.
                Rng rng(Rng::mix(passSeed, static_cast<std::uint64_t>(sample.index)));
                rgb = augment(rgb, rng, options.augment);
            }
            hwcToChw(preprocess(rgb, s, options.normalisation), pixels + i * 3 * s * s);
            labels[i] = sample.label;
            batch.indices.push_back(sample.index);
        }
        return batch;
    }

    void produce() {
        for (std::int64_t b = 0; b < batches; ++b) {
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stopping || produced - consumed < options.prefetch; });
                if (stopping)
                    return;
            }
            std::variant<Batch, std::exception_ptr> item;
            try {
                item = make(b);
            } catch (...) {
                item = std::current_exception();
            }
            {
                std::lock_guard lock(mutex);
                ready.push_back(std::move(item));
                ++produced;
            }
            changed.notify_all();
        }
    }
};

BatchLoader::BatchLoader(const Dataset& dataset, std::vector<int> indices, BatchOptions options)
    : impl_(std::make_unique<Impl>()) {
    if (options.batchSize <= 0)
        throw Error("batch size must be positive");
    if (options.imageSize <= 0)
        throw Error("image size must be positive");
    impl_->options = options;
    for (const int i : indices) {
        if (i < 0 || i >= static_cast<int>(dataset.items.size()))
            throw Error("batch loader: item index out of range");
        const auto& item = dataset.items[static_cast<size_t>(i)];
        impl_->order.push_back({dataset.absolute(item), item.label, i});
    }
    if (options.shuffle) {
        Rng rng(Rng::mix(options.seed ^ 0x5348554646ull, static_cast<std::uint64_t>(options.epoch)));
        auto& order = impl_->order;
        for (size_t i = order.size(); i > 1; --i)
            std::swap(order[i - 1], order[rng.next() % i]);
    }
    const auto n = static_cast<std::int64_t>(impl_->order.size());
    impl_->batches =
        options.dropLast ? n / options.batchSize : (n + options.batchSize - 1) / options.batchSize;
    if (options.prefetch > 0 && impl_->batches > 0)
        impl_->producer = std::thread([this] { impl_->produce(); });
}

BatchLoader::~BatchLoader() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->changed.notify_all();
    if (impl_->producer.joinable())
        impl_->producer.join();
}

std::int64_t BatchLoader::batchCount() const {
    return impl_->batches;
}

std::optional<Batch> BatchLoader::next() {
    Impl& d = *impl_;
    if (d.consumed >= d.batches)
        return std::nullopt;
    if (d.options.prefetch <= 0)
        return d.make(d.consumed++);
    std::variant<Batch, std::exception_ptr> item;
    {
        std::unique_lock lock(d.mutex);
        d.changed.wait(lock, [&] { return !d.ready.empty(); });
        item = std::move(d.ready.front());
        d.ready.pop_front();
        ++d.consumed;
    }
    d.changed.notify_all();
    if (auto* error = std::get_if<std::exception_ptr>(&item))
        std::rethrow_exception(*error);
    return std::get<Batch>(std::move(item));
}

}  // namespace saliency
