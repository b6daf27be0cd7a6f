#pragma once
// The statistics view's charts, drawn with QCustomPlot from StatisticsData (the numbers) into a
// plot that the view owns. Each builder returns where a click means something (a bar, a heat-map
// cell, a point), so the view can filter the scan browser to the scans behind it.
#include <cstdint>
#include <string>
#include <vector>

#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include "ChartKind.h"
#include "StatisticsData.h"

class QCustomPlot;
class QCPAxisRect;

namespace saliency::ui {

QString chartTitle(StatisticsChart chart);  // for the tab

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
    // The shape of the figure for an export at a given width (ChartExport.h): each panel's plot area
    // is `plotAspect` times as high as it is wide (1 keeps heat-map cells and the image plane
    // square), over `panelRows` rows of panels; the text keeps its size. No panels: a message.
    double plotAspect = 0;
    int panelRows = 0;
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
BuiltChart buildMetricFamiliesChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildAccuracyChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildNetworkIouChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildMethodIouChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildCentreChart(QCustomPlot& plot, const StatisticsData& data);
BuiltChart buildDistanceChart(QCustomPlot& plot, const StatisticsData& data);

}  // namespace saliency::ui
