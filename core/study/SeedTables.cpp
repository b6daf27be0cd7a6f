#include "study/SeedTables.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "study/AgreementTables.h"
#include "study/CsvTable.h"
#include "study/ReportText.h"

namespace fs = std::filesystem;

namespace saliency::study {

namespace {

// The seed's tables are about these two methods (its slides "wyniki dla Grad-CAM" and "dla CAM").
constexpr const char* kCam = "cam";
constexpr const char* kGradCam = "gradcam";

SeedJudgedRow judgedRow(const StudyStatistics& s, const std::string& network) {
    SeedJudgedRow row{network};
    for (const auto& r : s.modelMethods) {
        if (r.model == network && r.method == kGradCam) {
            row.correct = r.judgedCorrect;
            row.judged = r.judgedCorrect + r.judgedIncorrect;
            row.unsure = r.judgedUnsure;
        }
    }
    return row;
}

// The stored pair rows name their networks in name order; the tables list them in project order.
metrics::Summary pairSummary(const StudyStatistics& s, const std::string& method, const std::string& a,
                             const std::string& b, bool iou) {
    for (const auto& r : s.modelPairs) {
        if (r.group == method && ((r.first == a && r.second == b) || (r.first == b && r.second == a)))
            return iou ? r.iou : r.centreDistance;
    }
    return {};
}

std::string pairName(const SeedPairRow& r) {
    return r.first + " vs " + r.second;
}

CsvTable judgedCsv(const SeedTables& t) {
    CsvTable table(
        {"network", "correctly_computed_saliency_maps_gradcam", "correct", "judged", "share", "unsure"});
    for (const auto& r : t.judgedCorrect) {
        table.addRow({r.network, r.cell(), csvCount(r.correct), csvCount(r.judged), csvNumber(r.share()),
                      csvCount(r.unsure)});
    }
    return table;
}

// The seed's three columns (pair, CAM, Grad-CAM: the means), then what a reader needs to weigh them.
CsvTable pairCsv(const std::vector<SeedPairRow>& rows) {
    CsvTable table({"network_pair", "cam", "gradcam", "first_network", "second_network", "cam_std", "cam_n",
                    "cam_undefined", "gradcam_std", "gradcam_n", "gradcam_undefined"});
    for (const auto& r : rows) {
        table.addRow({pairName(r), csvNumber(r.cam.mean), csvNumber(r.gradCam.mean), r.first, r.second,
                      csvNumber(r.cam.stdDev), csvCount(r.cam.n), csvCount(r.cam.nUndefined),
                      csvNumber(r.gradCam.stdDev), csvCount(r.gradCam.n), csvCount(r.gradCam.nUndefined)});
    }
    return table;
}

void pairMarkdown(std::ostringstream& md, const std::vector<SeedPairRow>& rows) {
    markdownHeader(md, {"Network pair", "CAM", "Grad-CAM"});
    for (const auto& r : rows)
        markdownRow(md, {pairName(r), summaryText(r.cam), summaryText(r.gradCam)});
    md << "\n";
}

}  // namespace

std::optional<double> SeedJudgedRow::share() const {
    if (judged == 0)
        return std::nullopt;
    return static_cast<double>(correct) / static_cast<double>(judged);
}

std::string SeedJudgedRow::cell() const {
    const auto s = share();
    return s ? std::to_string(correct) + " (" + seedPercent(*s) + ")" : "";
}

std::string seedPercent(double share) {
    std::string text = fixed(100.0 * share, 2);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.')
        text.pop_back();
    return text + "%";
}

SeedTables seedTables(const StudyStatistics& s) {
    SeedTables t;
    t.judgedBy = s.judgedBy;
    for (const auto& model : s.models)
        t.judgedCorrect.push_back(judgedRow(s, model.name));
    for (std::size_t i = 0; i < s.models.size(); ++i) {
        for (std::size_t j = i + 1; j < s.models.size(); ++j) {
            const std::string& a = s.models[i].name;
            const std::string& b = s.models[j].name;
            t.iou.push_back({a, b, pairSummary(s, kCam, a, b, true), pairSummary(s, kGradCam, a, b, true)});
            t.centreDistance.push_back(
                {a, b, pairSummary(s, kCam, a, b, false), pairSummary(s, kGradCam, a, b, false)});
        }
    }
    return t;
}

std::vector<fs::path> writeSeedTables(const SeedTables& tables, const fs::path& folder) {
    return writeReportFiles(folder,
                            {
                                {"seed_table1_judged_correct.csv", judgedCsv(tables).text()},
                                {"seed_table2_iou.csv", pairCsv(tables.iou).text()},
                                {"seed_table3_centre_distance.csv", pairCsv(tables.centreDistance).text()},
                            });
}

std::string seedTablesMarkdown(const SeedTables& tables) {
    std::ostringstream md;
    md << "## The seed's tables\n\n";
    md << "Correctly computed saliency maps (Grad-CAM): maps judged correct, as a share of those judged "
          "correct or incorrect (unsure left out; "
       << (tables.judgedBy ? "annotator " + annotatorLabel(*tables.judgedBy) : std::string("every annotator"))
       << ").\n\n";
    markdownHeader(md, {"Network", "Correctly computed saliency maps (Grad-CAM)", "n (judged)"});
    for (const auto& r : tables.judgedCorrect)
        markdownRow(md, {r.network, r.judged ? r.cell() : "–", std::to_string(r.judged)});
    md << "\n";
    if (tables.iou.empty()) {
        md << "No pairs of networks: the study has one network.\n\n";
        return md.str();
    }
    md << "Mean IoU of the binarised maps, per pair of networks:\n\n";
    pairMarkdown(md, tables.iou);
    md << "Mean centre-of-mass distance (image-size units), per pair of networks:\n\n";
    pairMarkdown(md, tables.centreDistance);
    return md.str();
}

}  // namespace saliency::study
