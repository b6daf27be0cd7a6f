#pragma once
// A data set on disk: a folder whose sub-folders are classes (the Kaggle "Brain Tumor Dataset"
// layout), with an optional masks/ folder that mirrors it with PNG tumour masks.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/Progress.h"
#include "data/ViewSidecar.h"

namespace saliency {

struct DatasetItem {
    std::filesystem::path relativePath;  // from the data set root, e.g. "Brain Tumor/Cancer (12).jpg"
    int label = -1;                      // index into Dataset::classes
    std::optional<std::filesystem::path>
        maskPath;  // relative to the root, e.g. "masks/Brain Tumor/Cancer (12).png"
    // Filled when the scan was checked by decoding it:
    int width = 0;
    int height = 0;
    int channels = 0;  // as stored in the file
    int bits = 0;
    std::string format;
    std::uintmax_t bytes = 0;
    // The scan's view and slice level from the data set's views.csv (data/ViewSidecar.h), if it has one.
    std::optional<ScanView> view;
};

struct SkippedFile {
    std::filesystem::path relativePath;
    std::string reason;
};

struct Dataset {
    std::filesystem::path root;
    std::vector<std::string> classes;  // sorted folder names; label i = classes[i]
    std::vector<DatasetItem> items;    // sorted by class, then by natural file order
    std::vector<SkippedFile> skipped;

    std::filesystem::path absolute(const DatasetItem& item) const { return root / item.relativePath; }
    std::vector<int> labels() const;
    std::map<int, int> countPerClass() const;
    // A hash of the sorted (path, size, label) list: identifies the data set in model cards and splits.
    std::string fingerprint() const;
};

struct ScanOptions {
    bool decode =
        true;  // decode every file (to skip unreadable ones and read sizes); false: trust extensions
};

// Never aborts on a bad file: it is skipped and listed with the reason. Throws Error only when the
// folder itself cannot be used (missing, not a folder, no class sub-folders) or its views.csv is
// malformed (better than silently losing every scan's view).
Dataset scanDataset(const std::filesystem::path& root, const ScanOptions& options = {},
                    Progress* progress = nullptr);

// "Not Cancer  (7).jpg" < "Not Cancer  (12).jpg": digit runs compare by value.
bool naturalLess(const std::string& a, const std::string& b);

}  // namespace saliency
