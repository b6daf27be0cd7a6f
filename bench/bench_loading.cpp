// Prints how fast a data set is scanned and turned into batches of tensors.
// usage: bench_loading DATA_DIR [BATCH=16] [SIZE=150]
#include <chrono>
#include <cstdio>
#include <string>

#include "data/BatchLoader.h"

using Clock = std::chrono::steady_clock;

static double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_loading DATA_DIR [BATCH=16] [SIZE=150]\n");
        return 2;
    }
    const int batch = argc > 2 ? std::stoi(argv[2]) : 16;
    const int size = argc > 3 ? std::stoi(argv[3]) : 150;
    try {
        auto t0 = Clock::now();
        const saliency::Dataset dataset = saliency::scanDataset(argv[1]);
        const double scan = seconds(t0);
        std::printf("scan (decode every file): %zu images in %.2f s = %.0f images/s\n", dataset.items.size(),
                    scan, double(dataset.items.size()) / scan);
        std::vector<int> all(dataset.items.size());
        for (size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<int>(i);
        for (const bool augmented : {false, true}) {
            for (const int prefetch : {0, 2}) {
                saliency::BatchOptions options{
                    .batchSize = batch, .imageSize = size, .shuffle = true, .seed = 1, .prefetch = prefetch};
                options.augment.enabled = augmented;
                saliency::BatchLoader loader(dataset, all, options);
                t0 = Clock::now();
                std::int64_t images = 0;
                while (auto b = loader.next())
                    images += b->images.size(0);
                const double s = seconds(t0);
                std::printf("batches %dx3x%dx%d, augmentation %-3s, prefetch %d: %.0f images/s\n", batch,
                            size, size, augmented ? "on" : "off", prefetch, double(images) / s);
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_loading: %s\n", e.what());
        return 1;
    }
    return 0;
}
