#include "ProjectPresenter.h"

#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include <QCryptographicHash>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>

#include "ComparisonGrid.h"
#include "DatasetPresenter.h"
#include "ExplanationService.h"
#include "GridPresenter.h"
#include "ModelsPresenter.h"
#include "ProjectSession.h"
#include "jobs/StudyJob.h"

namespace saliency::ui {

ProjectPresenter::ProjectPresenter(DatasetPresenter& dataset, ModelsPresenter& models, GridPresenter& grid,
                                   ExplanationService& service, QWidget* dialogParent, QObject* parent)
    : QObject(parent),
      dataset_(dataset),
      models_(models),
      grid_(grid),
      service_(service),
      dialogParent_(dialogParent) {
    // A project reopens at the scan it was left at (kept per project file).
    connect(&dataset_, &DatasetPresenter::scanShown, this, [this](int index) {
        if (project_)
            QSettings().setValue(lastScanKey(), dataset_.scanKey(index));
    });
    connect(&dataset_, &DatasetPresenter::loaded, this, [this](bool ok) {
        if (ok && !resumeAt_.isEmpty())
            dataset_.selectScan(std::exchange(resumeAt_, QString()));
    });
    statisticsRefresh_.setSingleShot(true);
    statisticsRefresh_.setInterval(400);  // a burst of marks refreshes the charts once
    connect(&statisticsRefresh_, &QTimer::timeout, this, &ProjectPresenter::statisticsStale);
}

ProjectPresenter::~ProjectPresenter() = default;

bool ProjectPresenter::open(const QString& file, bool create) {
    std::unique_ptr<ProjectSession> session;
    try {
        session = std::make_unique<ProjectSession>(file.toStdString(), create);
    } catch (const std::exception& e) {
        Q_EMIT error("Cannot open project", QString::fromStdString(e.what()));
        return false;
    }
    project_ = std::move(session);
    connect(project_.get(), &ProjectSession::marksChanged, this, &ProjectPresenter::applyMarks);
    connect(project_.get(), &ProjectSession::lesionMarksChanged, this, [this] {
        applyLesionMarks();
        recordShownMaps();  // measured against the new marks at once
        statisticsRefresh_.start();
    });
    connect(project_.get(), &ProjectSession::markFailed, this,
            [this](const QString& message) { Q_EMIT error("Cannot change the mark", message); });
    connect(project_.get(), &ProjectSession::marksChanged, &statisticsRefresh_, qOverload<>(&QTimer::start));
    connect(project_.get(), &ProjectSession::mapsRecorded, &statisticsRefresh_, qOverload<>(&QTimer::start));
    connect(project_.get(), &ProjectSession::recordingFailed, this,
            [this](const QString& scan, const QString& why) {
                Q_EMIT status("The statistics of " + scan + " were not stored: " + why, 8000);
            });
    connect(project_->undoStack(), &QUndoStack::canUndoChanged, this, &ProjectPresenter::canUndoChanged);
    connect(project_->undoStack(), &QUndoStack::canRedoChanged, this, &ProjectPresenter::canRedoChanged);
    Q_EMIT canUndoChanged(false);
    Q_EMIT canRedoChanged(false);
    Q_EMIT opened(file);
    const auto root = project_->dataRoot();
    const Dataset* dataset = dataset_.dataset();
    resumeAt_ = QSettings().value(lastScanKey()).toString();
    if (root && (!dataset || std::filesystem::absolute(dataset->root) != *root)) {
        dataset_.open(QString::fromStdString(root->string()));  // binds once scanned; resumes at resumeAt_
    } else {
        bindDataSet();
        if (dataset && !resumeAt_.isEmpty())
            dataset_.selectScan(std::exchange(resumeAt_, QString()));
    }
    registerModels();
    openStoredModels();
    Q_EMIT status("Project " + file, 5000);
    return true;
}

void ProjectPresenter::recordShownMaps() {
    const auto current = dataset_.current();
    const explain::ExplainRequest request = grid_.explainRequest();
    // A study stores maps of the predicted class at each network's default layer: only those
    // compare with its rows (a map of another class is a what-if, not the network's evidence).
    if (!project_ || !current || request.targetClass != -1 || !request.layer.empty())
        return;
    const QString key = dataset_.scanKey(current->index);
    std::vector<ProjectSession::ScanExplanation> explanations;
    for (const auto& m : service_.models())
        if (auto result = service_.result(key, m.id, request))
            explanations.emplace_back(m.id, std::move(result));
    project_->recordMaps(key, current->mask, explanations);
}

bool ProjectPresenter::computingStatistics() const {
    return study_ && study_->isRunning();
}

void ProjectPresenter::cancelStatistics() {
    if (study_)
        study_->cancel();
}

void ProjectPresenter::computeStatistics() {
    const Dataset* dataset = dataset_.dataset();
    if (!project_ || !dataset) {
        Q_EMIT error("Compute statistics", "Open a data set and a project first (File > New project).");
        return;
    }
    if (computingStatistics())
        return;
    study::StudyOptions options;
    options.data = dataset->root;
    options.methods = grid_.methods();
    options.faithfulness = measureFaithfulness_;
    options.robustness = measureRobustness_;
    QStringList imported;
    for (const auto& m : service_.models()) {
        const auto& info = m.session->info();
        if (models_.isCheckpoint(m.id))
            options.checkpoints.push_back(info.source);
        else
            imported << service_.modelName(m.id);
    }
    if (options.checkpoints.empty()) {
        Q_EMIT error("Compute statistics",
                     "No network opened from a checkpoint: the study reads networks from their checkpoint "
                     "files. Open one (File > Open model), or save an imported network by training it.");
        return;
    }
    if (!imported.isEmpty())
        Q_EMIT status(
            "Left out of the statistics (imported weights have no checkpoint): " + imported.join(", "), 8000);
    if (!study_) {
        study_ = std::make_unique<StudyJob>();
        connect(study_.get(), &StudyJob::progressed, this,
                [this](const QString& task, qint64 done, qint64 total, const QString&, double eta) {
                    Q_EMIT statisticsProgress(task, done, total, eta);
                });
        connect(
            study_.get(), &StudyJob::finished, this,
            [this](std::shared_ptr<const study::StudySummary> summary, bool cancelled, const QString& why) {
                Q_EMIT statisticsStale();
                if (!why.isEmpty()) {
                    Q_EMIT error("The statistics could not be computed", why);
                    Q_EMIT statisticsComputed(false, why);
                    return;
                }
                QString text = cancelled ? QString(
                                               "Stopped: the scans done so far are stored; run it "
                                               "again to continue.")
                                         : QString(
                                               "Statistics computed: %1 scans studied, %2 stored before, "
                                               "%3 maps and %4 pairs added")
                                               .arg(summary->studied)
                                               .arg(summary->alreadyStored)
                                               .arg(summary->mapsAdded)
                                               .arg(summary->pairsAdded);
                if (summary && !summary->skipped.empty())
                    text += QString("; %1 files skipped (unreadable)").arg(summary->skipped.size());
                Q_EMIT status(text, 10000);
                Q_EMIT statisticsComputed(cancelled, text);
            });
    }
    study_->start({std::filesystem::path(project_->file().toStdString()), options});
}

QString ProjectPresenter::lastScanKey() const {
    const QByteArray path = QFileInfo(project_ ? project_->file() : QString()).absoluteFilePath().toUtf8();
    return "projects/" + QCryptographicHash::hash(path, QCryptographicHash::Sha1).toHex() + "/lastScan";
}

void ProjectPresenter::openStoredModels() {
    if (!project_)
        return;
    // A study's project names its networks: open those not loaded yet (same fingerprint = same model).
    std::set<std::string> loaded;
    for (const auto& m : service_.models())
        loaded.insert(models_.fingerprint(m.id));
    for (const auto& model : project_->storedModels()) {
        if (loaded.count(model.fingerprint) || models_.isOpening(model.checkpointPath))
            continue;  // loaded, or being opened (e.g. also named with --model)
        if (std::filesystem::exists(model.checkpointPath))
            models_.open(QString::fromStdString(model.checkpointPath));
        else
            Q_EMIT status("The project's network " + QString::fromStdString(model.name) + " is not at " +
                              QString::fromStdString(model.checkpointPath),
                          8000);
    }
}

void ProjectPresenter::bindDataSet() {
    if (!project_ || !dataset_.dataset())
        return;
    try {
        project_->bindDataSet(dataset_.sharedDataset());
    } catch (const std::exception& e) {
        Q_EMIT error("The project belongs to another data set", QString::fromStdString(e.what()));
        project_.reset();
    }
}

void ProjectPresenter::registerModels() {
    if (!project_)
        return;
    for (const auto& m : service_.models()) {
        if (project_->knowsModel(m.id))
            continue;
        try {
            const auto record = project_->registerModel(m.id, m.session->info(), models_.fingerprint(m.id));
            // The project's name (unique there, perhaps renamed in the registry) names the row too.
            if (QString::fromStdString(record.name) != service_.modelName(m.id))
                models_.rename(m.id, QString::fromStdString(record.name));
        } catch (const std::exception& e) {
            Q_EMIT error("Cannot add the network to the project", QString::fromStdString(e.what()));
        }
    }
}

void ProjectPresenter::forgetModel(int serviceId) {
    if (project_)
        project_->forgetService(serviceId);
}

void ProjectPresenter::applyLesionMarks() {
    const auto current = dataset_.current();
    lesionScan_ = current ? dataset_.scanKey(current->index) : QString();
    LesionOverlay overlay;
    if (project_ && current)
        for (const auto& m : project_->lesionMarks(lesionScan_))
            overlay.push_back(QRectF(QPointF(m.x0, m.y0), QPointF(m.x1, m.y1)));
    grid_.grid().setLesions(std::move(overlay));
}

bool ProjectPresenter::markLesion(const QRectF& normalised) {
    const auto current = dataset_.current();
    if (!project_ || !current) {
        Q_EMIT error("No project", "Lesion marks are stored in a project: File > New project or Open project.");
        return false;
    }
    const QString key = dataset_.scanKey(current->index);
    if (!current->mask.empty()) {
        Q_EMIT status(key + " has a tumour mask: its maps are measured against the mask, not a mark", 8000);
        return false;
    }
    try {
        project_->setLesionMark(key, normalised);
    } catch (const std::exception& e) {
        Q_EMIT error("Cannot store the lesion mark", QString::fromUtf8(e.what()));
        return false;
    }
    const bool box = normalised.width() > 0 && normalised.height() > 0;
    Q_EMIT status(QString(box ? "Lesion box" : "Lesion centre") + " of " + key + " stored for " +
                      project_->annotator() +
                      ": the pointing game" + (box ? ", IoU and energy inside" : "") +
                      " of its maps now use it (Compute statistics measures other marked scans)",
                  8000);
    return true;
}

void ProjectPresenter::removeLesionMark() {
    const auto current = dataset_.current();
    if (!project_ || !current)
        return;
    const QString key = dataset_.scanKey(current->index);
    Q_EMIT status(project_->removeLesionMark(key) ? "Your lesion mark of " + key + " was removed"
                                                  : "You have not marked the lesion of " + key,
                  5000);
}

void ProjectPresenter::applyMarks() {
    if (project_)
        dataset_.setMarked(project_->markedScans());
    const auto current = dataset_.current();
    if (!current)
        return;
    const QString key = dataset_.scanKey(current->index);
    if (key != lesionScan_)
        applyLesionMarks();
    ComparisonGrid& grid = grid_.grid();
    const auto& methods = grid_.methods();
    GridContent content = grid.content();
    bool changed = false;
    for (auto& row : content.rows) {
        for (size_t c = 1; c < row.cells.size() && c <= methods.size(); ++c) {
            CellMark mark = CellMark::None;
            if (project_ && row.modelId > 0) {
                if (const auto v = project_->verdict(key, row.modelId, methods[c - 1]))
                    mark = *v == study::Verdict::Correct     ? CellMark::Correct
                           : *v == study::Verdict::Incorrect ? CellMark::Incorrect
                                                             : CellMark::Unsure;
            }
            changed = changed || row.cells[c].mark != mark;
            row.cells[c].mark = mark;
        }
    }
    if (changed)
        grid.setContent(std::move(content));
}

bool ProjectPresenter::markFocused(std::optional<study::Verdict> verdict, bool wholeRow, bool wholeColumn) {
    if (!project_) {
        Q_EMIT error("No project",
                     "Marks are stored in a project: File > New project (Ctrl+Shift+N) or Open project.");
        return false;
    }
    const auto current = dataset_.current();
    if (!current)
        return false;
    ComparisonGrid& grid = grid_.grid();
    const auto& methods = grid_.methods();
    auto [row, column] = grid.focusedCell();
    const auto& rows = grid.content().rows;
    if (row < 0 || column < 1) {  // nothing (or the scan column) focused: start at the first map
        row = 0;
        column = 1;
    }
    if (row >= static_cast<int>(rows.size()) || column > static_cast<int>(methods.size()) ||
        rows[static_cast<size_t>(row)].modelId <= 0)
        return false;
    std::vector<std::tuple<QString, int, explain::Method>> cells;
    const QString key = dataset_.scanKey(current->index);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r)
        for (int c = 1; c <= static_cast<int>(methods.size()); ++c)
            if ((r == row || wholeColumn) && (c == column || wholeRow))
                cells.emplace_back(key, rows[static_cast<size_t>(r)].modelId,
                                   methods[static_cast<size_t>(c - 1)]);
    try {
        const QString what = wholeRow ? "row" : wholeColumn ? "column" : "map";
        project_->markAll(
            cells, verdict,
            QString("%1 %2").arg(
                what, verdict ? QString::fromStdString(study::verdictName(*verdict)) : QString("cleared")));
    } catch (const std::exception& e) {
        Q_EMIT error("Cannot store the mark", QString::fromStdString(e.what()));
        return false;
    }
    grid.setFocusedCell(row, column);
    if (!wholeRow && !wholeColumn)
        advanceFocus();
    Q_EMIT status(QString("%1 marks by %2 in %3")
                      .arg(project_->annotationCount())
                      .arg(project_->annotator(), QFileInfo(project_->file()).fileName()),
                  3000);
    return true;
}

void ProjectPresenter::advanceFocus() {
    // The next map cell: along the row, then the next network; after the last, the next scan.
    ComparisonGrid& grid = grid_.grid();
    auto [row, column] = grid.focusedCell();
    const int rows = static_cast<int>(grid.content().rows.size());
    if (column < static_cast<int>(grid_.methods().size())) {
        grid.setFocusedCell(row, column + 1);
    } else if (row + 1 < rows) {
        grid.setFocusedCell(row + 1, 1);
    } else if (dataset_.selectNext()) {
        grid.setFocusedCell(0, 1);
    }
}

void ProjectPresenter::undo() {
    if (!project_)
        return;
    const auto target = project_->undoTarget();
    project_->undoStack()->undo();
    if (target)
        showChange(*target, "Undone");
}

void ProjectPresenter::redo() {
    if (!project_)
        return;
    const auto target = project_->redoTarget();
    project_->undoStack()->redo();
    if (target)
        showChange(*target, "Redone");
}

void ProjectPresenter::setReviewOrder(study::ReviewOrder order) {
    reviewOrder_ = order;
    reviewStep_ = 0;
}

void ProjectPresenter::nextInReview() {
    if (!project_) {
        Q_EMIT status("The review queue is made of a project's marks and measures: open a project first",
                      6000);
        return;
    }
    std::vector<study::ReviewItem> queue;
    try {
        queue = project_->reviewQueue(reviewOrder_);
    } catch (const std::exception& e) {
        Q_EMIT error("Cannot make the review queue", QString::fromStdString(e.what()));
        return;
    }
    const QString order = QString::fromStdString(study::reviewOrderName(reviewOrder_));
    if (queue.empty()) {
        Q_EMIT status("Review queue (" + order + "): nothing to review", 6000);
        return;
    }
    const std::size_t position = reviewStep_++ % queue.size();
    const study::ReviewItem& item = queue[position];
    const auto method = explain::parseMethod(item.method);
    const int serviceId = project_->serviceIdOf(item.modelId);
    const QString what = QString("Review %1 of %2 (%3)").arg(position + 1).arg(queue.size()).arg(order);
    if (serviceId < 0 || !method) {  // a network of the project that is not loaded: the scan at least
        Q_EMIT status(what + ": " + QString::fromStdString(item.network + " is not loaded; " + item.reason),
                      8000);
        dataset_.selectScan(QString::fromStdString(item.scan));
        return;
    }
    showChange({QString::fromStdString(item.scan), serviceId, *method, QString::fromStdString(item.reason)},
               what);
}

// An undo or redo never changes a mark out of sight: its scan is brought up and the cell focused,
// and the status bar says what changed.
void ProjectPresenter::showChange(const ProjectSession::MarkTarget& target, const QString& what) {
    Q_EMIT status(QString("%1: %2 (%3, %4)")
                      .arg(what, target.text, target.scanKey, service_.modelName(target.serviceId)),
                  6000);
    const auto focus = [this, target] {
        const auto [row, column] = grid_.cellOf(target.serviceId, target.method);
        if (row >= 0)
            grid_.grid().setFocusedCell(row, column);
    };
    const auto current = dataset_.current();
    if (current && dataset_.scanKey(current->index) == target.scanKey) {
        focus();
        return;
    }
    // Another scan: focus its cell once its grid is there.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(&grid_, &GridPresenter::filled, this, [connection, focus] {
        QObject::disconnect(*connection);
        focus();
    });
    if (!dataset_.selectScan(target.scanKey))
        QObject::disconnect(*connection);
}

// ---- dialogs ----------------------------------------------------------------------------------

void ProjectPresenter::chooseNew() {
    const QString file =
        QFileDialog::getSaveFileName(dialogParent_, "New project", {}, "Saliency Studio project (*.sqlite)");
    if (!file.isEmpty())
        open(file.endsWith(".sqlite") ? file : file + ".sqlite", true);
}

void ProjectPresenter::chooseOpen() {
    const QString file = QFileDialog::getOpenFileName(dialogParent_, "Open project", {},
                                                      "Saliency Studio project (*.sqlite);;All files (*)");
    if (!file.isEmpty())
        open(file, false);
}

void ProjectPresenter::chooseAnnotator() {
    if (!project_)
        return;
    bool ok = false;
    const QString name =
        QInputDialog::getText(dialogParent_, "Annotator", "Your name (marks are stored per annotator)",
                              QLineEdit::Normal, project_->annotator(), &ok);
    if (ok)
        project_->setAnnotator(name);
}

void ProjectPresenter::chooseSaveAs() {
    if (!project_)
        return;
    QString file = QFileDialog::getSaveFileName(dialogParent_, "Save project as",
                                                QFileInfo(project_->file()).absolutePath(),
                                                "Saliency Studio project (*.sqlite)");
    if (file.isEmpty())
        return;
    if (!file.endsWith(".sqlite")) {
        file += ".sqlite";  // the dialog confirmed the name without the suffix: confirm this one
        if (QFileInfo::exists(file) &&
            QMessageBox::question(dialogParent_, "Save project as", file + " exists. Replace it?") !=
                QMessageBox::Yes)
            return;
    }
    try {
        project_->saveAs(file);
    } catch (const std::exception& e) {
        Q_EMIT error("Cannot save the project", QString::fromStdString(e.what()));
        return;
    }
    // Work goes on in the copy, as "Save as" does everywhere, under the same annotator.
    const QString annotator = project_->annotator();
    if (open(file, false) && project_)
        project_->setAnnotator(annotator);
}

}  // namespace saliency::ui
