#include "DemoFixture.h"

#include <map>
#include <string>
#include <tuple>

#include <QTemporaryDir>

#include "common/Progress.h"
#include "data/DemoData.h"

namespace saliency::test {

const std::filesystem::path& demoDataSet(int count, int seed, int sizePx) {
    static QTemporaryDir dir;
    static std::map<std::tuple<int, int, int>, std::filesystem::path> made;
    const auto key = std::tuple(count, seed, sizePx);
    if (const auto it = made.find(key); it != made.end())
        return it->second;
    const std::filesystem::path out =
        std::filesystem::path(dir.path().toStdString()) /
        ("demo-" + std::to_string(count) + "-" + std::to_string(seed) + "-" + std::to_string(sizePx));
    DemoOptions options;
    options.count = count;
    options.seed = seed;
    options.size = sizePx;
    NullProgress progress;
    generateDemoData(out, DemoSources::locate(std::filesystem::path(SALIENCY_SOURCE_DIR) / ".cache"), options,
                     progress);
    return made.emplace(key, out).first->second;
}

}  // namespace saliency::test
