// libFuzzer target: 2D images (JPEG, PNG 8/16 bit, BMP, TIFF) through the one entry point the app,
// the CLI and the study use (readScan), then the mask reader on the same bytes. A refusal is a
// FileError with a reason; anything else escaping, a crash, a leak or a run past the memory limit is
// a finding.
#include <cstddef>
#include <cstdint>
#include <span>

#include "FuzzFile.h"
#include "common/Error.h"
#include "io/MaskReader.h"
#include "io/ScanReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = saliency::fuzz::writeInput("input.img", std::span(data, size));
    try {
        (void)saliency::readScan(file);
    } catch (const saliency::Error&) {
    }
    try {
        (void)saliency::readMask(file);
    } catch (const saliency::Error&) {
    }
    return 0;
}
