#pragma once
// Saliency Studio's main window: scan browser (left), model panel (right), comparison grid
// (centre). Wiring and enable-state live here; the work runs in core through ExplanationService
// and jobs off the GUI thread (DESIGN.md section 2).
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QTimer>

#include <opencv2/core/mat.hpp>

#include "ComparisonGrid.h"
#include "DisplayOptions.h"
#include "FigureExport.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "io/Scan.h"
#include "saliency/Method.h"
#include "saliency/ModelSession.h"
#include "study/ProjectRecords.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QScrollArea;

namespace saliency::ui {

class ExplanationService;
class ProjectSession;
class ModelPanel;
class ModelRegistry;
class ScanBrowser;
class StatisticsView;
class TrainingDialog;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openDataset(const QString& folder, const QString& splitFile = {});
    void openModel(const QString& file);  // asynchronous: modelLoaded() tells how it went
    void importModel(const QString& architecture, const QString& weights, const QStringList& classes,
                     int inputSize);
    bool selectScan(const QString& relativePath);
    void setMethods(const std::vector<explain::Method>& methods);
    // The grid as shown (colours, zoom) with options' size, fonts and layout. Throws saliency::Error.
    void exportFigure(const QString& file, FigureOptions options = {});
    // Opens (or with create, makes) a project file; marks go there. Shows an error and returns
    // false when it cannot. A project bound to a data set opens that data set.
    bool openProject(const QString& file, bool create);
    ProjectSession* project() const { return project_.get(); }
    // Training from the app (issue 7) and the project's model registry; created on first use.
    TrainingDialog* showTraining();
    ModelRegistry* showRegistry();
    // The checkpoint is loaded into the grid (replacing an older load of the same file) and
    // registered in the open project.
    void useTrainedModel(const QString& checkpoint);
    // Marks the focused cell (or its whole row / column) and moves on; false without a project.
    bool markFocused(std::optional<study::Verdict> verdict, bool wholeRow = false, bool wholeColumn = false);

    const Dataset* dataset() const { return dataset_.get(); }
    ScanBrowser* browser() const { return browser_; }
    ComparisonGrid* grid() const { return grid_; }
    ExplanationService* service() const { return service_; }
    int currentScan() const { return currentIndex_; }
    int modelCount() const;

    Q_SIGNAL void datasetLoaded(bool ok);
    Q_SIGNAL void modelLoaded(bool ok, const QString& message);
    Q_SIGNAL void scanShown(int index);
    // Every network's maps for the current scan are on screen (or failed, with their message).
    Q_SIGNAL void gridFilled(int index, double seconds);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    void chooseNewProject();
    void chooseOpenProject();
    void registerModelsInProject();
    void openProjectModels();
    void bindProjectDataSet();
    void applyMarks();
    void advanceFocus();
    void chooseSaveProjectAs();
    void renameInGrid(int serviceId, const QString& name);
    void refreshTraining();
    std::vector<int> modelsLoadedFrom(const QString& checkpoint) const;  // service ids of that file

    struct CurrentScan {
        int index = -1;
        Scan scan;
        cv::Mat mask;  // CV_8UC1 or empty
        cv::Mat base;  // display raster of the network input (RGB)
    };

    void buildActions();
    void buildToolBar();
    void buildDocks();
    void restoreSettings();
    void saveSettings() const;
    void addRecent(const QString& key, const QString& value);
    void refreshRecentMenus();

    void chooseDataset();
    void chooseSplit();
    void chooseModel();
    void chooseImport();
    void chooseExportFigure();
    void chooseExportSelection();
    void showShortcuts();
    void showAbout();
    void showError(const QString& title, const QString& message);

    void addSession(std::shared_ptr<explain::ModelSession> session, const std::string& fingerprint);
    void removeModel(int id);
    void showDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split);
    void onScanSelected(int index);
    void showDecodedScan(int request, std::shared_ptr<CurrentScan> scan, const QString& error);
    void requestExplanations();
    void rebuildGrid();
    GridRow rowFor(int modelId, const CellContent& original) const;
    CellContent originalCell() const;  // the windowed scan column (and its W/L label)
    void onExplained(const QString& scanKey, int modelId, double seconds);
    void onFailed(const QString& scanKey, int modelId, const QString& message);
    void renderRow(int modelId);
    void renderOriginals();
    void checkFilled();
    void onPredicted(const QString& scanKey, int modelId);
    void updateDisplayOptions();
    void adjustWindow(double dx, double dy);
    void openLargeView(int row, int column);
    void classifyDataset();
    QString scanKey(int index) const;
    QString trueClass(int index) const;
    int rowOf(int modelId) const;
    explain::ExplainRequest explainRequest() const;

    ScanBrowser* browser_ = nullptr;
    ModelPanel* models_ = nullptr;
    ComparisonGrid* grid_ = nullptr;
    QScrollArea* gridScroll_ = nullptr;
    ExplanationService* service_ = nullptr;
    QComboBox* colourMap_ = nullptr;
    QComboBox* targetClass_ = nullptr;
    QLabel* windowLabel_ = nullptr;
    QMenu* recentData_ = nullptr;
    QMenu* recentModels_ = nullptr;
    QMenu* methodsMenu_ = nullptr;
    std::vector<std::pair<explain::Method, QAction*>> methodActions_;
    QAction* contourAction_ = nullptr;
    QAction* centreAction_ = nullptr;
    QAction* maskAction_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* exportSelectionAction_ = nullptr;

    std::shared_ptr<const Dataset> dataset_;
    std::optional<Split> split_;
    QString splitFile_;
    int currentIndex_ = -1;
    std::shared_ptr<CurrentScan> current_;
    Window window_;
    int decodeRequest_ = 0;
    int renderGeneration_ = 0;
    std::vector<explain::Method> methods_ = explain::allMethods();
    DisplayOptions display_;
    std::vector<int> rowsPending_;  // model ids whose row has not arrived for the current scan
    QElapsedTimer fillClock_;
    QFutureWatcher<std::shared_ptr<const Dataset>> datasetWatcher_;
    int loadingModels_ = 0;
    bool docksFitted_ = false;
    std::unique_ptr<ProjectSession> project_;
    std::map<int, std::string> fingerprints_;  // service model id -> checkpoint fingerprint
    QMenu* recentProjects_ = nullptr;
    StatisticsView* statistics_ = nullptr;
    QTimer statisticsRefresh_;
    QAction* undoAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    QAction* saveAsAction_ = nullptr;
    TrainingDialog* training_ = nullptr;
    ModelRegistry* registry_ = nullptr;
};

}  // namespace saliency::ui
