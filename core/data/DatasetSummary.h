#pragma once
// What `dataset-info` and the GUI's data-set panel show: counts, sizes, formats, masks, problems.
#include <map>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace saliency {

struct SizeRange {
    int min = 0, median = 0, max = 0;
};

struct ClassSummary {
    std::string name;
    int images = 0;
    int withMask = 0;
    double meanMaskArea = 0.0;  // mean fraction of the image covered by the mask, over images with a mask
};

struct DatasetSummary {
    std::vector<ClassSummary> classes;
    int images = 0;
    SizeRange width, height;
    std::map<std::string, int> formats;  // "jpeg" -> 4500
    std::map<int, int> channels;         // channels as stored -> count
    std::map<int, int> bits;             // bits per sample -> count
    std::vector<SkippedFile> skipped;
    std::vector<std::string> problems;  // why the set is not usable; empty when it is
    std::vector<std::string> warnings;  // usable, but worth knowing (one class only, a class with few images)
    std::string fingerprint;
    bool usable() const { return problems.empty(); }
};

// readMasks: open every mask to measure its area (cheap next to decoding the images).
DatasetSummary summarise(const Dataset& dataset, bool readMasks = true);

}  // namespace saliency
