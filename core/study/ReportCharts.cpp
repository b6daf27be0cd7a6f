#include "study/ReportCharts.h"

#include "study/ChartParts.h"
#include "study/ReportText.h"

namespace saliency::study {

ChartRows readChartRows(ProjectDatabase& project) {
    return {project.maps(), project.pairs()};
}

std::vector<ChartFile> reportCharts(const StudyStatistics& statistics, const ChartRows& rows) {
    const chart::Input in(statistics, rows);
    return {{"share_correct.svg", chart::shareChart(in)},
            {"iou_networks.svg", chart::networkIouChart(in)},
            {"iou_methods.svg", chart::methodIouChart(in)},
            {"centres_of_mass.svg", chart::centreScatterChart(in)},
            {"centre_distances.svg", chart::centreDistanceChart(in)},
            {"mask_agreement.svg", chart::maskAgreementChart(in)},
            {"accuracy_vs_judged.svg", chart::accuracyChart(in)}};
}

std::vector<std::filesystem::path> writeReportCharts(const StudyStatistics& statistics, const ChartRows& rows,
                                                     const std::filesystem::path& folder) {
    std::vector<std::pair<std::string, std::string>> files;
    for (auto& chart : reportCharts(statistics, rows))
        files.emplace_back(std::move(chart.name), std::move(chart.svg));
    return writeReportFiles(folder, files);
}

}  // namespace saliency::study
