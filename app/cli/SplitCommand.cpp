#include <iostream>
#include <sstream>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "data/Split.h"

namespace saliency::cli {

namespace {

SplitFractions parseFractions(const std::string& text) {
    std::vector<double> parts;
    std::stringstream in(text);
    std::string piece;
    while (std::getline(in, piece, ',')) {
        try {
            parts.push_back(std::stod(piece));
        } catch (const std::exception&) {
            throw UsageError("--fractions must be three numbers such as 0.7,0.15,0.15 (got '" + text + "')");
        }
    }
    if (parts.size() != 3)
        throw UsageError("--fractions must be three numbers such as 0.7,0.15,0.15");
    return {parts[0], parts[1], parts[2]};
}

}  // namespace

int runSplit(const std::vector<std::string>& args) {
    Arguments a(args, {});
    const std::filesystem::path data = a.required("data");
    const std::filesystem::path out = a.required("out");
    const std::uint64_t seed = a.unsignedInteger("seed", 0);
    const auto fractions = a.value("fractions");
    a.rejectUnused();
    const SplitFractions f = fractions ? parseFractions(*fractions) : SplitFractions{};

    const Dataset dataset = scanDataset(data, {.decode = false});
    const Split split = makeStratifiedSplit(dataset, f, seed);
    saveSplit(split, out);
    std::cout << "split of " << dataset.items.size() << " scans (seed " << seed << "): " << split.train.size()
              << " train, " << split.validation.size() << " validation, " << split.test.size() << " test -> "
              << out.string() << "\n";
    return 0;
}

}  // namespace saliency::cli
