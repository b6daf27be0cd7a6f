#pragma once
// The results page of a training run (issue 7): the test metrics of the best model, its confusion
// matrix, the ROC curve with its area, the history of the run, and the misclassified test scans,
// which open in the scan browser on a double-click.
#include <memory>
#include <string>
#include <vector>

#include <QWidget>

#include "training/Trainer.h"

class QCustomPlot;
class QLabel;
class QTableWidget;
class QTreeWidget;

namespace saliency::ui {

class TrainingResults : public QWidget {
    Q_OBJECT
  public:
    explicit TrainingResults(QWidget* parent = nullptr);

    void clear();
    void setResult(const saliency::TrainResult& result, const std::vector<std::string>& classes);

    QTableWidget* confusionTable() const { return confusion_; }
    QTreeWidget* misclassifiedList() const { return misclassified_; }

    // A misclassified scan was double-clicked: its path relative to the data set's root.
    Q_SIGNAL void scanRequested(QString relativePath);

  private:
    void showConfusion(const saliency::Evaluation& evaluation, const std::vector<std::string>& classes);
    void showRoc(const saliency::Evaluation& evaluation, const std::vector<std::string>& classes);
    void showMisclassified(const saliency::EvaluationResult& test, const std::vector<std::string>& classes);

    QLabel* summary_ = nullptr;
    QTableWidget* confusion_ = nullptr;
    QCustomPlot* roc_ = nullptr;
    QTreeWidget* misclassified_ = nullptr;
};

// "Test accuracy 72.5% (120 scans), macro F1 0.723, AUC 0.797; best epoch 30 of 45; cpu (2 threads)"
QString describeTraining(const saliency::TrainResult& result, const std::vector<std::string>& classes);

}  // namespace saliency::ui
