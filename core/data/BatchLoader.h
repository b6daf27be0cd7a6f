#pragma once
// Turns data-set items into batches of tensors, decoding and augmenting on a worker thread so
// that the next batch is ready while the network works on the current one.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <ATen/core/Tensor.h>

#include "data/Augment.h"
#include "data/Dataset.h"
#include "data/Preprocess.h"

namespace saliency {

struct Batch {
    at::Tensor images;         // (N,3,S,S) float32, normalised
    at::Tensor labels;         // (N) int64
    std::vector<int> indices;  // into Dataset::items
};

struct BatchOptions {
    int batchSize = 16;
    int imageSize = 150;
    Normalisation normalisation;
    AugmentOptions augment{.enabled = false};
    bool shuffle = false;
    bool dropLast = false;
    std::uint64_t seed = 0;
    int epoch = 0;     // with the seed, picks the shuffle order and augmentation of this pass
    int prefetch = 2;  // batches prepared ahead; 0 prepares each batch on the caller's thread
};

class BatchLoader {
  public:
    // indices: which items of the data set to use (e.g. splitIndices(dataset, split.train)).
    BatchLoader(const Dataset& dataset, std::vector<int> indices, BatchOptions options);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    std::int64_t batchCount() const;
    // The next batch in order, or nothing at the end of the pass. A file that fails to decode
    // (it changed since the scan) throws FileError here, on the caller's thread.
    std::optional<Batch> next();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace saliency
