// Fuzz target (mutation driver only, see fuzz_zip.cpp): a model card's JSON read field by field, as
// the loader reads the card inside a checkpoint and the model panel reads the one beside it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/BoundedJson.h"
#include "common/Error.h"
#include "models/Checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto text = std::string_view(reinterpret_cast<const char*>(data), size);
        const auto card = saliency::models::ModelCard::fromJson(saliency::parseBoundedJson(text));
        (void)card.toJson().dump();
    } catch (const saliency::Error&) {
    }
    return 0;
}
