#pragma once
// Stratified, seeded train/validation/test split, saved as JSON so that a study is repeatable.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace saliency {

struct SplitFractions {
    double train = 0.7;
    double validation = 0.15;
    double test = 0.15;
};

struct Split {
    std::uint64_t seed = 0;
    SplitFractions fractions;
    std::string datasetFingerprint;
    std::vector<std::filesystem::path> train, validation, test;  // relative paths of DatasetItem
};

// Each class is shuffled with the seed and cut by the fractions (rounded per class), so every part
// keeps the class proportions. Same data set + seed + fractions => same split, on any machine.
Split makeStratifiedSplit(const Dataset& dataset, const SplitFractions& fractions, std::uint64_t seed);

void saveSplit(const Split& split, const std::filesystem::path& file);  // atomic write; throws FileError
Split loadSplit(const std::filesystem::path& file);                     // throws FileError

// Indices into dataset.items of a part; throws Error if the split names a file the data set lacks.
std::vector<int> splitIndices(const Dataset& dataset, const std::vector<std::filesystem::path>& part);

}  // namespace saliency
