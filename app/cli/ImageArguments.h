#pragma once
// The images a command works on: --image IMG (repeatable) and/or every scan of --data DIR.
#include <filesystem>
#include <vector>

#include "cli/Arguments.h"

namespace saliency::cli {

// Throws UsageError when neither is given.
std::vector<std::filesystem::path> chooseImages(Arguments& args);

}  // namespace saliency::cli
