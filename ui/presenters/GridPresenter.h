#pragma once
// The comparison grid's content (DESIGN.md section 2, presenters): a row per network and a column
// per method for the current scan, explanation requests to the ExplanationService, rows rendered
// in workers as their maps arrive, which rows are still missing (filled() once none is), the
// display options, the target class, the scan column's window/level and the large view. The
// ComparisonGrid widget only paints what it is given and reports gestures.
#include <vector>

#include <map>
#include <optional>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <opencv2/core/mat.hpp>

#include "DisplayOptions.h"
#include "io/Scan.h"
#include "io/WindowPresets.h"
#include "saliency/Method.h"
#include "saliency/ModelSession.h"

namespace saliency::ui {

class ComparisonGrid;
class DatasetPresenter;
class ExplanationService;
struct CellContent;
struct GridRow;

class GridPresenter : public QObject {
    Q_OBJECT
  public:
    GridPresenter(ComparisonGrid& grid, ExplanationService& service, const DatasetPresenter& dataset,
                  QObject* parent = nullptr);

    ComparisonGrid& grid() const { return grid_; }
    const std::vector<explain::Method>& methods() const { return methods_; }
    void setMethods(const std::vector<explain::Method>& methods);
    const DisplayOptions& display() const { return display_; }
    void setDisplay(const DisplayOptions& display);  // re-renders every cell when it changed
    // -1: each network's predicted class; otherwise the class index every map explains.
    void setTargetClass(int targetClass);
    const QStringList& classes() const { return classes_; }
    explain::ExplainRequest explainRequest() const;

    // Window/level (issue 12): a preset is worked out for every scan; a window set by hand (typed,
    // or a right-drag on the scan column) is kept while browsing. It applies to the scan column and
    // to the scan under every overlay.
    const Window& window() const { return window_; }
    std::optional<WindowPreset> windowPreset() const { return preset_; }
    void setWindowPreset(WindowPreset preset);
    void setWindow(const Window& window);     // by hand
    void adjustWindow(double dx, double dy);  // a right-drag on the scan column
    void resetWindow();                       // back to the preset (the file's window after a manual one)
    void openLargeView(int row, int column);  // a cell in a window of its own

    // A new scan (or none) is current; a scan selection started (the fill clock starts).
    void showCurrentScan();
    void startFillClock() { fillClock_.start(); }
    // The networks changed: rows again, and their maps.
    void modelAdded(int id);
    void refresh();

    // The methods that failed the model-randomisation sanity check for a network (empty: none, or
    // not checked): their column headers get a badge naming the network.
    void setSanityFailures(int modelId, std::vector<explain::Method> failing);

    // The cell of a network's map (row, column), or (-1, -1) when it is not in the grid.
    std::pair<int, int> cellOf(int modelId, explain::Method method) const;

    Q_SIGNAL void filled(int index, double seconds);
    // The grid's content was replaced or a row arrived: marks are drawn on it again.
    Q_SIGNAL void contentChanged();
    Q_SIGNAL void classesChanged(const QStringList& classes);  // the first network names them
    Q_SIGNAL void windowChanged(const saliency::Window& window, std::optional<saliency::WindowPreset> preset);
    Q_SIGNAL void status(const QString& message, int timeoutMs);

  private:
    void rebuild();
    void requestExplanations();
    GridRow rowFor(int modelId, const CellContent& original) const;
    CellContent originalCell();  // the windowed scan column
    void onExplained(const QString& scanKey, int modelId, double seconds);
    void onFailed(const QString& scanKey, int modelId, const QString& message);
    void renderRow(int modelId);
    void showRenderedRow(int modelId, std::vector<CellContent> cells,
                         std::shared_ptr<const explain::ImageExplanation> result);
    void renderOriginals();
    void applyWindow();  // the scan column at once, the overlays shortly after (a drag sends many)
    void checkFilled();
    int rowOf(int modelId) const;
    QString sanityBadge(explain::Method method) const;
    // With the shared colour scale: per method, the largest magnitude over the networks' maps of the
    // current scan computed so far; empty otherwise.
    std::map<explain::Method, double> sharedPeaks() const;
    QString currentKey() const;

    ComparisonGrid& grid_;
    ExplanationService& service_;
    const DatasetPresenter& dataset_;
    std::vector<explain::Method> methods_ = explain::allMethods();
    DisplayOptions display_;
    int targetClass_ = -1;
    QStringList classes_;
    Window window_;
    std::optional<WindowPreset> preset_ = WindowPreset::File;
    cv::Mat windowed_;  // the current scan through window_, at the display raster's size (RGB)
    QTimer overlaysRerender_;
    int renderGeneration_ = 0;      // rows rendered for an older grid are dropped
    std::vector<int> rowsPending_;  // model ids whose row has not arrived for the current scan
    QElapsedTimer fillClock_;
    std::map<int, std::vector<explain::Method>> sanityFailures_;  // by model id
};

}  // namespace saliency::ui
