#include <iostream>

#include "ReportCharts.h"  // the chart library: the one place the CLI draws (with Qt, offscreen)
#include "StatisticsData.h"
#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "common/AtomicFile.h"
#include "study/ProjectDatabase.h"
#include "study/ReviewQueue.h"
#include "study/StudyReport.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

std::string counted(std::size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// Only the PNGs go into report.md: every Markdown viewer shows them.
std::vector<fs::path> pngsOf(const std::vector<fs::path>& files) {
    std::vector<fs::path> pngs;
    for (const auto& file : files) {
        if (file.extension() == ".png")
            pngs.push_back(file);
    }
    return pngs;
}

}  // namespace

int runReport(const std::vector<std::string>& args) {
    Arguments a(args, {});
    const fs::path projectFile = a.required("project");
    const fs::path out = a.required("out");
    const auto annotator = a.value("annotator");
    ui::ChartPaper paper;
    paper.widthMm = a.real("width-mm", ui::ChartPaper::kTwoColumnsMm, 20, 1000);
    paper.dpi = a.real("dpi", 300, 30, 1200);
    paper.fontPoints = a.real("font-pt", 8, 4, 24);
    a.rejectUnused();

    // One read and one reduction for the tables and the charts (the statistics dock's own).
    const ui::StatisticsData data = ui::loadStatisticsData(projectFile, annotator);
    const study::StudyStatistics& statistics = data.rows.statistics;
    // Charts first, so that report.md can show them.
    const auto charts = ui::writeReportCharts(data, out / "charts", paper);
    auto files = study::writeReport(statistics, out, pngsOf(charts));
    {  // The maps most in need of a second look (the app's Go > Next in review queue walks the same).
        study::ProjectDatabase project(projectFile, study::OpenMode::ReadOnly);
        files.push_back(out / "review_queue.csv");
        writeFileAtomically(files.back(), study::reviewQueueCsv(project).text());
    }
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
