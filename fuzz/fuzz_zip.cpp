// libFuzzer target: the checkpoint's container (a zip of tensor records) as the loader checks it
// before LibTorch sees a byte: central directory, local headers, sizes, CRC-32 of every record.
// The rest of loading (card, tensors) is fuzz_checkpoint's, which only the mutation driver runs
// (see CMakeLists.txt: clang cannot compile LibTorch 1.13's headers as C++20).
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/Error.h"
#include "models/ZipRecords.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)saliency::models::verifiedZipRecords("model.pt",
                                                   std::span(reinterpret_cast<const char*>(data), size));
    } catch (const saliency::Error&) {
    }
    return 0;
}
