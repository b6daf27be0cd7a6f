#include "TrainingCurves.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <qcustomplot.h>
#include <QVBoxLayout>

#include "ChartStyle.h"

namespace saliency::ui {

namespace {

const QColor kTrain("#4477AA");       // Tol's blue
const QColor kValidation("#EE6677");  // Tol's red

QCPGraph* addLine(QCPAxisRect* rect, const QString& name, const QColor& colour, double width,
                  QCPScatterStyle::ScatterShape shape) {
    auto* graph = rect->parentPlot()->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    graph->setName(name);
    graph->setPen(QPen(colour, width));
    graph->setScatterStyle(QCPScatterStyle(shape, QPen(colour.darker(120), 1.2), QBrush(colour), 7));
    return graph;
}

void setData(QCPGraph* graph, const std::vector<double>& x, const std::vector<double>& y) {
    graph->setData(QVector<double>(x.begin(), x.end()), QVector<double>(y.begin(), y.end()), true);
}

}  // namespace

TrainingCurves::TrainingCurves(QWidget* parent) : QWidget(parent) {
    plot_ = new QCustomPlot(this);
    plot_->setObjectName("trainingCurves");
    plot_->setMinimumSize(420, 220);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    replotTimer_.setSingleShot(true);
    replotTimer_.setInterval(100);
    connect(&replotTimer_, &QTimer::timeout, this, &TrainingCurves::replot);
    build();
    replot();
}

void TrainingCurves::clear() {
    batchX_.clear();
    batchLoss_.clear();
    batchAccuracy_.clear();
    epochs_.clear();
    epochsPlanned_ = 1;
    replot();
}

void TrainingCurves::addBatch(const saliency::TrainProgress& progress) {
    if (progress.batches <= 0)
        return;
    epochsPlanned_ = std::max(epochsPlanned_, progress.epochs);
    const double start = progress.epoch - 1;
    const double x = start + static_cast<double>(progress.batch) / static_cast<double>(progress.batches);
    // A resumed run starts again in the epoch a cancel interrupted: drop the points it overtakes,
    // so x keeps increasing (QCustomPlot's data is sorted by key).
    while (!batchX_.empty() && batchX_.back() >= x - 1e-9) {
        batchX_.pop_back();
        batchLoss_.pop_back();
        batchAccuracy_.pop_back();
    }
    // Each epoch's running mean starts afresh: a gap (NaN) keeps its line from joining the last one.
    if (!batchX_.empty() && batchX_.back() <= start + 1e-9 && !std::isnan(batchLoss_.back())) {
        batchX_.push_back(start);
        batchLoss_.push_back(std::nan(""));
        batchAccuracy_.push_back(std::nan(""));
    }
    batchX_.push_back(x);
    batchLoss_.push_back(progress.loss);
    batchAccuracy_.push_back(100.0 * progress.accuracy);
    scheduleReplot();
}

void TrainingCurves::addEpoch(const saliency::EpochResult& epoch) {
    // A resumed run reports from its first new epoch: drop anything at or after it.
    std::erase_if(epochs_, [&](const EpochResult& e) { return e.epoch >= epoch.epoch; });
    epochs_.push_back(epoch);
    scheduleReplot();
}

void TrainingCurves::setHistory(const std::vector<saliency::EpochResult>& history) {
    epochs_ = history;
    scheduleReplot();
}

void TrainingCurves::scheduleReplot() {
    if (!replotTimer_.isActive())
        replotTimer_.start();
}

void TrainingCurves::build() {
    // The layout and the six graphs are made once; updates only replace their data (a rebuild of
    // the whole layout on every update would cost the GUI thread far more than a replot).
    chart::reset(*plot_);
    chart::addTitle(*plot_, "Training curves", " ");
    subtitle_ = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(1, 0));
    const auto panels = chart::addPanels(*plot_, {"Loss (cross-entropy)", "Accuracy (%)"}, 2, false);
    graphs_.clear();
    const QColor running = kTrain.lighter(150);
    for (QCPAxisRect* rect : panels.rects) {
        graphs_.push_back(
            addLine(rect, "training, running mean of the epoch", running, 1.0, QCPScatterStyle::ssNone));
        graphs_.push_back(addLine(rect, "training (epoch)", kTrain, 2.0, QCPScatterStyle::ssDisc));
        graphs_.push_back(addLine(rect, "validation (epoch)", kValidation, 2.0, QCPScatterStyle::ssSquare));
        rect->axis(QCPAxis::atBottom)->setLabel("epoch");
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
    }
    rects_ = panels.rects;
    // One entry per series: the first panel's three graphs stand for both panels.
    auto* legend = chart::addLegend(*plot_, 3);
    for (int i = 0; i < 3; ++i)
        graphs_[static_cast<size_t>(i)]->addToLegend(legend);
}

void TrainingCurves::refreshData() {
    std::vector<double> x, trainLoss, trainAccuracy, vx, validationLoss, validationAccuracy;
    for (const auto& e : epochs_) {
        x.push_back(e.epoch);
        trainLoss.push_back(e.trainLoss);
        trainAccuracy.push_back(100.0 * e.trainAccuracy);
        if (e.hasValidation) {
            vx.push_back(e.epoch);
            validationLoss.push_back(e.validationLoss);
            validationAccuracy.push_back(100.0 * e.validationAccuracy);
        }
    }
    setData(graphs_[0], batchX_, batchLoss_);
    setData(graphs_[1], x, trainLoss);
    setData(graphs_[2], vx, validationLoss);
    setData(graphs_[3], batchX_, batchAccuracy_);
    setData(graphs_[4], x, trainAccuracy);
    setData(graphs_[5], vx, validationAccuracy);
    const int lastEpoch = epochs_.empty() ? 0 : epochs_.back().epoch;
    subtitle_->setText(epochs_.empty() && batchX_.empty()
                           ? QString("no epoch yet")
                           : QString("%1 of %2 epochs done").arg(lastEpoch).arg(epochsPlanned_));
    for (QCPAxisRect* rect : rects_)
        rect->axis(QCPAxis::atBottom)->setRange(0, std::max(1, epochsPlanned_));

    // The loss moves in a narrow band after the first epochs: zoom to it, with a margin.
    std::optional<QCPRange> range;
    for (int i = 0; i < 3; ++i) {
        bool found = false;
        const QCPRange r = graphs_[static_cast<size_t>(i)]->getValueRange(found);
        if (found)
            range = range ? QCPRange(std::min(range->lower, r.lower), std::max(range->upper, r.upper)) : r;
    }
    const double margin = range ? std::max(0.02, 0.08 * range->size()) : 0.0;
    rects_[0]
        ->axis(QCPAxis::atLeft)
        ->setRange(range ? QCPRange(std::max(0.0, range->lower - margin), range->upper + margin)
                         : QCPRange(0, 1));
    rects_[1]->axis(QCPAxis::atLeft)->setRange(0, 100);
}

void TrainingCurves::replot() {
    refreshData();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace saliency::ui
