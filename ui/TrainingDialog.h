#pragma once
// Training and fine-tuning from the app (issue 7): a non-modal window with three pages.
//  - Setup: architecture, torchvision weights to import, frozen backbone, epochs, batch size,
//    learning rate and schedule, augmentation, input size, device (CUDA only when available),
//    seed, early stopping, where the checkpoint goes.
//  - Progress: a bar with ETA and images/s, live loss and accuracy curves, a log; Cancel stops at
//    the next batch and keeps the last good checkpoint; Resume continues from it.
//  - Results: the best model's test metrics, confusion matrix, ROC, misclassified scans.
// The run is the core trainer on a TrainingJob thread; this class only wires and shows.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include <QDialog>

#include "data/Dataset.h"
#include "data/Split.h"
#include "training/TrainConfig.h"
#include "training/Trainer.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace saliency::ui {

class TrainingCurves;
class TrainingJob;
class TrainingResults;

class TrainingDialog : public QDialog {
    Q_OBJECT
  public:
    explicit TrainingDialog(QWidget* parent = nullptr);
    ~TrainingDialog() override;

    // The data set to train on and its split (none: a stratified split by the seed is made and
    // saved beside the checkpoint as "<checkpoint>.split.json").
    void setDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split);
    // Where new checkpoints go by default (the project's models/ folder, or the app's data folder).
    void setOutputFolder(const std::filesystem::path& folder);
    // Asked before a run writes a checkpoint: a non-empty answer is why it must not (the open
    // project's marks refer to the weights in that file), and the run does not start.
    void setOutputGuard(std::function<QString(const std::filesystem::path&)> guard) {
        outputGuard_ = std::move(guard);
    }

    // The form as a configuration, and back (for tests and scripted runs).
    TrainConfig config() const;
    void setConfig(const TrainConfig& config);

    // Fills the form from a checkpoint's model card ("<checkpoint>.json": the run's configuration)
    // with the checkpoint as the output, so that Resume continues that run, also after a restart.
    // Shows a message and returns false when the card cannot be read.
    bool loadRun(const std::filesystem::path& checkpoint);

    // Starts a run with the form's configuration (resume: continue from the checkpoint's state).
    // Shows a message and returns false when it cannot start.
    bool startTraining(bool resume = false);
    void cancelTraining();
    bool isRunning() const;

    TrainingJob* job() const { return job_; }
    TrainingCurves* curves() const { return curves_; }
    TrainingResults* results() const { return results_; }
    QTabWidget* pages() const { return pages_; }
    std::shared_ptr<const TrainResult> lastResult() const { return lastResult_; }

    // A run ended with a checkpoint on disk (finished, stopped early, or cancelled after an epoch).
    Q_SIGNAL void modelTrained(QString checkpoint);
    // A run ended (with or without a result).
    Q_SIGNAL void runEnded(bool ok, QString message);
    // A misclassified scan was chosen on the results page.
    Q_SIGNAL void scanRequested(QString relativePath);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    QWidget* buildSetupPage();
    QWidget* buildProgressPage();
    void updateEnabled();
    void chooseWeights();
    void chooseOutput();
    void chooseRun();
    void suggestOutput();
    void onBatch(const saliency::TrainProgress& progress);
    void onEpoch(const saliency::EpochResult& epoch);
    void onFinished(std::shared_ptr<const saliency::TrainResult> result, const QString& error);
    void log(const QString& line);
    Split splitFor(const TrainConfig& config);

    std::shared_ptr<const Dataset> dataset_;
    std::optional<Split> split_;
    std::filesystem::path outputFolder_;
    TrainingJob* job_ = nullptr;
    std::shared_ptr<const TrainResult> lastResult_;
    bool outputEdited_ = false;
    // What setConfig was given: the fields the form has no widget for (momentum, weight decay,
    // step size, dropout, augmentation strengths, ...) keep these values.
    TrainConfig base_;
    std::function<QString(const std::filesystem::path&)> outputGuard_;

    QTabWidget* pages_ = nullptr;
    QLabel* datasetLabel_ = nullptr;
    QComboBox* architecture_ = nullptr;
    QLineEdit* weights_ = nullptr;
    QCheckBox* freeze_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QDoubleSpinBox* learningRate_ = nullptr;
    QComboBox* optimiser_ = nullptr;
    QComboBox* schedule_ = nullptr;
    QCheckBox* augment_ = nullptr;
    QSpinBox* imageSize_ = nullptr;
    QComboBox* device_ = nullptr;
    QLineEdit* seed_ = nullptr;  // a 64-bit seed: more than a spin box holds
    QSpinBox* patience_ = nullptr;
    QLineEdit* output_ = nullptr;

    QProgressBar* bar_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    TrainingCurves* curves_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    TrainingResults* results_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* continueRun_ = nullptr;
};

}  // namespace saliency::ui
