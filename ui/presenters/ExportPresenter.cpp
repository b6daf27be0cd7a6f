#include "ExportPresenter.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QProgressDialog>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgcodecs.hpp>

#include "io/MaskReader.h"

#include "CellRendering.h"
#include "ComparisonGrid.h"
#include "DatasetPresenter.h"
#include "ExplanationService.h"
#include "FigureExport.h"
#include "FigureExportDialog.h"
#include "GridPresenter.h"
#include "PredictionStyle.h"
#include "io/ScanReader.h"
#include "saliency/SharedScale.h"

namespace saliency::ui {

namespace {

// One scan of a selection export: where it is read from and where its figure goes.
struct SelectionJob {
    QString key, file, heading, trueClass;
    std::filesystem::path scan, mask;
};

using NamedSessions = std::vector<std::pair<QString, std::shared_ptr<explain::ModelSession>>>;

// The grid of one scan as the app would show it, computed here (the worker's own passes).
GridContent comparisonOf(const SelectionJob& job, const NamedSessions& sessions,
                         const std::vector<explain::Method>& methods, const DisplayOptions& display) {
    const Scan scan = readScan(job.scan);
    const cv::Mat base = displayBase(scan.rgb);
    const cv::Mat mask = job.mask.empty() ? cv::Mat() : readMask(job.mask);
    GridContent content;
    content.heading = QString("%1   (true class: %2)").arg(job.heading, job.trueClass);
    content.columns << "Scan";
    for (const auto m : methods)
        content.columns << QString::fromStdString(explain::methodTitle(m));
    std::vector<explain::ImageExplanation> explanations;
    std::map<explain::Method, double> peaks;  // the shared scale: per method over the networks
    for (const auto& [name, session] : sessions) {
        explain::ExplainRequest request;
        request.methods = methods;
        explanations.push_back(session->explain(scan.rgb, request));
        for (const auto& map : explanations.back().maps)
            peaks[map.method] = std::max(peaks[map.method], explain::magnitudePeak(map));
    }
    std::size_t next = 0;
    for (const auto& [name, session] : sessions) {
        const auto& e = explanations[next++];
        const QString predicted =
            QString::fromStdString(session->info().classes.at(static_cast<size_t>(e.predictedClass)));
        GridRow row;
        row.title = name;
        row.accent = predicted == job.trueClass ? kPredictionRight : kPredictionWrong;
        row.subtitle = QString("%1\npredicted: %2 %3")
                           .arg(QString::fromStdString(session->info().architecture), predicted,
                                probabilityText(e.probabilities.at(static_cast<size_t>(e.predictedClass))));
        row.cells.push_back(renderOriginal(base, mask, display));
        for (const auto& map : e.maps)
            row.cells.push_back(renderMap(base, map, mask, display, predicted, peaks[map.method]));
        content.rows.push_back(std::move(row));
    }
    return content;
}

}  // namespace

ExportPresenter::ExportPresenter(const GridPresenter& grid, const DatasetPresenter& dataset,
                                 ExplanationService& service, QWidget* dialogParent, QObject* parent)
    : QObject(parent), grid_(grid), dataset_(dataset), service_(service), dialogParent_(dialogParent) {}

void ExportPresenter::exportFigure(const QString& file, FigureOptions options) const {
    options.display = grid_.display();
    options.zoom = grid_.grid().zoom();
    options.centre = grid_.grid().centre();
    ui::exportFigure(grid_.grid().content(), file, options);
}

void ExportPresenter::chooseExportFigure() {
    const auto current = dataset_.current();
    if (!current) {
        Q_EMIT error("Nothing to export", "Select a scan first.");
        return;
    }
    QSettings settings;
    const QString suggested =
        QFileInfo(dataset_.scanKey(current->index)).completeBaseName() + "-comparison.png";
    const auto choice =
        FigureExportDialog::askForFile(dialogParent_, grid_.grid().content(),
                                       QDir(settings.value("export/folder").toString()).filePath(suggested));
    if (!choice)
        return;
    const QString file = choice->path;
    settings.setValue("export/folder", QFileInfo(file).absolutePath());
    // Rendering a 300 dpi figure takes a few hundred ms: in a worker, from a copy of the grid.
    FigureOptions options = choice->options;
    options.display = grid_.display();
    options.zoom = grid_.grid().zoom();
    options.centre = grid_.grid().centre();
    const GridContent content = grid_.grid().content();
    Q_EMIT status("Exporting " + file + " ...", 0);
    QPointer<ExportPresenter> self(this);
    (void)QtConcurrent::run([self, content, file, options] {
        QString error;
        try {
            ui::exportFigure(content, file, options);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, file, error] {
                if (!self)
                    return;
                if (error.isEmpty())
                    Q_EMIT self->status("Exported " + file, 5000);
                else
                    Q_EMIT self->error("Cannot export figure", error);
                Q_EMIT self->figureExported(file, error);
            },
            Qt::QueuedConnection);
    });
}

void ExportPresenter::chooseExportSelection() {
    const std::vector<int> selected = dataset_.selectedIndices();
    if (selected.empty() || service_.models().empty()) {
        Q_EMIT error("Nothing to export",
                     "Select scans in the browser (Shift/Ctrl+click) and open at least one model.");
        return;
    }
    const auto choice = FigureExportDialog::askForFolder(dialogParent_, grid_.grid().content(),
                                                         QSettings().value("export/folder").toString());
    if (!choice)
        return;
    const QString folder = choice->path;
    const QString format = figureSuffix(choice->format);
    const int run = exportSelection(selected, folder, format, choice->options);
    if (run == 0)
        return;
    // The worker reports through queued calls: none can arrive before these connections.
    auto* progress = new QProgressDialog("Exporting figures...", "Cancel", 0,
                                         static_cast<int>(selected.size()), dialogParent_);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(0);
    connect(progress, &QProgressDialog::canceled, this, [this, run] { cancelSelection(run); });
    connect(this, &ExportPresenter::selectionProgress, progress, [progress, run](int of, int done) {
        if (of == run)
            progress->setValue(done);
    });
    connect(this, &ExportPresenter::selectionExported, progress, [progress, run](int of) {
        if (of == run)
            progress->close();
    });
}

int ExportPresenter::exportSelection(const std::vector<int>& scans, const QString& folder,
                                     const QString& format, const FigureOptions& figure) {
    const Dataset* dataset = dataset_.dataset();
    if (!dataset || scans.empty() || service_.models().empty())
        return 0;
    std::vector<SelectionJob> jobs;
    for (const int i : scans) {
        const auto& item = dataset->items.at(static_cast<size_t>(i));
        jobs.push_back({dataset_.scanKey(i),
                        QDir(folder).filePath(QString::fromStdString(item.relativePath.stem().string()) +
                                              "-comparison." + format),
                        dataset_.scanKey(i), dataset_.trueClass(i), dataset->absolute(item),
                        item.maskPath ? dataset->root / *item.maskPath : std::filesystem::path()});
    }
    NamedSessions sessions;
    for (const auto& m : service_.models())
        sessions.emplace_back(service_.modelName(m.id), m.session);
    const int run = ++lastRun_;
    const auto cancelled = std::make_shared<std::atomic<bool>>(false);
    cancelFlags_[run] = cancelled;
    const auto methods = grid_.methods();
    const DisplayOptions display = grid_.display();
    const int total = static_cast<int>(jobs.size());
    QPointer<ExportPresenter> self(this);
    (void)QtConcurrent::run([jobs, sessions, methods, display, figure, cancelled, total, self, run] {
        int done = 0;
        QStringList failures;
        for (const auto& job : jobs) {
            if (*cancelled)
                break;
            try {
                FigureOptions options = figure;
                options.display = display;
                ui::exportFigure(comparisonOf(job, sessions, methods, display), job.file, options);
            } catch (const std::exception& e) {
                failures << job.key + ": " + QString::fromStdString(e.what());
            }
            ++done;
            QMetaObject::invokeMethod(
                qApp,
                [self, run, done, total] {
                    if (self)
                        Q_EMIT self->selectionProgress(run, done, total);
                },
                Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, run, done, failures] {
                if (!self)
                    return;
                self->cancelFlags_.erase(run);
                const int written = done - static_cast<int>(failures.size());
                Q_EMIT self->status(QString("Exported %1 figures").arg(written), 6000);
                if (!failures.isEmpty())
                    Q_EMIT self->error("Some figures were not exported", failures.join('\n'));
                Q_EMIT self->selectionExported(run, written, failures);
            },
            Qt::QueuedConnection);
    });
    return run;
}

void ExportPresenter::cancelSelection(int run) {
    if (const auto it = cancelFlags_.find(run); it != cancelFlags_.end())
        *it->second = true;
}

}  // namespace saliency::ui
