// libFuzzer target: DICOM files (any transfer syntax DCMTK decodes here: raw, deflated, JPEG,
// JPEG-LS, RLE), through readScan as the app reads them, plus the frame count and the last frame.
#include <cstddef>
#include <cstdint>
#include <span>

#include "FuzzFile.h"
#include "common/Error.h"
#include "io/DicomReader.h"
#include "io/ScanReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = saliency::fuzz::writeInput("input.dcm", std::span(data, size));
    try {
        (void)saliency::readScan(file);
        const int frames = saliency::dicomFrameCount(file);
        if (frames > 1)
            (void)saliency::readDicom(file, frames - 1);
    } catch (const saliency::Error&) {
    }
    return 0;
}
