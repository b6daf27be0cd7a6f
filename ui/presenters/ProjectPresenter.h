#pragma once
// The open project and marking (DESIGN.md section 2, presenters): opens, creates and saves a
// project as, binds it to the open data set and the loaded networks (opening the networks a study
// stored), marks the focused map (or its row or column) through ProjectSession's undo stack, so a
// mark is in the database before the cell shows it, draws the marks on the grid and the browser,
// and says when the statistics are stale (once after a burst of marks).
#include <memory>
#include <optional>

#include <QObject>
#include <QRectF>
#include <QString>
#include <QTimer>

#include "ProjectSession.h"
#include "study/ProjectRecords.h"

class QWidget;

namespace saliency::ui {

class DatasetPresenter;
class ExplanationService;
class GridPresenter;
class ModelsPresenter;
class ProjectSession;
class StudyJob;

class ProjectPresenter : public QObject {
    Q_OBJECT
  public:
    // dialogParent: where the file and name dialogs go (may be null).
    ProjectPresenter(DatasetPresenter& dataset, ModelsPresenter& models, GridPresenter& grid,
                     ExplanationService& service, QWidget* dialogParent, QObject* parent = nullptr);
    ~ProjectPresenter() override;

    ProjectSession* session() const { return project_.get(); }
    // Opens (or with create, makes) a project file; error() and false when it cannot. A project
    // bound to a data set opens that data set, and the networks it stores.
    bool open(const QString& file, bool create);
    // Marks the focused cell (or its whole row / column) and moves on; false without a project.
    bool markFocused(std::optional<study::Verdict> verdict, bool wholeRow = false, bool wholeColumn = false);
    void undo();
    void redo();
    // Go > Next in review queue: the next map of the queue (study/ReviewQueue.h) in the chosen order,
    // its scan shown and its cell focused; wraps round. The queue is read afresh each step, so new
    // marks move maps in or out of it.
    void nextInReview();
    void setReviewOrder(study::ReviewOrder order);
    study::ReviewOrder reviewOrder() const { return reviewOrder_; }

    // The open data set or the loaded networks changed: the project follows.
    void bindDataSet();
    void registerModels();
    void forgetModel(int serviceId);
    // Draws this annotator's marks on the grid's cells and flags marked scans in the browser.
    void applyMarks();
    // Lesion marking (issue 17): this annotator's click (a point) or box on the shown scan, where it
    // has no mask, becomes the ground truth its maps are measured against; every reader's marks are
    // drawn on the grid. false (with a message) without a project, or on a scan with a mask.
    bool markLesion(const QRectF& normalised);
    void removeLesionMark();
    void applyLesionMarks();

    // Statistics from the app's own work (issue 12): the maps the grid shows for the predicted
    // class go into the project with a study's statistics as soon as the grid has filled.
    void recordShownMaps();
    // "Compute statistics for the whole data set": the core study runner over every scan with the
    // loaded networks (those opened from checkpoints), in a background job; resumable.
    void computeStatistics();
    // What "Compute statistics" measures beyond the map statistics (StudyOptions): faithfulness
    // (deletion, insertion, faithfulness correlation, ROAD: ~160 forward passes per map) and
    // robustness (max-/average sensitivity: 11 explanations per map). Off by default: slow.
    void setMeasureFaithfulness(bool on) { measureFaithfulness_ = on; }
    void setMeasureRobustness(bool on) { measureRobustness_ = on; }
    void cancelStatistics();
    bool computingStatistics() const;

    void chooseNew();
    void chooseOpen();
    void chooseSaveAs();
    void chooseAnnotator();

    Q_SIGNAL void opened(const QString& file);
    Q_SIGNAL void canUndoChanged(bool can);
    Q_SIGNAL void canRedoChanged(bool can);
    Q_SIGNAL void statisticsStale();  // 400 ms after the last of a burst of marks or recorded maps
    // The whole-data-set study: progress (etaSeconds < 0 while unknown), then its end.
    Q_SIGNAL void statisticsProgress(const QString& task, qint64 done, qint64 total, double etaSeconds);
    Q_SIGNAL void statisticsComputed(bool cancelled, const QString& summary);
    Q_SIGNAL void status(const QString& message, int timeoutMs);
    Q_SIGNAL void error(const QString& title, const QString& message);

  private:
    void openStoredModels();
    void showChange(const ProjectSession::MarkTarget& target, const QString& what);
    QString lastScanKey() const;  // QSettings key of the open project's last scan
    void advanceFocus();

    DatasetPresenter& dataset_;
    ModelsPresenter& models_;
    GridPresenter& grid_;
    ExplanationService& service_;
    QWidget* dialogParent_;
    std::unique_ptr<ProjectSession> project_;
    QTimer statisticsRefresh_;
    std::unique_ptr<StudyJob> study_;
    bool measureFaithfulness_ = false;
    bool measureRobustness_ = false;
    QString resumeAt_;  // the scan to show once the project's data set has loaded
    QString lesionScan_;  // the scan whose lesion marks the grid shows
    study::ReviewOrder reviewOrder_ = study::ReviewOrder::ReaderDisagreement;
    std::size_t reviewStep_ = 0;  // how many items of the queue were shown
};

}  // namespace saliency::ui
