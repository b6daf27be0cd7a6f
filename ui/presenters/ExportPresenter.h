#pragma once
// Figure export (DESIGN.md section 2, presenters): the current comparison as PNG, SVG or PDF, drawn
// by FigureExport exactly as the grid shows it, and the comparisons of a selection of scans,
// computed and written in a worker with progress and cancel. The choose* functions ask for the
// file and the figure's options (FigureExportDialog); exportFigure and exportSelection do the work.
#include <atomic>
#include <map>
#include <memory>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>

#include "FigureExport.h"

class QWidget;

namespace saliency::ui {

class ComparisonGrid;
class DatasetPresenter;
class ExplanationService;
class GridPresenter;

class ExportPresenter : public QObject {
    Q_OBJECT
  public:
    // dialogParent: where the file dialogs and the progress dialog go (may be null).
    ExportPresenter(const GridPresenter& grid, const DatasetPresenter& dataset, ExplanationService& service,
                    QWidget* dialogParent, QObject* parent = nullptr);

    // The grid as it is on screen (colours, zoom), laid out with options' width, fonts and layout,
    // at once. Throws saliency::Error with a message for a user.
    void exportFigure(const QString& file, FigureOptions options = {}) const;
    // Each scan's comparison (every network, the grid's methods and display) into
    // folder/<scan stem>-comparison.<format>, in a worker: selectionProgress() per scan, then
    // selectionExported(). Returns the run's id, or 0 (and nothing started) without scans or
    // networks. Runs are independent: each has its own progress and cancel.
    int exportSelection(const std::vector<int>& scans, const QString& folder, const QString& format,
                        const FigureOptions& figure = {});
    void cancelSelection(int run);

    // The menu's commands: ask for the file, then export off the GUI thread.
    void chooseExportFigure();
    void chooseExportSelection();

    Q_SIGNAL void figureExported(const QString& file, const QString& error);  // error empty: written
    Q_SIGNAL void selectionProgress(int run, int done, int total);
    Q_SIGNAL void selectionExported(int run, int written, const QStringList& failures);
    Q_SIGNAL void status(const QString& message, int timeoutMs);
    Q_SIGNAL void error(const QString& title, const QString& message);

  private:
    const GridPresenter& grid_;
    const DatasetPresenter& dataset_;
    ExplanationService& service_;
    QWidget* dialogParent_;
    int lastRun_ = 0;
    std::map<int, std::shared_ptr<std::atomic<bool>>> cancelFlags_;  // of the selection runs going on
};

}  // namespace saliency::ui
