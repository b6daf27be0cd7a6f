#pragma once
// Demo scans with masks for the ui suites (core's demo-data generator on the cached real head
// scans), made once per executable and parameter set in a temporary folder that lives as long as
// the test process. The same parameters always give the same scans.
#include <filesystem>

namespace saliency::test {

const std::filesystem::path& demoDataSet(int count, int seed, int sizePx);

}  // namespace saliency::test
