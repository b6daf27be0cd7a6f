#pragma once
// The text of the report's files: Markdown tables and the number formats of report.md (shared by
// every section so that all its tables read the same), and writing a set of files atomically.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "metrics/Aggregate.h"

namespace saliency::study {

// Text from the project (names of networks and annotators, paths) as inert Markdown: HTML's < > &
// as entities, Markdown's punctuation (\ ` * _ [ ] | ~) escaped with a backslash, line breaks as
// spaces, so that a name can neither inject HTML nor break a table.
std::string markdownText(const std::string& text);
// A path or identifier in a code span, as inert as markdownText (a | or line break cannot escape it).
std::string markdownCode(const std::string& text);

// Every cell goes through markdownText: a table holds text, never markup.
void markdownRow(std::ostringstream& md, const std::vector<std::string>& cells);
void markdownHeader(std::ostringstream& md, const std::vector<std::string>& cells);  // with the rule

std::string fixed(double value, int digits);  // "%.*f"
// "0.612 ± 0.134 (n=54, 2 undefined)"; "–" when nothing is defined.
std::string summaryText(const metrics::Summary& s);
// "96.7% (58/60)"; "–" for 0 of 0.
std::string shareText(std::size_t part, std::size_t whole);
std::string methodLabel(const std::string& name);  // "gradcam" -> "Grad-CAM"; unknown names as they are

// Writes each (file name, text) into `folder` (created if needed), each file atomically; returns the
// paths in order. Throws FileError.
std::vector<std::filesystem::path> writeReportFiles(
    const std::filesystem::path& folder, const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace saliency::study
