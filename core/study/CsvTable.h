#pragma once
// A table written as CSV (RFC 4180 quoting), for the study's exports: cells are text, numbers are
// formatted once here so that every table of a report reads the same.
#include <optional>
#include <string>
#include <vector>

#include "metrics/Aggregate.h"

namespace saliency::study {

class CsvTable {
  public:
    explicit CsvTable(std::vector<std::string> header);
    // Throws Error when the row has another number of cells than the header.
    void addRow(std::vector<std::string> cells);
    std::size_t rows() const noexcept { return rows_.size(); }
    std::string text() const;  // header line, then one line per row, each ending in '\n'

  private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// Six significant digits; an undefined value is an empty cell (never "nan").
std::string csvNumber(std::optional<double> value);
std::string csvCount(std::size_t value);
std::string csvFlag(std::optional<bool> value);  // "1", "0" or empty

// A summary's columns (name_mean, name_std, name_n, name_undefined) and its cells, and two rows of
// cells as one, for the tables of the report and the statistics view.
std::vector<std::string> summaryHeader(const std::string& name);
std::vector<std::string> summaryCells(const metrics::Summary& s);
std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b);

}  // namespace saliency::study
