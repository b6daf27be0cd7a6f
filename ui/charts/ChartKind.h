#pragma once
// The eight statistics charts, by name, without Qt: what the statistics dock shows in its tabs and
// what `saliency-cli report` writes (one file name per chart, the same in both).
#include <array>
#include <string>

namespace saliency::ui {

enum class StatisticsChart {
    JudgedCorrect,    // share of maps judged correct per network x method, Wilson 95%, n
    NetworkIou,       // IoU between networks, a heat map per method
    MethodIou,        // IoU between methods, a heat map per network
    Centres,          // centres of mass per network, coloured by method
    CentreDistances,  // histograms of centre-of-mass distances between networks
    MaskAgreement,    // IoU with the tumour masks and the pointing game
    AccuracyVsJudged,  // accuracy against share judged correct ("right for the wrong reason")
    MetricFamilies     // sparseness and relevance rank accuracy (issue 18's complexity and localisation)
};
constexpr int kStatisticsChartCount = 8;

constexpr std::array<StatisticsChart, kStatisticsChartCount> kStatisticsCharts = {
    StatisticsChart::JudgedCorrect,   StatisticsChart::NetworkIou,      StatisticsChart::MethodIou,
    StatisticsChart::Centres,         StatisticsChart::CentreDistances, StatisticsChart::MaskAgreement,
    StatisticsChart::AccuracyVsJudged, StatisticsChart::MetricFamilies};

// "share_correct", "iou_networks", ...: the file name without its suffix, for the dock's export
// and the report alike.
std::string chartFileStem(StatisticsChart chart);

}  // namespace saliency::ui
