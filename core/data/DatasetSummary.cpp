#include "data/DatasetSummary.h"

#include <algorithm>

#include <opencv2/imgcodecs.hpp>

#include "io/MaskReader.h"

namespace saliency {

namespace {

SizeRange rangeOf(std::vector<int> values) {
    if (values.empty())
        return {};
    std::sort(values.begin(), values.end());
    return {values.front(), values[values.size() / 2], values.back()};
}

// Fraction of non-zero pixels, or -1 when the mask cannot be read.
double maskArea(const std::filesystem::path& file) {
    const cv::Mat mask = readMask(file);
    if (mask.empty())
        return -1.0;
    return double(cv::countNonZero(mask)) / double(mask.total());
}

}  // namespace

DatasetSummary summarise(const Dataset& dataset, bool readMasks) {
    DatasetSummary s;
    s.fingerprint = dataset.fingerprint();
    s.skipped = dataset.skipped;
    s.images = static_cast<int>(dataset.items.size());
    for (const auto& name : dataset.classes)
        s.classes.push_back({name});

    std::vector<int> widths, heights;
    std::vector<double> areaSums(dataset.classes.size(), 0.0);
    for (const auto& item : dataset.items) {
        ClassSummary& c = s.classes[static_cast<size_t>(item.label)];
        ++c.images;
        if (item.maskPath) {
            ++c.withMask;
            if (readMasks) {
                const double area = maskArea(dataset.root / *item.maskPath);
                if (area >= 0)
                    areaSums[static_cast<size_t>(item.label)] += area;
            }
        }
        if (item.width > 0) {
            widths.push_back(item.width);
            heights.push_back(item.height);
            ++s.formats[item.format];
            ++s.channels[item.channels];
            ++s.bits[item.bits];
        }
    }
    for (size_t i = 0; i < s.classes.size(); ++i) {
        if (s.classes[i].withMask > 0)
            s.classes[i].meanMaskArea = areaSums[i] / s.classes[i].withMask;
    }
    s.width = rangeOf(std::move(widths));
    s.height = rangeOf(std::move(heights));

    if (s.images == 0)
        s.problems.push_back("no readable image in any class folder");
    if (s.classes.size() == 1)
        s.warnings.push_back("only one class ('" + s.classes[0].name + "'): a classifier needs two");
    for (const auto& c : s.classes) {
        if (c.images == 0)
            s.warnings.push_back("class '" + c.name + "' has no readable image");
    }
    if (!s.skipped.empty())
        s.warnings.push_back(std::to_string(s.skipped.size()) + " file(s) skipped, listed below");
    return s;
}

}  // namespace saliency
