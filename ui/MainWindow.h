#pragma once
// Saliency Studio's main window: scan browser (left), model panel (right), comparison grid
// (centre), statistics (bottom). It builds the widgets, menus and docks, creates one presenter per
// concern (presenters/: data set, models, grid, export, project and marking, training) and wires
// them; the state and the logic live in the presenters (DESIGN.md section 2). The public functions
// are thin forwards for main(), the tests and the benchmarks.
#include <memory>
#include <optional>
#include <vector>

#include <QMainWindow>
#include <QPointer>

#include "ComparisonGrid.h"
#include "DisplayOptions.h"
#include "FigureExport.h"
#include "data/Dataset.h"
#include "saliency/Method.h"
#include "study/ProjectRecords.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QScrollArea;
class QSlider;
class QSpinBox;

namespace saliency::ui {

class DatasetPresenter;
class ExplanationService;
class ExportPresenter;
class GridPresenter;
class ModelPanel;
class ModelRegistry;
class ModelsPresenter;
class ProjectPresenter;
class ProjectSession;
class ReadoutPresenter;
class ScanBrowser;
class StatisticsView;
class JobProgress;
class WindowLevelControls;
class SanityCheckWindow;
class ReaderStudyWindow;
class TrainingDialog;
class TrainingPresenter;

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
    ProjectSession* project() const;
    // Training from the app (issue 7) and the project's model registry; created on first use.
    TrainingDialog* showTraining();
    ModelRegistry* showRegistry();
    // The model-randomisation sanity check of the current scan (Analyse menu); created on first use.
    SanityCheckWindow* showSanityCheck();
    ReaderStudyWindow* showReaderStudy();  // Mark > Reader study...; nullptr without a project
    // The checkpoint is loaded into the grid (replacing an older load of the same file) and
    // registered in the open project.
    void useTrainedModel(const QString& checkpoint);
    // Marks the focused cell (or its whole row / column) and moves on; false without a project.
    bool markFocused(std::optional<study::Verdict> verdict, bool wholeRow = false, bool wholeColumn = false);

    const Dataset* dataset() const;
    ScanBrowser* browser() const { return browser_; }
    ComparisonGrid* grid() const { return grid_; }
    ExplanationService* service() const { return service_; }
    int currentScan() const;
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
    // MainWindow.cpp: composition and wiring.
    void buildDocks();
    void createPresenters();
    void wireDataset();
    void wireModels();
    void wireGrid();
    void wireProject();
    void wireMessages();
    void restoreSettings();
    void saveSettings() const;
    void addRecent(const QString& key, const QString& path);
    void refreshRecentMenus();
    void showError(const QString& title, const QString& message);
    void chooseImport();
    // MainWindow.cpp, the grid's view (issue 12): the readout under the mouse, the window on screen.
    void wireReadout();
    void placeOnScreen(bool restored);

    // MainWindowActions.cpp: menus, the display tool bar, help.
    void buildActions();
    void buildFileMenu();
    void buildMarkMenu();
    void buildMethodsMenu();
    void buildViewMenu();
    void buildAnalyseMenu();
    void buildToolBar();
    void buildGridViewMenu(QMenu* view);    // scan column once / in every row, focus mode
    DisplayOptions displayOptions() const;  // as the tool bar and the View menu say
    void showShortcuts();
    void showAbout();

    // Widgets (owned by Qt parents).
    ScanBrowser* browser_ = nullptr;
    ModelPanel* models_ = nullptr;
    ComparisonGrid* grid_ = nullptr;
    QScrollArea* gridScroll_ = nullptr;
    StatisticsView* statistics_ = nullptr;
    JobProgress* jobProgress_ = nullptr;  // the whole-data-set statistics, in the status bar
    ExplanationService* service_ = nullptr;
    QComboBox* colourMap_ = nullptr;
    QComboBox* targetClass_ = nullptr;
    QSlider* opacity_ = nullptr;
    QSpinBox* contourLevel_ = nullptr;
    WindowLevelControls* windowControls_ = nullptr;
    QLabel* readoutLabel_ = nullptr;  // the scan's and every map's value under the cursor
    QMenu* recentData_ = nullptr;
    QMenu* recentModels_ = nullptr;
    QMenu* recentProjects_ = nullptr;
    std::vector<std::pair<explain::Method, QAction*>> methodActions_;
    QAction* contourAction_ = nullptr;
    QAction* centreAction_ = nullptr;
    QAction* maskAction_ = nullptr;
    QAction* sharedScaleAction_ = nullptr;
    QAction* undoAction_ = nullptr;
    QAction* lesionModeAction_ = nullptr;           // Mark > Mark the lesion (L)
    QAction* measureFaithfulnessAction_ = nullptr;  // what Compute statistics measures beyond maps
    QAction* measureRobustnessAction_ = nullptr;
    QAction* redoAction_ = nullptr;
    QAction* saveAsAction_ = nullptr;
    bool docksFitted_ = false;
    SanityCheckWindow* sanity_ = nullptr;
    QPointer<ReaderStudyWindow> reader_;

    // Presenters: destroyed in reverse order, before the widgets they drive.
    std::unique_ptr<DatasetPresenter> datasetPresenter_;
    std::unique_ptr<ModelsPresenter> modelsPresenter_;
    std::unique_ptr<GridPresenter> gridPresenter_;
    std::unique_ptr<ProjectPresenter> projectPresenter_;
    std::unique_ptr<ExportPresenter> exportPresenter_;
    std::unique_ptr<TrainingPresenter> trainingPresenter_;
    std::unique_ptr<ReadoutPresenter> readoutPresenter_;
};

}  // namespace saliency::ui
