#include "training/BuildInfo.h"

#include <torch/cuda.h>
#include <torch/version.h>

#ifndef SALIENCY_VERSION
#error "SALIENCY_VERSION must be defined by the build (CMake's PROJECT_VERSION)"
#endif

namespace saliency {

const char* projectVersion() {
    return SALIENCY_VERSION;
}

const char* libtorchVersion() {
    return TORCH_VERSION;
}

std::string versionReport(std::string_view program, std::string_view commit) {
    std::string text;
    text.append(program).append(" ").append(projectVersion()).append("\n");
    text.append("commit ").append(commit.empty() ? "unknown" : commit).append("\n");
    text.append("LibTorch ").append(libtorchVersion()).append("\n");
    if (torch::cuda::is_available()) {
        const auto devices = torch::cuda::device_count();
        text.append("CUDA available (")
            .append(std::to_string(devices))
            .append(devices == 1 ? " device)\n" : " devices)\n");
    } else {
        text.append("CUDA not available\n");
    }
    return text;
}

}  // namespace saliency
