// libFuzzer target: NIfTI-1 volumes, plain and gzip-compressed (the name follows the content, as a
// user's file would be named), read whole and as the middle slice of each axis.
#include <cstddef>
#include <cstdint>
#include <span>

#include "FuzzFile.h"
#include "common/Error.h"
#include "io/NiftiReader.h"
#include "io/ScanReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bool gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    const auto file = saliency::fuzz::writeInput(gzip ? "input.nii.gz" : "input.nii", std::span(data, size));
    try {
        (void)saliency::readNifti(file);
        for (const auto axis : {saliency::SliceAxis::Sagittal, saliency::SliceAxis::Coronal})
            (void)saliency::readScan(file, {.axis = axis});
    } catch (const saliency::Error&) {
    }
    return 0;
}
