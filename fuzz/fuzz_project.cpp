// libFuzzer target: project files (SQLite) a colleague may send, opened as `report` and the
// statistics dock open them (read-only), then everything they read: the statistics, the marks
// export, the stored map copies. Seeds: a project made by `saliency-cli study` (scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <system_error>

#include "FuzzFile.h"
#include "common/Error.h"
#include "study/AnnotationCsv.h"
#include "study/ProjectDatabase.h"
#include "study/StudyStatistics.h"

namespace {

void readEverything(const std::filesystem::path& file) {
    saliency::study::ProjectDatabase project(file, saliency::study::OpenMode::ReadOnly);
    (void)project.info();
    (void)saliency::study::computeStatistics(project);
    (void)saliency::study::marksCsv(project, std::nullopt);
    for (const auto& map : project.maps())
        (void)project.thumbnailPng(map.id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = saliency::fuzz::writeInput("project.sqlite", std::span(data, size));
    // A WAL left by the previous input would be replayed into this one.
    std::error_code ignored;
    std::filesystem::remove(file.string() + "-wal", ignored);
    std::filesystem::remove(file.string() + "-shm", ignored);
    try {
        readEverything(file);
    } catch (const saliency::Error&) {
    }
    return 0;
}
