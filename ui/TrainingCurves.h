#pragma once
// Live training curves (issue 7): loss and accuracy against epochs, two panels of one plot. The running mean
// of the current epoch's training batches is drawn as it arrives (a thin line), each finished
// epoch as a point for training and validation. Redraws are coalesced to ten a second, so a fast
// network's thousands of batches never queue up on the GUI thread.
//
// QCustomPlot is only forward-declared: its header uses Qt's `signals` keyword.
#include <vector>

#include <QTimer>
#include <QWidget>

#include "training/Trainer.h"

class QCPAxisRect;
class QCPGraph;
class QCPTextElement;
class QCustomPlot;

namespace saliency::ui {

class TrainingCurves : public QWidget {
    Q_OBJECT
  public:
    explicit TrainingCurves(QWidget* parent = nullptr);

    void clear();
    void addBatch(const saliency::TrainProgress& progress);
    void addEpoch(const saliency::EpochResult& epoch);
    // Shows a whole history at once (a resumed run's earlier epochs).
    void setHistory(const std::vector<saliency::EpochResult>& history);

    int batchPoints() const { return static_cast<int>(batchX_.size()); }
    int epochPoints() const { return static_cast<int>(epochs_.size()); }

  private:
    void scheduleReplot();
    void replot();

    void build();
    void refreshData();

    QCustomPlot* plot_ = nullptr;
    QCPTextElement* subtitle_ = nullptr;
    std::vector<QCPGraph*> graphs_;  // loss panel: running, training, validation; then accuracy's
    std::vector<QCPAxisRect*> rects_;
    std::vector<double> batchX_, batchLoss_, batchAccuracy_;
    std::vector<saliency::EpochResult> epochs_;
    int epochsPlanned_ = 1;
    QTimer replotTimer_;
};

}  // namespace saliency::ui
