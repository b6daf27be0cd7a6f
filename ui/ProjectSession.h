#pragma once
// The open project (core/study's ProjectDatabase, one SQLite file) as the GUI uses it: a
// radiologist's verdicts on maps, each committed the moment it is made (DESIGN.md section 9), with
// undo and redo. Lives on the GUI thread: one annotation is one small transaction (about a
// millisecond with WAL), and doing it here means a mark shown is a mark stored.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include <QObject>
#include <QRectF>
#include <QString>
#include <QUndoStack>

#include <opencv2/core/mat.hpp>

#include "data/Dataset.h"
#include "saliency/ModelSession.h"
#include "study/ProjectDatabase.h"
#include "study/ReaderStudy.h"
#include "study/ReviewQueue.h"

namespace saliency::ui {

class MapRecorder;

class ProjectSession : public QObject {
    Q_OBJECT
  public:
    // Throws FileError / Error with a message for a user (not a project, a newer schema, ...).
    ProjectSession(const std::filesystem::path& file, bool createIfMissing, QObject* parent = nullptr);
    ~ProjectSession() override;

    QString file() const;
    // Writes a consistent copy of the project to `file` (ProjectDatabase::saveAs); this session
    // stays on the original. Throws Error / FileError.
    void saveAs(const QString& file);
    std::optional<std::filesystem::path> dataRoot();  // the data set a study or the app bound
    QString annotator() const { return annotator_; }
    void setAnnotator(const QString& name);

    // Ties the project to the open data set; throws Error when the project belongs to another one.
    void bindDataSet(std::shared_ptr<const Dataset> dataset);
    // The project's row for a loaded network (registered on first use). fingerprint: of its file.
    study::ModelRecord registerModel(int serviceId, const explain::ModelInfo& info,
                                     const std::string& fingerprint);
    bool knowsModel(int serviceId) const { return models_.count(serviceId) > 0; }
    // The networks stored in the project (a study's, or registered by the app earlier).
    std::vector<study::ModelRecord> storedModels() { return db_->models(); }
    // The model registry (issue 7): rename a stored model, or remove one that has no marks (throws
    // Error with the reason otherwise). A loaded network's service id, or -1.
    study::ModelRecord renameModel(std::int64_t projectModelId, const QString& name);
    void removeModel(std::int64_t projectModelId);
    std::size_t annotationCount(std::int64_t projectModelId) { return db_->annotationCount(projectModelId); }
    // The grid rows showing a project model (a checkpoint opened twice has two).
    std::vector<int> serviceIdsOf(std::int64_t projectModelId) const;
    int serviceIdOf(std::int64_t projectModelId) const;  // the first of them, or -1
    // Why a training run must not write `checkpoint` (marks or maps of the project refer to the
    // weights in it), or empty when it may.
    QString checkpointInUse(const std::filesystem::path& checkpoint);
    // A network left the grid: its marks stay in the project. Its id mapping stays too, so that
    // undoing an earlier mark of it still finds its project model.
    void forgetService(int serviceId);

    std::optional<study::Verdict> verdict(const QString& scanKey, int serviceId,
                                          explain::Method method) const;
    // Sets (or with nullopt clears) a verdict through the undo stack; throws Error when the scan or
    // the network is not known to the project.
    void mark(const QString& scanKey, int serviceId, explain::Method method,
              std::optional<study::Verdict> verdict);
    // Several marks as one undo step (a whole row or column).
    void markAll(const std::vector<std::tuple<QString, int, explain::Method>>& cells,
                 std::optional<study::Verdict> verdict, const QString& what);
    QUndoStack* undoStack() { return &undo_; }
    // The maps most in need of a second look (study/ReviewQueue.h), from the marks and measures stored.
    std::vector<study::ReviewItem> reviewQueue(study::ReviewOrder order) {
        return study::reviewQueue(*db_, order);
    }
    // The first map the next undo (or redo) changes, to show it before changing it; nullopt when
    // there is nothing to undo (redo).
    struct MarkTarget {
        QString scanKey;
        int serviceId = 0;
        explain::Method method = explain::Method::GradCam;
        QString text;  // "mark map correct", ...
    };
    std::optional<MarkTarget> undoTarget() const;
    std::optional<MarkTarget> redoTarget() const;
    int annotationCount() const { return static_cast<int>(verdicts_.size()); }
    // The scans this annotator has marked at least one map of.
    std::set<QString> markedScans() const;

    // Where readers marked the lesion on a scan without a mask (study/GroundTruth.h): every reader's
    // marks of the scan, and this annotator's set (a point: a rectangle without size; normalised
    // image coordinates) or removed. The change is committed before these return; the scan's maps
    // are then measured against the marks again when the grid records them (recordMaps).
    std::vector<study::LesionMark> lesionMarks(const QString& scanKey);
    void setLesionMark(const QString& scanKey, const QRectF& normalised);  // throws Error
    bool removeLesionMark(const QString& scanKey);                         // false when there was none
    Q_SIGNAL void lesionMarksChanged(QString scanKey);

    // Reader studies (study/ReaderStudy.h), in this project. A judgement is committed before this
    // returns; marksChanged() follows, as a first showing's judgement is also the reader's mark.
    std::vector<study::ReaderSessionRecord> readerSessions() { return db_->readerSessions(); }
    std::vector<study::ReaderItemRecord> readerItems(std::int64_t sessionId) { return db_->readerItems(sessionId); }
    std::vector<std::int64_t> createReaderStudy(const study::ReaderStudyPlan& plan);
    void recordReaderJudgement(const study::ReaderSessionRecord& session, const study::ReaderItemRecord& item,
                               study::Verdict verdict, int confidence, const QString& note, double seconds);
    // The data set's entry for a project scan path (relative, '/'), or nullptr.
    const DatasetItem* datasetItem(const std::string& scanPath) const;
    std::shared_ptr<const Dataset> dataset() const { return dataset_; }

    // Statistics from the app's own work (issue 12): the grid's maps of one scan, for the predicted
    // class and each network's default layer, go into the project with the rows a study stores
    // (jobs/MapRecorder.h, off the GUI thread); mapsRecorded() follows. Networks the project does
    // not know yet and scans recorded before for the same networks are left out.
    using ScanExplanation = std::pair<int, std::shared_ptr<const explain::ImageExplanation>>;  // service id
    void recordMaps(const QString& scanKey, const cv::Mat& mask,
                    const std::vector<ScanExplanation>& explanations);
    // Waits for recordings in flight (tests, and before another process reads the file).
    bool waitForRecordings(int milliseconds);

    Q_SIGNAL void mapsRecorded(QString scanKey);
    Q_SIGNAL void recordingFailed(QString scanKey, QString message);
    Q_SIGNAL void marksChanged();
    Q_SIGNAL void modelsChanged();              // added, renamed or removed, or shown in the grid or not
    Q_SIGNAL void markFailed(QString message);  // an undo or redo could not be written

    // Used by the undo commands: writes one verdict now.
    void apply(const QString& scanKey, int serviceId, explain::Method method,
               std::optional<study::Verdict> verdict);

  private:
    using Key = std::tuple<QString, std::int64_t, std::string>;  // scan, project model id, method
    std::int64_t scanId(const QString& scanKey);
    study::ScanRecord scanRecord(const DatasetItem& item) const;
    const DatasetItem* findItem(const QString& scanKey) const;
    std::int64_t projectModel(int serviceId) const;
    void loadVerdicts();
    void forgetRecorded(const QString& scanKey);

    std::unique_ptr<study::ProjectDatabase> db_;
    std::shared_ptr<const Dataset> dataset_;
    std::map<int, std::int64_t> models_;  // service id -> project model id (also of rows since removed)
    std::set<int> shown_;                 // service ids still in the grid
    std::map<QString, std::int64_t> scans_;
    std::map<Key, study::Verdict> verdicts_;  // this annotator's
    QString annotator_;
    QUndoStack undo_;
    std::set<std::pair<QString, std::int64_t>> recorded_;  // (scan, project model) sent to the recorder
    std::unique_ptr<MapRecorder> recorder_;                // created on the first recording
};

}  // namespace saliency::ui
