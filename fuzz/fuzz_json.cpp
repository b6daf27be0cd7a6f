// libFuzzer target: JSON a user may have been sent, parsed with the depth limit (common/BoundedJson)
// and read as a data-set split. The model card's fields are read by fuzz_model_card (LibTorch side).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "FuzzFile.h"
#include "common/BoundedJson.h"
#include "common/Error.h"
#include "data/Split.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto json =
            saliency::parseBoundedJson(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)json.dump();  // copying and printing recurse: the depth limit must hold for them
    } catch (const saliency::Error&) {
    }
    try {
        (void)saliency::loadSplit(saliency::fuzz::writeInput("split.json", std::span(data, size)));
    } catch (const saliency::Error&) {
    }
    return 0;
}
