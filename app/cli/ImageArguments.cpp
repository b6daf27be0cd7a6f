#include "cli/ImageArguments.h"

#include "data/Dataset.h"

namespace saliency::cli {

std::vector<std::filesystem::path> chooseImages(Arguments& a) {
    std::vector<std::filesystem::path> images;
    for (const auto& i : a.values("image"))
        images.emplace_back(i);
    if (const auto data = a.value("data")) {
        const Dataset dataset = scanDataset(*data);
        for (const auto& item : dataset.items)
            images.push_back(dataset.absolute(item));
    }
    if (images.empty())
        throw UsageError("give --image IMG (repeatable) or --data DIR");
    return images;
}

}  // namespace saliency::cli
