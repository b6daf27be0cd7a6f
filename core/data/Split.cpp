#include "data/Split.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/AtomicFile.h"
#include "common/BoundedJson.h"
#include "common/Error.h"
#include "data/Random.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace saliency {

namespace {

void checkFractions(const SplitFractions& f) {
    const double sum = f.train + f.validation + f.test;
    if (f.train < 0 || f.validation < 0 || f.test < 0 || std::abs(sum - 1.0) > 1e-6) {
        throw Error("split fractions must be non-negative and add up to 1 (got " + std::to_string(f.train) +
                    ", " + std::to_string(f.validation) + ", " + std::to_string(f.test) + ")");
    }
}

// Fisher-Yates with our platform-independent generator (std::shuffle's draws are not portable).
template <typename T>
void shuffle(std::vector<T>& values, Rng& rng) {
    for (size_t i = values.size(); i > 1; --i) {
        const auto j = static_cast<size_t>(rng.next() % i);
        std::swap(values[i - 1], values[j]);
    }
}

std::vector<std::string> toStrings(const std::vector<fs::path>& paths) {
    std::vector<std::string> out;
    out.reserve(paths.size());
    for (const auto& p : paths)
        out.push_back(p.generic_string());
    return out;
}

std::vector<fs::path> toPaths(const json& array) {
    std::vector<fs::path> out;
    for (const auto& v : array)
        out.emplace_back(v.get<std::string>());
    return out;
}

}  // namespace

Split makeStratifiedSplit(const Dataset& dataset, const SplitFractions& fractions, std::uint64_t seed) {
    checkFractions(fractions);
    Split split;
    split.seed = seed;
    split.fractions = fractions;
    split.datasetFingerprint = dataset.fingerprint();

    for (int label = 0; label < static_cast<int>(dataset.classes.size()); ++label) {
        std::vector<fs::path> members;
        for (const auto& item : dataset.items) {
            if (item.label == label)
                members.push_back(item.relativePath);
        }
        // Items are in natural order already; a per-class stream keeps classes independent.
        Rng rng(Rng::mix(seed, static_cast<std::uint64_t>(label)));
        shuffle(members, rng);
        // Cumulative rounding: the cut points are round(n * train) and round(n * (train + validation)),
        // so the parts always add up to n and each is within one item of its exact share.
        const auto n = static_cast<double>(members.size());
        const auto cut1 = static_cast<std::ptrdiff_t>(std::lround(n * fractions.train));
        const auto cut2 =
            static_cast<std::ptrdiff_t>(std::lround(n * (fractions.train + fractions.validation)));
        const auto begin = members.begin();
        split.train.insert(split.train.end(), begin, begin + cut1);
        split.validation.insert(split.validation.end(), begin + cut1, begin + cut2);
        split.test.insert(split.test.end(), begin + cut2, members.end());
    }
    return split;
}

void saveSplit(const Split& split, const fs::path& file) {
    const json doc = {
        {"format", "saliency-studio-split"},
        {"version", 1},
        {"seed", split.seed},
        {"fractions",
         {{"train", split.fractions.train},
          {"validation", split.fractions.validation},
          {"test", split.fractions.test}}},
        {"dataset_fingerprint", split.datasetFingerprint},
        {"train", toStrings(split.train)},
        {"validation", toStrings(split.validation)},
        {"test", toStrings(split.test)},
    };
    writeFileAtomically(file, doc.dump(2) + "\n");
}

Split loadSplit(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FileError(file, "cannot open the split file");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    try {
        const json doc = parseBoundedJson(text);
        if (doc.value("format", "") != "saliency-studio-split")
            throw FileError(file, "not a Saliency Studio split file");
        Split split;
        split.seed = doc.at("seed").get<std::uint64_t>();
        const auto& f = doc.at("fractions");
        split.fractions = {f.at("train").get<double>(), f.at("validation").get<double>(),
                           f.at("test").get<double>()};
        split.datasetFingerprint = doc.value("dataset_fingerprint", "");
        split.train = toPaths(doc.at("train"));
        split.validation = toPaths(doc.at("validation"));
        split.test = toPaths(doc.at("test"));
        return split;
    } catch (const json::exception& e) {
        throw FileError(file, std::string("malformed split file: ") + e.what());
    } catch (const FileError&) {
        throw;
    } catch (const Error& e) {
        throw FileError(file, std::string("malformed split file: ") + e.what());
    }
}

std::vector<int> splitIndices(const Dataset& dataset, const std::vector<fs::path>& part) {
    std::unordered_map<std::string, int> index;
    for (int i = 0; i < static_cast<int>(dataset.items.size()); ++i) {
        index.emplace(dataset.items[static_cast<size_t>(i)].relativePath.generic_string(), i);
    }
    std::vector<int> out;
    out.reserve(part.size());
    for (const auto& p : part) {
        const auto it = index.find(p.generic_string());
        if (it == index.end()) {
            throw Error(
                "the split names '" + p.generic_string() +
                "', which is not in the data set (was the data set changed since the split was made?)");
        }
        out.push_back(it->second);
    }
    return out;
}

}  // namespace saliency
