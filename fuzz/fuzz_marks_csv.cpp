// libFuzzer target: a marks CSV (`annotate --import`, File > Import marks) checked against a small
// project and imported in a transaction that is rolled back, so every input meets the same project.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "FuzzFile.h"
#include "common/Error.h"
#include "study/AnnotationCsv.h"
#include "study/ProjectDatabase.h"

namespace {

using saliency::study::ProjectDatabase;

// Two scans and two networks, the names the seed CSVs use (scripts/fuzz.sh).
std::unique_ptr<ProjectDatabase> makeProject() {
    const std::uint8_t none = 0;
    auto project =
        std::make_unique<ProjectDatabase>(saliency::fuzz::writeInput("marks.sqlite", std::span(&none, 0)));
    project->bindDataSet("/data", {"Brain Tumor", "Healthy"});
    project->putScan({.path = "Brain Tumor/Cancer (1).jpg",
                      .classIndex = 0,
                      .className = "Brain Tumor",
                      .width = 64,
                      .height = 64,
                      .fingerprint = "a"});
    project->putScan({.path = "Healthy/Not Cancer  (1).jpg",
                      .classIndex = 1,
                      .className = "Healthy",
                      .width = 64,
                      .height = 64,
                      .fingerprint = "b"});
    project->registerModel({.name = "cnn4-demo",
                            .checkpointPath = "/m/cnn4-demo.pt",
                            .architecture = "cnn4",
                            .cardJson = "{}",
                            .fingerprint = "c"});
    project->registerModel({.name = "efficientnet-b0-demo",
                            .checkpointPath = "/m/e.pt",
                            .architecture = "efficientnet-b0",
                            .cardJson = "{}",
                            .fingerprint = "d"});
    return project;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<ProjectDatabase> project = makeProject();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto marks = saliency::study::readMarksCsv(*project, text, std::nullopt);
        auto rollback = project->transaction();  // never committed
        (void)saliency::study::importMarks(*project, marks, true);
        (void)saliency::study::marksCsv(*project, std::nullopt);
    } catch (const saliency::Error&) {
    }
    return 0;
}
