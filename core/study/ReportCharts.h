#pragma once
// The statistics charts of `saliency-cli report`, headless: the charts the GUI draws with
// QCustomPlot, written as publication-ready SVG from core (no Qt here):
//   share_correct.svg          share of maps judged correct per network x method, Wilson 95% intervals
//                              and n (before any verdict: the share of non-empty maps, titled so)
//   iou_networks.svg           mean IoU between networks, a heat map per method
//   iou_methods.svg            mean IoU between methods, a heat map per network
//   centres_of_mass.svg        each map's centre of mass, a panel per network (image units, y down)
//   centre_distances.svg       histograms of the centre distance between networks, a panel per method
//   mask_agreement.svg         IoU with the ground-truth masks and the pointing game per network x method
//   accuracy_vs_judged.svg     accuracy against the share judged correct ("right for the wrong reason")
// A chart with nothing to show (one network, no masks, no verdicts yet) says so instead of being left
// out, so the set of files is always the same. Bars, cells and points carry class and data-* attributes.
#include <filesystem>
#include <string>
#include <vector>

#include "study/ProjectDatabase.h"
#include "study/StudyStatistics.h"

namespace saliency::study {

// The rows behind the charts that StudyStatistics summarises away (centres per map, distances per pair).
struct ChartRows {
    std::vector<MapRecord> maps;  // without thumbnails
    std::vector<PairRecord> pairs;
};

ChartRows readChartRows(ProjectDatabase& project);

struct ChartFile {
    std::string name;  // "share_correct.svg", ...
    std::string svg;   // the document
};

// Every chart, in the order listed above.
std::vector<ChartFile> reportCharts(const StudyStatistics& statistics, const ChartRows& rows);

// Writes reportCharts into `folder` (created if needed), each file atomically; returns the paths.
// Throws FileError.
std::vector<std::filesystem::path> writeReportCharts(const StudyStatistics& statistics, const ChartRows& rows,
                                                     const std::filesystem::path& folder);

}  // namespace saliency::study
