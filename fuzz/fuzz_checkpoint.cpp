// Fuzz target (mutation driver only, see fuzz_zip.cpp): checkpoints loaded as the app and the CLI
// load them: zip records and their CRC-32, the card, the architecture built from it, tensor sizes
// against shapes, finite weights. Seeds: the demo models (scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <span>

#include "FuzzFile.h"
#include "common/Error.h"
#include "models/Checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = saliency::fuzz::writeInput("model.pt", std::span(data, size));
    try {
        (void)saliency::models::readModelCard(file);
        (void)saliency::models::loadCheckpoint(file);
    } catch (const saliency::Error&) {
    }
    return 0;
}
