#include "TrainingPresenter.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include "DatasetPresenter.h"
#include "ModelRegistry.h"
#include "ModelsPresenter.h"
#include "ProjectPresenter.h"
#include "ProjectSession.h"
#include "TrainingDialog.h"

namespace saliency::ui {

TrainingPresenter::TrainingPresenter(DatasetPresenter& dataset, ModelsPresenter& models,
                                     ProjectPresenter& project, QWidget* dialogParent, QObject* parent)
    : QObject(parent), dataset_(dataset), models_(models), project_(project), dialogParent_(dialogParent) {}

TrainingPresenter::~TrainingPresenter() {
    if (!dialogParent_) {
        delete registry_.data();
        delete training_.data();
    }
}

TrainingDialog* TrainingPresenter::training() const {
    return training_;
}

bool TrainingPresenter::isRunning() const {
    return training_ && training_->isRunning();
}

TrainingDialog* TrainingPresenter::showTraining() {
    if (!training_) {
        training_ = new TrainingDialog(dialogParent_);
        connect(training_, &TrainingDialog::modelTrained, this, &TrainingPresenter::useTrainedModel);
        connect(training_, &TrainingDialog::runEnded, this, &TrainingPresenter::refresh);
        // A run must not rewrite a checkpoint whose weights the open project's marks or maps refer to.
        training_->setOutputGuard([this](const std::filesystem::path& output) -> QString {
            ProjectSession* project = project_.session();
            return project ? project->checkpointInUse(output) : QString();
        });
        connect(training_, &TrainingDialog::scanRequested, this, [this](const QString& path) {
            dataset_.showAllScans();
            dataset_.selectScan(path);
            Q_EMIT raiseRequested();
        });
    }
    refresh();
    training_->show();
    training_->raise();
    training_->activateWindow();
    return training_;
}

void TrainingPresenter::refresh() {
    // Between runs the training window follows the open data set and project.
    if (!training_ || training_->isRunning())
        return;
    training_->setDataset(dataset_.sharedDataset(), dataset_.split());
    // New checkpoints go where the last run wrote (the user's choice), else beside the project (its
    // models/ folder), else into the app's data folder.
    const ProjectSession* project = project_.session();
    const QString chosen = QSettings().value("training/checkpointFolder").toString();
    const QString folder =
        !chosen.isEmpty() && QFileInfo(chosen).isDir() ? chosen
        : project                                      ? QFileInfo(project->file()).absolutePath() + "/models"
                  : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/models";
    training_->setOutputFolder(folder.toStdString());
}

void TrainingPresenter::projectChanged() {
    if (registry_)
        registry_->setProject(project_.session());
    refresh();
}

ModelRegistry* TrainingPresenter::showRegistry() {
    if (!registry_) {
        registry_ = new ModelRegistry(dialogParent_);
        connect(registry_, &ModelRegistry::addRequested, &models_, &ModelsPresenter::chooseOpen);
        connect(registry_, &ModelRegistry::showRequested, this, &TrainingPresenter::showCheckpoint);
        connect(registry_, &ModelRegistry::modelRenamed, &models_, &ModelsPresenter::rename);
        connect(registry_, &ModelRegistry::modelRemoved, this, [this](int serviceId) {
            if (serviceId >= 0)
                models_.remove(serviceId);
        });
    }
    registry_->setProject(project_.session());
    registry_->show();
    registry_->raise();
    return registry_;
}

void TrainingPresenter::showCheckpoint(const QString& checkpoint) {
    if (const auto loaded = models_.loadedFrom(checkpoint); !loaded.empty()) {
        Q_EMIT status(models_.modelName(loaded.front()) + " is in the grid already", 4000);
        return;
    }
    models_.open(checkpoint);
}

void TrainingPresenter::useTrainedModel(const QString& checkpoint) {
    // A resumed run rewrites the file a cancelled one left: the older load leaves the grid first.
    for (const int id : models_.loadedFrom(checkpoint))
        models_.remove(id);
    models_.open(checkpoint);
}

}  // namespace saliency::ui
