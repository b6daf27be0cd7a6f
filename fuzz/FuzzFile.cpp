#include "FuzzFile.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>

namespace saliency::fuzz {
namespace {

// Removes the scratch folder when the fuzzer exits normally (a crash leaves it for inspection).
struct ScratchFolder {
    std::filesystem::path path;
    ScratchFolder() {
        const char* tmp = std::getenv("TMPDIR");
        path = std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") /
               ("saliency-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
    }
    ~ScratchFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
};

}  // namespace

std::filesystem::path writeInput(std::string_view name, std::span<const std::uint8_t> data) {
    static const ScratchFolder folder;
    const auto file = folder.path / std::string(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out)
        std::abort();  // the scratch disk is full: a broken fuzz run, not a finding
    return file;
}

}  // namespace saliency::fuzz
