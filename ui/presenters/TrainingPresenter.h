#pragma once
// Training from the app and the project's model registry (DESIGN.md section 2, presenters): the
// training window (made on first use) follows the open data set and project between runs, a run
// never rewrites a checkpoint the project's marks refer to, and a trained checkpoint goes to the
// ModelsPresenter (replacing an older load of the same file). The registry's rename and remove
// reach the loaded networks.
#include <QObject>
#include <QPointer>
#include <QString>

class QWidget;

namespace saliency::ui {

class DatasetPresenter;
class ModelRegistry;
class ModelsPresenter;
class ProjectPresenter;
class TrainingDialog;

class TrainingPresenter : public QObject {
    Q_OBJECT
  public:
    // dialogParent: the training window's and the registry's parent (may be null).
    TrainingPresenter(DatasetPresenter& dataset, ModelsPresenter& models, ProjectPresenter& project,
                      QWidget* dialogParent, QObject* parent = nullptr);
    ~TrainingPresenter() override;  // closes the windows it made without a parent
    TrainingDialog* showTraining();
    ModelRegistry* showRegistry();
    TrainingDialog* training() const;  // null before first shown
    bool isRunning() const;
    // The checkpoint is loaded into the grid (replacing an older load of the same file); the
    // project registers it when it arrives.
    void useTrainedModel(const QString& checkpoint);
    // The data set or the project changed: the training window follows (between runs).
    void refresh();
    void projectChanged();

    Q_SIGNAL void raiseRequested();  // a scan of the results page was shown in the main window
    Q_SIGNAL void status(const QString& message, int timeoutMs);

  private:
    void showCheckpoint(const QString& checkpoint);

    DatasetPresenter& dataset_;
    ModelsPresenter& models_;
    ProjectPresenter& project_;
    QWidget* dialogParent_;
    // Made on first use; owned by dialogParent (a Qt parent), or by this class without one.
    QPointer<TrainingDialog> training_;
    QPointer<ModelRegistry> registry_;
};

}  // namespace saliency::ui
