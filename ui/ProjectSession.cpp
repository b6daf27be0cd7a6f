#include "ProjectSession.h"

#include <algorithm>

#include <QUndoCommand>

#include "common/Error.h"
#include "jobs/MapRecorder.h"
#include "study/FileFingerprint.h"

namespace saliency::ui {

namespace {

// One cell's verdict before and after; undo restores the before (possibly "no verdict").
class MarkCommand : public QUndoCommand {
  public:
    struct Change {
        QString scanKey;
        int serviceId = 0;
        explain::Method method = explain::Method::GradCam;
        std::optional<study::Verdict> before;
        std::optional<study::Verdict> after;
    };
    MarkCommand(ProjectSession& session, std::vector<Change> changes, const QString& text)
        : session_(session), changes_(std::move(changes)) {
        setText(text);
    }
    void redo() override { applyAll(false); }
    void undo() override { applyAll(true); }
    const Change& first() const { return changes_.front(); }

  private:
    // Runs inside QUndoStack::undo/redo, called from a menu action: an exception must not leave.
    void applyAll(bool undoing) {
        try {
            for (const auto& c : changes_)
                session_.apply(c.scanKey, c.serviceId, c.method, undoing ? c.before : c.after);
        } catch (const std::exception& e) {
            Q_EMIT session_.markFailed(QString::fromStdString(e.what()));
        }
    }

    ProjectSession& session_;
    std::vector<Change> changes_;
};

QString verdictText(std::optional<study::Verdict> v) {
    return v ? QString::fromStdString(study::verdictName(*v)) : QString("no verdict");
}

}  // namespace

namespace {

std::optional<ProjectSession::MarkTarget> targetOf(const QUndoCommand* command) {
    const auto* mark = dynamic_cast<const MarkCommand*>(command);
    if (!mark)
        return std::nullopt;
    const auto& c = mark->first();
    return ProjectSession::MarkTarget{c.scanKey, c.serviceId, c.method, mark->text()};
}

}  // namespace

std::optional<ProjectSession::MarkTarget> ProjectSession::undoTarget() const {
    return undo_.canUndo() ? targetOf(undo_.command(undo_.index() - 1)) : std::nullopt;
}

std::optional<ProjectSession::MarkTarget> ProjectSession::redoTarget() const {
    return undo_.canRedo() ? targetOf(undo_.command(undo_.index())) : std::nullopt;
}

ProjectSession::ProjectSession(const std::filesystem::path& file, bool createIfMissing, QObject* parent)
    : QObject(parent),
      db_(std::make_unique<study::ProjectDatabase>(
          file, createIfMissing ? study::OpenMode::CreateIfMissing : study::OpenMode::ExistingOnly)) {
    const QByteArray user = qgetenv("USER");
    annotator_ = user.isEmpty() ? QString("radiologist") : QString::fromLocal8Bit(user);
    undo_.setUndoLimit(1000);
}

ProjectSession::~ProjectSession() = default;  // the recorder finishes before the connection closes

QString ProjectSession::file() const {
    return QString::fromStdString(db_->file().string());
}

std::optional<std::filesystem::path> ProjectSession::dataRoot() {
    const auto root = db_->info().dataRoot;
    return root ? std::optional<std::filesystem::path>(*root) : std::nullopt;
}

void ProjectSession::setAnnotator(const QString& name) {
    annotator_ = name.trimmed().isEmpty() ? annotator_ : name.trimmed();
    undo_.clear();  // undoing another annotator's marks would be surprising
    loadVerdicts();
    Q_EMIT marksChanged();
}

void ProjectSession::bindDataSet(std::shared_ptr<const Dataset> dataset) {
    db_->bindDataSet(std::filesystem::absolute(dataset->root), dataset->classes);
    dataset_ = std::move(dataset);
    scans_.clear();
    for (const auto& scan : db_->scans())
        scans_[QString::fromStdString(scan.path)] = scan.id;
    loadVerdicts();
    Q_EMIT marksChanged();
}

study::ModelRecord ProjectSession::registerModel(int serviceId, const explain::ModelInfo& info,
                                                 const std::string& fingerprint) {
    study::ModelRecord candidate;
    candidate.name = info.name;
    candidate.checkpointPath = std::filesystem::absolute(info.source).string();
    candidate.architecture = info.architecture;
    candidate.cardJson = info.cardJson;
    candidate.fingerprint = fingerprint;
    const study::ModelRecord record = db_->registerModel(candidate);
    models_[serviceId] = record.id;
    shown_.insert(serviceId);
    loadVerdicts();
    Q_EMIT marksChanged();
    Q_EMIT modelsChanged();
    return record;
}

study::ModelRecord ProjectSession::renameModel(std::int64_t projectModelId, const QString& name) {
    auto record = db_->renameModel(projectModelId, name.toStdString());
    Q_EMIT modelsChanged();
    return record;
}

void ProjectSession::removeModel(std::int64_t projectModelId) {
    db_->removeModel(projectModelId);
    std::erase_if(models_, [&](const auto& entry) { return entry.second == projectModelId; });
    // Commands on the stack may name the removed model (a mark made and undone before the removal).
    undo_.clear();
    Q_EMIT modelsChanged();
}

void ProjectSession::forgetService(int serviceId) {
    shown_.erase(serviceId);
    Q_EMIT modelsChanged();
}

QString ProjectSession::checkpointInUse(const std::filesystem::path& checkpoint) {
    const auto target = std::filesystem::absolute(checkpoint).lexically_normal();
    for (const auto& m : db_->models()) {
        if (std::filesystem::path(m.checkpointPath).lexically_normal() != target)
            continue;
        const std::size_t marks = db_->annotationCount(m.id);
        if (marks > 0)
            return QString(
                       "%1 mark(s) of the project were made on the maps of '%2', whose weights are in this "
                       "file: train into another file")
                .arg(marks)
                .arg(QString::fromStdString(m.name));
        if (db_->hasResults(m.id))
            return QString(
                       "the project's stored maps of '%1' come from the weights in this file: train into "
                       "another file")
                .arg(QString::fromStdString(m.name));
    }
    return {};
}

std::vector<int> ProjectSession::serviceIdsOf(std::int64_t projectModelId) const {
    std::vector<int> out;
    for (const auto& [service, id] : models_)
        if (id == projectModelId && shown_.count(service))
            out.push_back(service);
    return out;
}

void ProjectSession::saveAs(const QString& file) {
    db_->saveAs(file.toStdString());
}

int ProjectSession::serviceIdOf(std::int64_t projectModelId) const {
    const auto services = serviceIdsOf(projectModelId);
    return services.empty() ? -1 : services.front();
}

std::int64_t ProjectSession::projectModel(int serviceId) const {
    const auto it = models_.find(serviceId);
    if (it == models_.end())
        throw Error("this network is not registered in the project");
    return it->second;
}

const DatasetItem* ProjectSession::findItem(const QString& scanKey) const {
    if (!dataset_)
        return nullptr;
    for (const auto& item : dataset_->items)
        if (QString::fromStdString(item.relativePath.generic_string()) == scanKey)
            return &item;
    return nullptr;
}

// The scan's row as a study writes it, but for the fingerprint (reading the whole file is the
// caller's choice: at once for a mark, on the recorder's thread for maps).
study::ScanRecord ProjectSession::scanRecord(const DatasetItem& item) const {
    study::ScanRecord scan;
    scan.path = item.relativePath.generic_string();
    scan.classIndex = item.label;
    scan.className = dataset_->classes.at(static_cast<size_t>(item.label));
    if (item.maskPath)
        scan.maskPath = item.maskPath->generic_string();
    scan.width = item.width;
    scan.height = item.height;
    return scan;
}

std::int64_t ProjectSession::scanId(const QString& scanKey) {
    if (const auto it = scans_.find(scanKey); it != scans_.end())
        return it->second;
    if (!dataset_)
        throw Error("the project has no data set open");
    const DatasetItem* item = findItem(scanKey);
    if (!item)
        throw Error("no scan " + scanKey.toStdString() + " in the data set");
    study::ScanRecord scan = scanRecord(*item);
    scan.fingerprint = study::fileFingerprint(dataset_->absolute(*item));
    const std::int64_t id = db_->putScan(scan);
    scans_[scanKey] = id;
    return id;
}

void ProjectSession::recordMaps(const QString& scanKey, const cv::Mat& mask,
                                const std::vector<ScanExplanation>& explanations) {
    const DatasetItem* item = findItem(scanKey);
    if (!item)
        return;
    MapsToRecord maps{
        .scan = scanRecord(*item), .file = dataset_->absolute(*item), .mask = mask, .networks = {}};
    bool news = false;
    const auto known = db_->models();
    for (const auto& [serviceId, explanation] : explanations) {
        const auto it = models_.find(serviceId);
        if (it == models_.end() || !explanation)
            continue;
        const auto record = std::find_if(known.begin(), known.end(),
                                         [&](const study::ModelRecord& m) { return m.id == it->second; });
        if (record == known.end())
            continue;  // removed from the project since
        maps.networks.push_back({*record, explanation});
        news = news || !recorded_.contains({scanKey, it->second});
    }
    if (maps.networks.empty() || !news)
        return;
    for (const auto& network : maps.networks)
        recorded_.insert({scanKey, network.model.id});
    if (!recorder_) {
        recorder_ = std::make_unique<MapRecorder>(db_->file());
        connect(recorder_.get(), &MapRecorder::recorded, this,
                [this](const QString& path, qint64, qint64) { Q_EMIT mapsRecorded(path); });
        connect(recorder_.get(), &MapRecorder::failed, this, &ProjectSession::recordingFailed);
    }
    recorder_->record(std::move(maps));
}

std::vector<study::LesionMark> ProjectSession::lesionMarks(const QString& scanKey) {
    const auto scan = db_->findScan(scanKey.toStdString());
    return scan ? db_->lesionMarks(scan->id) : std::vector<study::LesionMark>{};
}

void ProjectSession::setLesionMark(const QString& scanKey, const QRectF& normalised) {
    const QRectF r = normalised.normalized();
    const bool box = r.width() > 0 && r.height() > 0;
    db_->setLesionMark({.scanId = scanId(scanKey),
                        .annotator = annotator_.toStdString(),
                        .box = box,
                        .x0 = r.left(),
                        .y0 = r.top(),
                        .x1 = box ? r.right() : r.left(),
                        .y1 = box ? r.bottom() : r.top()});
    forgetRecorded(scanKey);
    Q_EMIT lesionMarksChanged(scanKey);
}

bool ProjectSession::removeLesionMark(const QString& scanKey) {
    const auto scan = db_->findScan(scanKey.toStdString());
    if (!scan || !db_->removeLesionMark(scan->id, annotator_.toStdString()))
        return false;
    forgetRecorded(scanKey);
    Q_EMIT lesionMarksChanged(scanKey);
    return true;
}

// The scan's maps are to be recorded again: their measures against the old marks were cleared.
void ProjectSession::forgetRecorded(const QString& scanKey) {
    std::erase_if(recorded_, [&](const auto& entry) { return entry.first == scanKey; });
}

bool ProjectSession::waitForRecordings(int milliseconds) {
    return !recorder_ || recorder_->waitForDone(milliseconds);
}

std::vector<std::int64_t> ProjectSession::createReaderStudy(const study::ReaderStudyPlan& plan) {
    return study::createReaderStudy(*db_, plan);
}

void ProjectSession::recordReaderJudgement(const study::ReaderSessionRecord& session,
                                           const study::ReaderItemRecord& item, study::Verdict verdict,
                                           int confidence, const QString& note, double seconds) {
    study::recordJudgement(*db_, session, item, verdict, confidence, note.toStdString(), seconds);
    if (!item.repeatOf && session.reader == annotator_.toStdString())
        loadVerdicts();
    Q_EMIT marksChanged();
}

const DatasetItem* ProjectSession::datasetItem(const std::string& scanPath) const {
    return findItem(QString::fromStdString(scanPath));
}

void ProjectSession::loadVerdicts() {
    verdicts_.clear();
    std::map<std::int64_t, QString> paths;
    for (const auto& [path, id] : scans_)
        paths[id] = path;
    for (const auto& a : db_->annotations()) {
        if (QString::fromStdString(a.key.annotator) != annotator_ || !paths.count(a.key.scanId))
            continue;
        verdicts_[{paths[a.key.scanId], a.key.modelId, a.key.method}] = a.verdict;
    }
}

std::optional<study::Verdict> ProjectSession::verdict(const QString& scanKey, int serviceId,
                                                      explain::Method method) const {
    const auto model = models_.find(serviceId);
    if (model == models_.end())
        return std::nullopt;
    const auto it = verdicts_.find({scanKey, model->second, explain::methodName(method)});
    return it == verdicts_.end() ? std::nullopt : std::optional(it->second);
}

std::set<QString> ProjectSession::markedScans() const {
    std::set<QString> out;
    for (const auto& [key, verdict] : verdicts_)
        out.insert(std::get<0>(key));
    return out;
}

void ProjectSession::mark(const QString& scanKey, int serviceId, explain::Method method,
                          std::optional<study::Verdict> verdict) {
    markAll({{scanKey, serviceId, method}}, verdict,
            QString("%1 %2").arg(QString::fromStdString(explain::methodTitle(method)), verdictText(verdict)));
}

void ProjectSession::markAll(const std::vector<std::tuple<QString, int, explain::Method>>& cells,
                             std::optional<study::Verdict> verdict, const QString& what) {
    std::vector<MarkCommand::Change> changes;
    for (const auto& [scanKey, serviceId, method] : cells) {
        (void)scanId(scanKey);  // throws for an unknown scan before anything is written
        (void)projectModel(serviceId);
        const auto before = this->verdict(scanKey, serviceId, method);
        if (before != verdict)
            changes.push_back({scanKey, serviceId, method, before, verdict});
    }
    if (!changes.empty())
        undo_.push(new MarkCommand(*this, std::move(changes), what));  // QUndoStack owns it; push runs redo()
}

void ProjectSession::apply(const QString& scanKey, int serviceId, explain::Method method,
                           std::optional<study::Verdict> verdict) {
    study::AnnotationKey key;
    key.scanId = scanId(scanKey);
    key.modelId = projectModel(serviceId);
    key.method = explain::methodName(method);
    key.annotator = annotator_.toStdString();
    if (verdict) {
        study::Annotation annotation;
        annotation.key = key;
        annotation.verdict = *verdict;
        db_->setAnnotation(annotation);  // its own transaction: committed when this returns
        verdicts_[{scanKey, key.modelId, key.method}] = *verdict;
    } else {
        db_->removeAnnotation(key);
        verdicts_.erase({scanKey, key.modelId, key.method});
    }
    Q_EMIT marksChanged();
}

}  // namespace saliency::ui
