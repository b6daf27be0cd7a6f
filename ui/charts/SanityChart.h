#pragma once
// The model-randomisation sanity check as a chart: per measure (Spearman, SSIM) a panel with one
// line per method, similarity to the trained network's maps against the randomisation stage, and
// the verdict's threshold as a dashed line on the SSIM panel (docs/saliency.md). No LibTorch: the
// values come in as plain numbers.
#include <string>
#include <vector>

#include <QStringList>

class QCustomPlot;

namespace saliency::ui {

struct SanityCurve {
    std::string method;            // "gradcam"
    std::size_t colour = 0;        // its colour and marker: the method's place in the list of all methods
    std::vector<double> spearman;  // per stage; NaN: undefined (a gap)
    std::vector<double> ssim;      // per stage
};

struct SanityChartData {
    QStringList stages;  // head first: "classifier.1", "features.3", ...
    bool cascading = true;
    double threshold = 0.5;
    std::vector<SanityCurve> curves;
};

void buildSanityChart(QCustomPlot& plot, const SanityChartData& data);

}  // namespace saliency::ui
