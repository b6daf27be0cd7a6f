#pragma once
// The statistics view's charts, drawn with QCustomPlot from StatisticsData (the numbers) into a
// plot that the view owns. Each builder returns where a click means something (a bar, a heat-map
// cell, a point), so the view can filter the scan browser to the scans behind it.
#include <cstdint>
#include <string>
#include <vector>

#include <QPointF>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QStringList>

#include "StatisticsData.h"

class QCustomPlot;
class QCPAxisRect;

namespace saliency::ui {

enum class StatisticsChart {
    JudgedCorrect,    // share of maps judged correct per network x method, Wilson 95%, n
    NetworkIou,       // IoU between networks, a heat map per method
    MethodIou,        // IoU between methods, a heat map per network
    Centres,          // centres of mass per network, coloured by method
    CentreDistances,  // histograms of centre-of-mass distances between networks
    MaskAgreement,    // IoU with the tumour masks and the pointing game
    AccuracyVsJudged  // accuracy against share judged correct ("right for the wrong reason")
};
constexpr int kStatisticsChartCount = 7;

QString chartTitle(StatisticsChart chart);     // for the tab
QString chartFileStem(StatisticsChart chart);  // "judged-correct", ... for exported files

// The scans a chart element stands for (see scansWithMaps etc. in StatisticsData.h).
enum class TargetScope { Maps, Judged, Masked, NetworkPair, MethodPair, OneScan };

struct ChartTarget {
    QCPAxisRect* rect = nullptr;
    QRectF area;           // in the rect's plot coordinates (x: key, y: value); unused for a point
    bool isPoint = false;  // hit within a few pixels of `at`
    QPointF at;
    QString toolTip;
    TargetScope scope = TargetScope::Maps;
    std::string model;        // the network (Maps, Judged, Masked, MethodPair, OneScan; first of NetworkPair)
    std::string method;       // the method (first of MethodPair)
    std::string other;        // the second network (NetworkPair) or method (MethodPair)
    std::int64_t scanId = 0;  // OneScan
};

struct BuiltChart {
    std::vector<ChartTarget> targets;
    QSize exportSize;  // the figure's natural size in pixels at 96 dpi (panels stay readable)
};

BuiltChart buildChart(QCustomPlot& plot, StatisticsChart chart, const StatisticsData& data);

// The target under `pixel` (widget coordinates of the plot), or null.
const ChartTarget* targetAt(const std::vector<ChartTarget>& targets, QPointF pixel);

// What a click on `target` asks the scan browser to show.
struct ScanFilter {
    QString model;
    QString method;
    QString otherModel;   // network-pair cells
    QString otherMethod;  // method-pair cells
    QStringList scans;    // paths relative to the data root
};
ScanFilter filterFor(const StatisticsData& data, const ChartTarget& target);

// ---- the builders (StatisticsCharts.cpp, MatrixCharts.cpp, CentreCharts.cpp) ----
BuiltChart buildShareChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildMaskChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildAccuracyChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildNetworkIouChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildMethodIouChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildCentreChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildDistanceChart(QCustomPlot& plot, const StatisticsData& data);

}  // namespace saliency::ui
