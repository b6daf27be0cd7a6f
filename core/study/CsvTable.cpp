#include "study/CsvTable.h"

#include <cstdio>

#include "common/Csv.h"
#include "common/Error.h"

namespace saliency::study {

namespace {

void appendLine(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        out += csvField(cells[i]);
    }
    out += '\n';
}

}  // namespace

CsvTable::CsvTable(std::vector<std::string> header) : header_(std::move(header)) {}

void CsvTable::addRow(std::vector<std::string> cells) {
    if (cells.size() != header_.size()) {
        throw Error("CSV table: a row has " + std::to_string(cells.size()) + " cells for " +
                    std::to_string(header_.size()) + " columns");
    }
    rows_.push_back(std::move(cells));
}

std::string CsvTable::text() const {
    std::string out;
    appendLine(out, header_);
    for (const auto& row : rows_)
        appendLine(out, row);
    return out;
}

std::string csvNumber(std::optional<double> value) {
    if (!value)
        return {};
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", *value);
    return text;
}

std::string csvCount(std::size_t value) {
    return std::to_string(value);
}

std::string csvFlag(std::optional<bool> value) {
    return value ? (*value ? "1" : "0") : "";
}

std::vector<std::string> summaryHeader(const std::string& name) {
    return {name + "_mean", name + "_std", name + "_n", name + "_undefined"};
}

std::vector<std::string> summaryCells(const metrics::Summary& s) {
    return {csvNumber(s.mean), csvNumber(s.stdDev), csvCount(s.n), csvCount(s.nUndefined)};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace saliency::study
