#pragma once
// The project's model registry (issue 7): every checkpoint the project knows, with its model card's
// metrics side by side (test accuracy, macro F1, AUC, validation loss, best epoch, how it was
// trained), whether it is in the comparison grid, and add / rename / remove / show in the grid.
// Thin: it reads and renames through ProjectSession; adding, showing and unloading networks are
// requests that MainWindow carries out.
#include <cstdint>

#include <QDialog>
#include <QPointer>

class QLabel;
class QPushButton;
class QTableWidget;

namespace saliency::ui {

class ProjectSession;

class ModelRegistry : public QDialog {
    Q_OBJECT
  public:
    explicit ModelRegistry(QWidget* parent = nullptr);

    // The project to show (null: none open); refresh() re-reads it. The registry notices when the
    // project object goes away.
    void setProject(ProjectSession* project);
    void refresh();
    QTableWidget* table() const { return table_; }
    int rowOf(const QString& name) const;  // -1 when the registry has no model of that name

    // Renames the model in `row` (shows an error and returns false when the name is taken or empty).
    bool renameRow(int row, const QString& name);
    // Removes the model in `row` from the project (refused, with a message, when it has marks).
    bool removeRow(int row);

    Q_SIGNAL void addRequested();
    Q_SIGNAL void showRequested(QString checkpoint);
    // The project's model was renamed or removed: the grid follows (service id -1 when not loaded).
    Q_SIGNAL void modelRenamed(int serviceId, QString name);
    Q_SIGNAL void modelRemoved(int serviceId);

  private:
    std::int64_t modelIdAt(int row) const;
    void updateButtons();
    void renameSelected();
    void removeSelected();

    QPointer<ProjectSession> project_;  // null once the project is closed
    QLabel* header_ = nullptr;
    QTableWidget* table_ = nullptr;
    QPushButton* add_ = nullptr;
    QPushButton* show_ = nullptr;
    QPushButton* rename_ = nullptr;
    QPushButton* remove_ = nullptr;
};

}  // namespace saliency::ui
