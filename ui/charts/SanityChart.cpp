#include "SanityChart.h"

#include <cmath>

#include <qcustomplot.h>

#include "ChartStyle.h"

namespace saliency::ui {

namespace {

// Stage 0 is the trained network (similarity 1 by definition), then one point per stage.
void drawCurve(QCPAxisRect* rect, const std::vector<double>& values, std::size_t index, const QString& name,
               QCPLegend* legend) {
    auto* graph = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    const QColor colour = chart::methodColour(index);
    graph->setPen(QPen(colour, 1.6));
    graph->setScatterStyle(chart::methodShape(index, colour, 6));
    graph->setName(name);
    graph->addData(0, 1.0);
    for (std::size_t s = 0; s < values.size(); ++s)
        graph->addData(static_cast<double>(s + 1), values[s]);  // NaN: QCustomPlot leaves a gap
    if (legend)
        graph->addToLegend(legend);
}

}  // namespace

void buildSanityChart(QCustomPlot& plot, const SanityChartData& data) {
    chart::reset(plot);
    const QString title = "Model-randomisation sanity check";
    if (data.curves.empty() || data.stages.isEmpty()) {
        chart::showMessage(plot, title, "Choose a network and press Run to see its curves.");
        return;
    }
    chart::addTitle(plot, title,
                    QString("similarity to the trained network's maps as blocks are randomised (%1, head "
                            "first); dashed: the verdict's threshold, %2 mean SSIM over the first two stages")
                        .arg(data.cascading ? "cascading" : "independent")
                        .arg(data.threshold));
    const chart::Panels panels = chart::addPanels(plot, {"Spearman rank correlation", "SSIM"}, 2, false);
    QCPLegend* legend = chart::addLegend(plot, static_cast<int>(data.curves.size()));
    const QStringList ticks = QStringList{"trained"} + data.stages;
    for (std::size_t p = 0; p < panels.rects.size(); ++p) {
        QCPAxisRect* rect = panels.rects[p];
        chart::setTextTicks(rect->axis(QCPAxis::atBottom), ticks);
        rect->axis(QCPAxis::atBottom)->setTickLabelRotation(40);
        rect->axis(QCPAxis::atBottom)->setRange(-0.3, static_cast<double>(ticks.size()) - 0.7);
        rect->axis(QCPAxis::atLeft)->setRange(p == 0 ? -1.05 : -0.05, 1.05);
        rect->axis(QCPAxis::atLeft)->setLabel(p == 0 ? "Spearman" : "SSIM");
        for (std::size_t c = 0; c < data.curves.size(); ++c) {
            const auto& curve = data.curves[c];
            drawCurve(rect, p == 0 ? curve.spearman : curve.ssim, curve.colour,
                      chart::methodTitle(curve.method), p == 0 ? legend : nullptr);
        }
    }
    auto* line = new QCPItemStraightLine(&plot);
    line->setClipAxisRect(panels.rects[1]);
    line->point1->setAxes(panels.rects[1]->axis(QCPAxis::atBottom), panels.rects[1]->axis(QCPAxis::atLeft));
    line->point2->setAxes(panels.rects[1]->axis(QCPAxis::atBottom), panels.rects[1]->axis(QCPAxis::atLeft));
    line->point1->setCoords(0, data.threshold);
    line->point2->setCoords(1, data.threshold);
    line->setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
}

}  // namespace saliency::ui
