#include "study/AgreementTables.h"

#include <sstream>

#include "study/ReportText.h"

namespace saliency::study {

namespace {

// "correct_correct", "correct_incorrect", ...: the table's cells, row by row, in Verdict order.
std::vector<std::string> tableHeader() {
    const std::vector<Verdict> verdicts = {Verdict::Correct, Verdict::Incorrect, Verdict::Unsure};
    std::vector<std::string> names;
    for (const Verdict first : verdicts) {
        for (const Verdict second : verdicts)
            names.push_back(verdictName(first) + "_" + verdictName(second));
    }
    return names;
}

std::optional<double> kappaField(const AnnotatorAgreement& r, double metrics::KappaEstimate::*field) {
    return r.kappa ? std::optional<double>((*r.kappa).*field) : std::nullopt;
}

// "0.62 (0.41 to 0.83)"; "–" when undefined.
std::string kappaText(const AnnotatorAgreement& r) {
    if (!r.kappa)
        return "–";
    return fixed(r.kappa->kappa, 2) + " (" + fixed(r.kappa->low, 2) + " to " + fixed(r.kappa->high, 2) + ")";
}

}  // namespace

std::string annotatorLabel(const std::string& name) {
    return name.empty() ? "(default)" : name;
}

CsvTable annotatorAgreementCsv(const StudyStatistics& s) {
    std::vector<std::string> header = {
        "first_annotator",    "second_annotator",   "model", "method",   "maps",      "agreed",
        "observed_agreement", "expected_agreement", "kappa", "kappa_se", "kappa_low", "kappa_high"};
    for (const auto& name : tableHeader())
        header.push_back(name);
    CsvTable table(std::move(header));
    for (const auto& r : s.annotatorAgreement) {
        std::vector<std::string> cells = {r.first,
                                          r.second,
                                          r.model,
                                          r.method,
                                          csvCount(r.maps),
                                          csvCount(r.agreed),
                                          csvNumber(r.observedAgreement()),
                                          csvNumber(kappaField(r, &metrics::KappaEstimate::expected)),
                                          csvNumber(kappaField(r, &metrics::KappaEstimate::kappa)),
                                          csvNumber(kappaField(r, &metrics::KappaEstimate::standardError)),
                                          csvNumber(kappaField(r, &metrics::KappaEstimate::low)),
                                          csvNumber(kappaField(r, &metrics::KappaEstimate::high))};
        for (const auto& row : r.table) {
            for (const std::size_t count : row)
                cells.push_back(csvCount(count));
        }
        table.addRow(std::move(cells));
    }
    return table;
}

namespace {

void intraReaderMarkdown(std::ostringstream& md, const StudyStatistics& s) {
    if (s.intraReader.empty())
        return;
    md << "Reader studies: each reader against themself on the maps shown to them twice (Cohen's kappa "
          "with its 95% interval).\n\n";
    markdownHeader(md, {"study", "reader", "repeats judged", "same verdict", "intra-reader kappa (95% CI)"});
    for (const auto& r : s.intraReader) {
        markdownRow(md, {markdownText(r.study), annotatorLabel(r.reader), std::to_string(r.repeats),
                         shareText(r.same, r.repeats),
                         r.kappa ? fixed(r.kappa->kappa, 2) + " (" + fixed(r.kappa->low, 2) + " to " +
                                       fixed(r.kappa->high, 2) + ")"
                                 : "–"});
    }
    md << "\n";
}

}  // namespace

std::string annotatorAgreementMarkdown(const StudyStatistics& s) {
    std::ostringstream md;
    md << "## Agreement between annotators\n\n";
    if (s.annotators.size() < 2) {
        md << (s.annotators.empty() ? "No verdicts yet.\n\n"
                                    : "One annotator: no agreement between annotators to measure.\n\n");
        intraReaderMarkdown(md, s);
        return md.str();
    }
    md << "Cohen's kappa (unweighted, over correct / incorrect / unsure) on the maps both annotators "
          "judged, with its 95% interval (large-sample standard error of Fleiss, Cohen & Everitt 1969).\n\n";
    markdownHeader(md, {"annotators", "network", "method", "maps both judged", "agreed", "kappa (95% CI)"});
    for (const auto& r : s.annotatorAgreement) {
        if (!r.pooled() && r.maps == 0)
            continue;  // the CSV keeps every row; people only need those with common maps
        markdownRow(md, {annotatorLabel(r.first) + " and " + annotatorLabel(r.second),
                         r.pooled() ? "all" : r.model, r.pooled() ? "all" : methodLabel(r.method),
                         std::to_string(r.maps), shareText(r.agreed, r.maps), kappaText(r)});
    }
    md << "\n";
    if (s.annotators.size() >= 3) {
        md << "All " << s.annotators.size()
           << " annotators together, pooled over every network and method, with 95% bootstrap intervals "
              "(2,000 resamples of the maps): Fleiss' kappa over the maps everyone judged, Krippendorff's "
              "alpha (nominal) over every map two or more judged.\n\n";
        markdownHeader(md, {"statistic", "maps", "judgements", "value (95% CI)"});
        const auto row = [&](const std::string& name, const std::optional<metrics::AgreementEstimate>& e) {
            markdownRow(
                md,
                {name, e ? std::to_string(e->units) : "0", e ? std::to_string(e->values) : "0",
                 e ? fixed(e->value, 2) + " (" + fixed(e->low, 2) + " to " + fixed(e->high, 2) + ")" : "–"});
        };
        row("Fleiss' kappa", s.fleissKappa);
        row("Krippendorff's alpha", s.krippendorffAlpha);
        md << "\n";
    }
    intraReaderMarkdown(md, s);
    return md.str();
}

}  // namespace saliency::study
