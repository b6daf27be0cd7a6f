#pragma once
// The agreement between annotators (StudyStatistics::annotatorAgreement) as the report's table:
// annotator_agreement.csv and its report.md section. The GUI can write the same CSV.
#include <string>

#include "study/CsvTable.h"
#include "study/StudyStatistics.h"

namespace saliency::study {

// One row per AnnotatorAgreement (columns: docs/cli.md, "report").
CsvTable annotatorAgreementCsv(const StudyStatistics& statistics);

// "## Agreement between annotators" with kappa and its 95% interval per pair, network and method.
std::string annotatorAgreementMarkdown(const StudyStatistics& statistics);

// How an annotator is shown to people: "" (the project's single, default annotator) as "(default)".
std::string annotatorLabel(const std::string& name);

}  // namespace saliency::study
