#include "StatisticsTables.h"

#include <string>
#include <utility>

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "study/AgreementTables.h"
#include "study/CsvTable.h"
#include "study/SeedTables.h"

namespace fs = std::filesystem;

namespace saliency::ui {

namespace {

using study::concat;
using study::csvCount;
using study::csvNumber;
using study::CsvTable;
using study::summaryCells;
using study::summaryHeader;
using Cells = std::vector<std::string>;

Cells intervalHeader(const std::string& name) {
    return {name + "_count", name + "_n", name, name + "_wilson95_low", name + "_wilson95_high"};
}

Cells intervalCells(std::size_t successes, std::size_t trials,
                    const std::optional<metrics::ProportionInterval>& i) {
    if (!i)
        return {csvCount(successes), csvCount(trials), "", "", ""};
    return {csvCount(successes), csvCount(trials), csvNumber(i->estimate), csvNumber(i->low),
            csvNumber(i->high)};
}

Cells intervalCells(const std::optional<metrics::ProportionInterval>& i) {
    return i ? intervalCells(i->successes, i->trials, i) : intervalCells(0, 0, i);
}

CsvTable shareTable(const StatisticsData& d) {
    const std::string name = d.shareBasis == ShareBasis::Judged ? "judged_correct" : "non_empty";
    CsvTable table(concat({"network", "method"}, intervalHeader(name)));
    for (const auto& e : d.shares)
        table.addRow(concat({e.model, e.method}, intervalCells(e.successes, e.trials, e.interval)));
    return table;
}

// Each unordered pair once (the upper triangle of the heat map), as the project stores them.
CsvTable pairTable(const std::vector<PairMatrix>& matrices, const std::string& group,
                   const std::string& item) {
    CsvTable table(concat(concat({group, item + "_a", item + "_b"}, summaryHeader("iou")),
                          summaryHeader("centre_distance")));
    for (const auto& m : matrices) {
        for (std::size_t a = 0; a < m.size(); ++a) {
            for (std::size_t b = a + 1; b < m.size(); ++b) {
                table.addRow(concat(concat({m.group, m.labels[a], m.labels[b]}, summaryCells(m.iouAt(a, b))),
                                    summaryCells(m.centreDistance[a * m.size() + b])));
            }
        }
    }
    return table;
}

CsvTable centreTable(const StatisticsData& d) {
    CsvTable table({"scan", "network", "method", "centre_x", "centre_y"});
    for (const auto& scatter : d.centres) {
        for (const auto& p : scatter.points)
            table.addRow({scanPath(d, p.scanId), scatter.model, p.method, csvNumber(p.x), csvNumber(p.y)});
    }
    return table;
}

CsvTable histogramTable(const StatisticsData& d) {
    CsvTable table({"network_a", "network_b", "method", "bin_low", "bin_high", "count"});
    const double w = d.distances.binWidth;
    for (const auto& h : d.distances.histograms) {
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            table.addRow({h.firstModel, h.secondModel, h.method, csvNumber(static_cast<double>(i) * w),
                          csvNumber(static_cast<double>(i + 1) * w), csvCount(h.counts[i])});
        }
    }
    return table;
}

CsvTable maskTable(const StatisticsData& d) {
    CsvTable table(concat(concat({"network", "method", "maps_with_ground_truth", "of_which_reader_marked"},
                                 summaryHeader("mask_iou")),
                          intervalHeader("pointing_hit_rate")));
    for (const auto& e : d.masks) {
        table.addRow(concat(concat({e.model, e.method, csvCount(e.withMask), csvCount(e.readerMarked)},
                                   summaryCells(e.iou)),
                            intervalCells(e.pointing)));
    }
    return table;
}

CsvTable metricTable(const StatisticsData& d) {
    using Column = std::pair<const char*, metrics::Summary MetricEntry::*>;
    const std::vector<Column> columns = {{"sparseness", &MetricEntry::sparseness},
                                         {"relevance_rank_accuracy", &MetricEntry::rankAccuracy},
                                         {"road_morf", &MetricEntry::roadMorf},
                                         {"road_lerf", &MetricEntry::roadLerf},
                                         {"average_sensitivity", &MetricEntry::averageSensitivity}};
    std::vector<std::string> header = {"network", "method"};
    for (const auto& [name, member] : columns)
        header = concat(std::move(header), summaryHeader(name));
    CsvTable table(header);
    for (const auto& e : d.metricFamilies) {
        std::vector<std::string> row = {e.model, e.method};
        for (const auto& [name, member] : columns)
            row = concat(std::move(row), summaryCells(e.*member));
        table.addRow(row);
    }
    return table;
}

CsvTable accuracyTable(const StatisticsData& d) {
    CsvTable table(
        concat(concat({"network", "method"}, intervalHeader("accuracy")), intervalHeader("judged_correct")));
    for (const auto& e : d.accuracy)
        table.addRow(concat(concat({e.model, e.method}, intervalCells(e.accuracy)), intervalCells(e.judged)));
    return table;
}

}  // namespace

std::vector<fs::path> writeStatisticsTables(const StatisticsData& data, const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        throw FileError(folder, "cannot create the folder for the tables: " + ec.message());
    const std::vector<std::pair<std::string, CsvTable>> tables = {
        {data.shareBasis == ShareBasis::Judged ? "share_judged_correct.csv" : "share_non_empty.csv",
         shareTable(data)},
        {"network_pairs.csv", pairTable(data.networkMatrices, "method", "network")},
        {"method_pairs.csv", pairTable(data.methodMatrices, "network", "method")},
        {"centres.csv", centreTable(data)},
        {"centre_distance_histogram.csv", histogramTable(data)},
        {"mask_agreement.csv", maskTable(data)},
        {"metric_families.csv", metricTable(data)},
        {"accuracy_vs_judged.csv", accuracyTable(data)},
    };
    std::vector<fs::path> written;
    for (const auto& [name, table] : tables) {
        writeFileAtomically(folder / name, table.text());
        written.push_back(folder / name);
    }
    // The seed's three tables and the agreement between annotators, as saliency-cli report writes them.
    const auto& statistics = data.rows.statistics;
    for (auto& file : study::writeSeedTables(study::seedTables(statistics), folder))
        written.push_back(std::move(file));
    writeFileAtomically(folder / "annotator_agreement.csv", study::annotatorAgreementCsv(statistics).text());
    written.push_back(folder / "annotator_agreement.csv");
    return written;
}

}  // namespace saliency::ui
