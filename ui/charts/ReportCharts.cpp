#include "ReportCharts.h"

#include "OffscreenGui.h"
#include "common/Error.h"

namespace fs = std::filesystem;

namespace saliency::ui {

std::vector<fs::path> writeReportCharts(const StatisticsData& data, const fs::path& folder,
                                        const ChartPaper& paper) {
    const OffscreenGui gui;
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw FileError(folder, "cannot create the folder: " + error.message());
    std::vector<fs::path> files;
    for (const StatisticsChart chart : kStatisticsCharts) {
        for (const char* suffix : {".png", ".svg", ".pdf"}) {
            const fs::path file = folder / (chartFileStem(chart) + suffix);
            exportChart(chart, data, file, paper);
            files.push_back(file);
        }
    }
    return files;
}

}  // namespace saliency::ui
