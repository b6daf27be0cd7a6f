#include <iostream>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "study/ReportCharts.h"
#include "study/StudyReport.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

std::string counted(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

int runReport(const std::vector<std::string>& args) {
    Arguments a(args, {});
    const fs::path projectFile = a.required("project");
    const fs::path out = a.required("out");
    const auto annotator = a.value("annotator");
    a.rejectUnused();

    study::ProjectDatabase project(projectFile, study::OpenMode::ReadOnly);
    const study::StudyStatistics statistics = study::computeStatistics(project, annotator);
    // Charts first, so that report.md can show them.
    const auto charts = study::writeReportCharts(statistics, study::readChartRows(project), out / "charts");
    auto files = study::writeReport(statistics, out, charts);
    files.insert(files.end(), charts.begin(), charts.end());
    std::cout << "report of " << counted(statistics.scans, "scan") << ", "
              << counted(statistics.models.size(), "model") << ", " << counted(statistics.maps, "map") << ", "
              << counted(statistics.pairs, "pair") << " and " << counted(statistics.annotations, "annotation")
              << " -> " << out.string() << "\n";
    for (const auto& file : files)
        std::cout << "  " << file.lexically_relative(out).generic_string() << "\n";
    if (statistics.maps == 0)
        std::cerr << "saliency-cli report: warning: the project has no maps yet (run saliency-cli study)\n";
    return 0;
}

}  // namespace saliency::cli
