#pragma once
// Mark > Reader study... (issue 17; docs/user-guide.md, "Reader studies"): choose a session of the
// open project (or make a study: readers, networks, methods, scans, share repeated, seed), then judge
// its maps one per screen, blinded (ReaderSessionPresenter): C correct, X incorrect, 1-5 confidence,
// in either order; a note is optional. The progress bar counts judgements; closing the window (or
// the app) and coming back resumes at the first item not judged. At the end the key is revealed.
#include <memory>
#include <optional>

#include <QStringList>
#include <QWidget>

#include "DisplayOptions.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace saliency::ui {

class ExplanationService;
class ProjectSession;
class ReaderSessionPresenter;
class ReaderMapView;

class ReaderStudyWindow : public QWidget {
    Q_OBJECT
  public:
    // methods: the method names offered for a new study (the grid's).
    ReaderStudyWindow(ProjectSession& project, ExplanationService& service, const DisplayOptions& display,
                      QStringList methods, QWidget* parent = nullptr);
    ~ReaderStudyWindow() override;

    ReaderSessionPresenter& presenter() const { return *presenter_; }
    void refreshSessions();
    // Starts the session chosen in the list (or the one with this id).
    bool startSession(std::int64_t sessionId);
    QString sessionLabel(int index) const;  // the chooser's text, for tests
    int sessionCount() const;
    // Every text the window shows now (labels, buttons, tooltips), for the blinding test.
    QStringList visibleTexts() const;

  private:
    void newStudy();
    void startChosen();
    void showItem();
    void showFinished();

    ProjectSession& project_;
    QStringList methods_;
    std::unique_ptr<ReaderSessionPresenter> presenter_;
    QComboBox* sessions_ = nullptr;
    ReaderMapView* view_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* correct_ = nullptr;
    QPushButton* incorrect_ = nullptr;
    QList<QPushButton*> confidence_;
    QLineEdit* note_ = nullptr;
    QLabel* hint_ = nullptr;
    std::optional<std::size_t> shownItem_;
};

}  // namespace saliency::ui
