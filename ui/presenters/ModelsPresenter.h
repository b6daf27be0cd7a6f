#pragma once
// The loaded networks (DESIGN.md section 2, presenters): opens checkpoints and imports
// torchvision weights off the GUI thread, adds them to the ExplanationService, keeps each one's
// file fingerprint (its identity in a project), removes and renames them. The ModelPanel only
// lists them and forwards the buttons. Every failure ends as loaded(false, why) and error().
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>

#include "saliency/ModelSession.h"

class QWidget;

namespace saliency::ui {

class ExplanationService;
class ModelPanel;

class ModelsPresenter : public QObject {
    Q_OBJECT
  public:
    // dialogParent: where the open and import dialogs go (may be null).
    ModelsPresenter(ExplanationService& service, ModelPanel& panel, QWidget* dialogParent,
                    QObject* parent = nullptr);

    void open(const QString& file);  // asynchronous: loaded() tells how it went
    void importWeights(const QString& architecture, const QString& weights, const QStringList& classes,
                       int inputSize);
    void remove(int id);
    void rename(int id, const QString& name);

    int count() const;
    QString modelName(int id) const;  // as the grid and the project name it
    int loading() const { return loading_; }
    // Whether a checkpoint at this path is being opened now (a --model given with a project that
    // stores the same network must not open it twice).
    bool isOpening(const std::filesystem::path& file) const;
    std::string fingerprint(int id) const;
    bool isCheckpoint(int id) const;  // opened from a checkpoint (not imported weights)
    // The loaded networks' ids (as the service knows them) read from this checkpoint.
    std::vector<int> loadedFrom(const QString& checkpoint) const;

    // The dialogs: file chooser, and the import form (classes default to the data set's).
    void chooseOpen();
    void chooseImport(const QStringList& defaultClasses);

    Q_SIGNAL void loaded(bool ok, const QString& message);
    Q_SIGNAL void added(int id);  // in the service and the panel; loaded(true) follows
    Q_SIGNAL void removed(int id);
    Q_SIGNAL void renamed(int id, const QString& name);
    Q_SIGNAL void fileOpened(const QString& file);  // a checkpoint opened (for the recent list)
    Q_SIGNAL void status(const QString& message, int timeoutMs);
    Q_SIGNAL void error(const QString& title, const QString& message);

  private:
    void addSession(std::shared_ptr<explain::ModelSession> session, const std::string& fingerprint,
                    bool fromCheckpoint);
    void loadFailed(const QString& title, const QString& message, const QString& error);

    ExplanationService& service_;
    ModelPanel& panel_;
    QWidget* dialogParent_;
    int loading_ = 0;
    std::multiset<std::filesystem::path> opening_;  // absolute, normalised paths of open() in flight
    std::map<int, std::string> fingerprints_;  // service model id -> checkpoint fingerprint
    std::set<int> checkpoints_;                // ids opened from a checkpoint file
};

}  // namespace saliency::ui
