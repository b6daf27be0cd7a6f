#include "MainWindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>

#include "ExplanationService.h"
#include "JobProgress.h"
#include "ModelPanel.h"
#include "ReaderStudyWindow.h"
#include "SanityCheckWindow.h"
#include "ScanBrowser.h"
#include "StatisticsView.h"
#include "WindowLevelControls.h"
#include "WindowPlacement.h"
#include "presenters/DatasetPresenter.h"
#include "presenters/ExportPresenter.h"
#include "presenters/GridPresenter.h"
#include "presenters/ModelsPresenter.h"
#include "presenters/ProjectPresenter.h"
#include "presenters/ReadoutPresenter.h"
#include "presenters/TrainingPresenter.h"

namespace saliency::ui {

namespace {
constexpr int kMaxRecent = 8;
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("Saliency Studio");
    service_ = new ExplanationService(this);
    grid_ = new ComparisonGrid;
    gridScroll_ = new QScrollArea;
    gridScroll_->setWidget(grid_);
    gridScroll_->setWidgetResizable(true);
    gridScroll_->setFrameShape(QFrame::NoFrame);
    setCentralWidget(gridScroll_);
    buildDocks();
    createPresenters();
    buildActions();
    buildToolBar();
    wireDataset();
    wireModels();
    wireGrid();
    wireReadout();
    wireProject();
    wireMessages();
    gridPresenter_->refresh();
    statusBar()->showMessage("Open a data set (Ctrl+O) and a model (Ctrl+M)");
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    browser_ = new ScanBrowser;
    auto* left = new QDockWidget("Scans", this);
    left->setObjectName("scans");
    left->setWidget(browser_);
    addDockWidget(Qt::LeftDockWidgetArea, left);
    models_ = new ModelPanel;
    auto* right = new QDockWidget("Models", this);
    right->setObjectName("models");
    right->setWidget(models_);
    addDockWidget(Qt::RightDockWidgetArea, right);
    statistics_ = new StatisticsView;
    auto* bottom = new QDockWidget("Statistics", this);
    bottom->setObjectName("statistics");
    bottom->setWidget(statistics_);
    addDockWidget(Qt::BottomDockWidgetArea, bottom);
    bottom->hide();  // View > Statistics (F9); it needs a project
    jobProgress_ = new JobProgress;
    statusBar()->addPermanentWidget(jobProgress_);
    jobProgress_->hide();
}

void MainWindow::createPresenters() {
    datasetPresenter_ = std::make_unique<DatasetPresenter>(*browser_, *service_);
    modelsPresenter_ = std::make_unique<ModelsPresenter>(*service_, *models_, this);
    gridPresenter_ = std::make_unique<GridPresenter>(*grid_, *service_, *datasetPresenter_);
    projectPresenter_ = std::make_unique<ProjectPresenter>(*datasetPresenter_, *modelsPresenter_,
                                                           *gridPresenter_, *service_, this);
    exportPresenter_ =
        std::make_unique<ExportPresenter>(*gridPresenter_, *datasetPresenter_, *service_, this);
    trainingPresenter_ =
        std::make_unique<TrainingPresenter>(*datasetPresenter_, *modelsPresenter_, *projectPresenter_, this);
}

// ---- wiring: the order of the connections is the order things happen --------------------------

void MainWindow::wireDataset() {
    DatasetPresenter* dataset = datasetPresenter_.get();
    connect(dataset, &DatasetPresenter::selectionStarted, gridPresenter_.get(),
            &GridPresenter::startFillClock);
    connect(dataset, &DatasetPresenter::currentChanged, gridPresenter_.get(),
            &GridPresenter::showCurrentScan);
    connect(dataset, &DatasetPresenter::scanShown, this, &MainWindow::scanShown);
    connect(dataset, &DatasetPresenter::loaded, this, [this](bool ok) {
        if (!ok)
            return;
        const Dataset* opened = datasetPresenter_->dataset();
        addRecent("recent/datasets", QString::fromStdString(opened->root.string()));
        setWindowTitle("Saliency Studio - " + QString::fromStdString(opened->root.filename().string()));
        projectPresenter_->bindDataSet();
        trainingPresenter_->refresh();
    });
    connect(dataset, &DatasetPresenter::loaded, this, &MainWindow::datasetLoaded);
    connect(statistics_, &StatisticsView::filterRequested, dataset, &DatasetPresenter::narrowTo);
}

void MainWindow::wireModels() {
    ModelsPresenter* models = modelsPresenter_.get();
    connect(models_, &ModelPanel::importRequested, this, &MainWindow::chooseImport);
    connect(models, &ModelsPresenter::fileOpened, this,
            [this](const QString& file) { addRecent("recent/models", file); });
    connect(models, &ModelsPresenter::added, projectPresenter_.get(), &ProjectPresenter::registerModels);
    connect(models, &ModelsPresenter::added, gridPresenter_.get(), &GridPresenter::modelAdded);
    connect(models, &ModelsPresenter::added, datasetPresenter_.get(), &DatasetPresenter::reclassify);
    connect(models, &ModelsPresenter::loaded, this, &MainWindow::modelLoaded);
    connect(models, &ModelsPresenter::removed, projectPresenter_.get(), &ProjectPresenter::forgetModel);
    connect(models, &ModelsPresenter::removed, gridPresenter_.get(), &GridPresenter::refresh);
    connect(models, &ModelsPresenter::removed, datasetPresenter_.get(),
            &DatasetPresenter::showKnownPredictions);
    connect(models, &ModelsPresenter::renamed, gridPresenter_.get(), &GridPresenter::refresh);
}

void MainWindow::wireGrid() {
    GridPresenter* grid = gridPresenter_.get();
    connect(grid, &GridPresenter::filled, this, &MainWindow::gridFilled);
    connect(grid, &GridPresenter::filled, projectPresenter_.get(), &ProjectPresenter::recordShownMaps);
    connect(grid, &GridPresenter::contentChanged, projectPresenter_.get(), &ProjectPresenter::applyMarks);
    connect(grid_, &ComparisonGrid::lesionMarked, projectPresenter_.get(), &ProjectPresenter::markLesion);
    connect(grid, &GridPresenter::windowChanged, windowControls_, &WindowLevelControls::showWindow);
    connect(windowControls_, &WindowLevelControls::presetChosen, grid, &GridPresenter::setWindowPreset);
    connect(windowControls_, &WindowLevelControls::windowTyped, grid, &GridPresenter::setWindow);
    connect(grid, &GridPresenter::classesChanged, this, [this](const QStringList& classes) {
        const QSignalBlocker blocker(targetClass_);
        targetClass_->addItems(classes);
    });
}

void MainWindow::wireProject() {
    ProjectPresenter* project = projectPresenter_.get();
    connect(project, &ProjectPresenter::canUndoChanged, undoAction_, &QAction::setEnabled);
    connect(project, &ProjectPresenter::canRedoChanged, redoAction_, &QAction::setEnabled);
    connect(project, &ProjectPresenter::opened, this, [this](const QString& file) {
        if (statistics_->isVisible())
            statistics_->setProject(file.toStdString());
        addRecent("recent/projects", file);
        saveAsAction_->setEnabled(true);
        trainingPresenter_->projectChanged();
        setWindowTitle("Saliency Studio - " + QFileInfo(file).fileName());
    });
    connect(project, &ProjectPresenter::statisticsStale, this, [this] {
        if (statistics_->isVisible())
            statistics_->refresh();
    });
    connect(project, &ProjectPresenter::statisticsProgress, this,
            [this](const QString& task, qint64 done, qint64 total, double eta) {
                jobProgress_->show();
                jobProgress_->showProgress(task, done, total, eta);
            });
    connect(project, &ProjectPresenter::statisticsComputed, jobProgress_, &QWidget::hide);
    connect(jobProgress_, &JobProgress::cancelRequested, project, &ProjectPresenter::cancelStatistics);
    connect(statistics_, &StatisticsView::computeRequested, project, &ProjectPresenter::computeStatistics);
    statistics_->setComputeOptions({measureFaithfulnessAction_, measureRobustnessAction_});
    connect(trainingPresenter_.get(), &TrainingPresenter::raiseRequested, this, &QWidget::raise);
}

void MainWindow::wireMessages() {
    const auto showStatus = [this](const QString& message, int timeoutMs) {
        statusBar()->showMessage(message, timeoutMs);
    };
    connect(datasetPresenter_.get(), &DatasetPresenter::status, this, showStatus);
    connect(modelsPresenter_.get(), &ModelsPresenter::status, this, showStatus);
    connect(gridPresenter_.get(), &GridPresenter::status, this, showStatus);
    connect(projectPresenter_.get(), &ProjectPresenter::status, this, showStatus);
    connect(exportPresenter_.get(), &ExportPresenter::status, this, showStatus);
    connect(trainingPresenter_.get(), &TrainingPresenter::status, this, showStatus);
    connect(datasetPresenter_.get(), &DatasetPresenter::error, this, &MainWindow::showError);
    connect(modelsPresenter_.get(), &ModelsPresenter::error, this, &MainWindow::showError);
    connect(projectPresenter_.get(), &ProjectPresenter::error, this, &MainWindow::showError);
    connect(exportPresenter_.get(), &ExportPresenter::error, this, &MainWindow::showError);
}

void MainWindow::chooseImport() {
    QStringList classes;  // the open data set's, in order
    if (const Dataset* dataset = datasetPresenter_->dataset())
        for (const auto& c : dataset->classes)
            classes << QString::fromStdString(c);
    modelsPresenter_->chooseImport(classes);
}

// ---- the public interface: forwards to the presenters ------------------------------------------

void MainWindow::openDataset(const QString& folder, const QString& splitFile) {
    datasetPresenter_->open(folder, splitFile);
}

void MainWindow::openModel(const QString& file) {
    modelsPresenter_->open(file);
}

void MainWindow::importModel(const QString& architecture, const QString& weights, const QStringList& classes,
                             int inputSize) {
    modelsPresenter_->importWeights(architecture, weights, classes, inputSize);
}

bool MainWindow::selectScan(const QString& relativePath) {
    return datasetPresenter_->selectScan(relativePath);
}

void MainWindow::setMethods(const std::vector<explain::Method>& methods) {
    for (const auto& [m, a] : methodActions_) {
        const QSignalBlocker blocker(a);
        a->setChecked(std::find(methods.begin(), methods.end(), m) != methods.end());
    }
    gridPresenter_->setMethods(methods);
}

void MainWindow::exportFigure(const QString& file, FigureOptions options) {
    exportPresenter_->exportFigure(file, std::move(options));
}

bool MainWindow::openProject(const QString& file, bool create) {
    return projectPresenter_->open(file, create);
}

ProjectSession* MainWindow::project() const {
    return projectPresenter_->session();
}

TrainingDialog* MainWindow::showTraining() {
    return trainingPresenter_->showTraining();
}

ModelRegistry* MainWindow::showRegistry() {
    return trainingPresenter_->showRegistry();
}

ReaderStudyWindow* MainWindow::showReaderStudy() {
    ProjectSession* project = projectPresenter_->session();
    if (!project) {
        QMessageBox::information(this, "Reader study",
                                 "A reader study lives in a project: open or create one first (File menu), "
                                 "with the maps to judge (Mark > Compute statistics, or saliency-cli study).");
        return nullptr;
    }
    if (!reader_) {
        QStringList methods;
        for (const auto method : gridPresenter_->methods())
            methods << QString::fromStdString(explain::methodName(method));
        reader_ = new ReaderStudyWindow(*project, *service_, gridPresenter_->display(), methods, this);
        // The window works on this project: it goes when the project does (another one opened).
        connect(project, &QObject::destroyed, this, [this] { delete reader_.data(); });
    }
    reader_->refreshSessions();
    reader_->show();
    reader_->raise();
    return reader_;
}

SanityCheckWindow* MainWindow::showSanityCheck() {
    if (!sanity_) {
        sanity_ = new SanityCheckWindow(*service_, this);
        connect(sanity_, &SanityCheckWindow::checked, gridPresenter_.get(),
                &GridPresenter::setSanityFailures);
        const auto showScan = [this] {
            const auto current = datasetPresenter_->current();
            sanity_->setScan(
                current ? QString::fromStdString(current->scan.source.filename().string()) : QString(),
                current ? current->scan.rgb : cv::Mat());
        };
        connect(datasetPresenter_.get(), &DatasetPresenter::currentChanged, sanity_, showScan);
        connect(modelsPresenter_.get(), &ModelsPresenter::added, sanity_,
                &SanityCheckWindow::refreshNetworks);
        connect(modelsPresenter_.get(), &ModelsPresenter::removed, sanity_, [this](int id) {
            sanity_->refreshNetworks();
            gridPresenter_->setSanityFailures(id, {});
        });
        showScan();
    }
    sanity_->refreshNetworks();
    sanity_->show();
    sanity_->raise();
    return sanity_;
}

void MainWindow::useTrainedModel(const QString& checkpoint) {
    trainingPresenter_->useTrainedModel(checkpoint);
}

bool MainWindow::markFocused(std::optional<study::Verdict> verdict, bool wholeRow, bool wholeColumn) {
    return projectPresenter_->markFocused(verdict, wholeRow, wholeColumn);
}

const Dataset* MainWindow::dataset() const {
    return datasetPresenter_->dataset();
}

int MainWindow::currentScan() const {
    return datasetPresenter_->currentIndex();
}

int MainWindow::modelCount() const {
    return modelsPresenter_->count();
}

// ---- the grid's view: readout under the mouse, the window on screen (issue 12) -----------------

void MainWindow::wireReadout() {
    readoutPresenter_ = std::make_unique<ReadoutPresenter>(*datasetPresenter_, *service_, *gridPresenter_);
    readoutLabel_ = new QLabel;
    readoutLabel_->setObjectName("readout");
    readoutLabel_->setToolTip(
        "Under the mouse: the scan's pixel and intensity, and each network's map values");
    // Its text never widens the window; it is shown only while the mouse is over a map, so the
    // status messages keep the bar's width otherwise.
    readoutLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    readoutLabel_->hide();
    statusBar()->addPermanentWidget(readoutLabel_, 1);
    connect(grid_, &ComparisonGrid::cursorMoved, readoutPresenter_.get(), &ReadoutPresenter::cursorMoved);
    connect(grid_, &ComparisonGrid::cursorLeft, readoutPresenter_.get(), &ReadoutPresenter::cursorLeft);
    connect(readoutPresenter_.get(), &ReadoutPresenter::readoutChanged, readoutLabel_,
            [this](const QString& text) {
                readoutLabel_->setText(text);
                readoutLabel_->setVisible(!text.isEmpty());
            });
}

void MainWindow::placeOnScreen(bool restored) {
    const QScreen* screen = this->screen();
    if (!screen || (restored && (isMaximized() || isFullScreen())))
        return;  // a maximised window is the screen's size already
    const QRect available = screen->availableGeometry();
    setGeometry(restored ? fittedWindowGeometry(geometry(), available) : initialWindowGeometry(available));
}

// ---- window, settings, messages ----------------------------------------------------------------

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (docksFitted_)
        return;
    docksFitted_ = true;
    if (QSettings().contains("window/state"))
        return;  // the user's own layout
    // First start: the Models panel under the Scans panel, so the grid has the rest of the width
    // (a row of five cells needs it more than a second side panel does); the left column in
    // proportion to the window.
    auto* scans = findChild<QDockWidget*>("scans");
    auto* models = findChild<QDockWidget*>("models");
    splitDockWidget(scans, models, Qt::Vertical);
    resizeDocks({scans}, {std::clamp(width() / 5, 190, 300)}, Qt::Horizontal);
    resizeDocks({scans, models}, {height() * 3 / 5, height() * 2 / 5}, Qt::Vertical);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (trainingPresenter_->isRunning()) {
        const auto answer = QMessageBox::question(
            this, "A network is training",
            "Stop the training run and quit? Once an epoch has finished, the best checkpoint so far and "
            "its resume state are kept: Train a network > Continue a run... and Resume go on from there.");
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    saveSettings();
    event->accept();
}

void MainWindow::restoreSettings() {
    QSettings settings;
    placeOnScreen(restoreGeometry(settings.value("window/geometry").toByteArray()));
    restoreState(settings.value("window/state").toByteArray());
    const int map = settings.value("display/colourMap", 0).toInt();
    colourMap_->setCurrentIndex(std::clamp(map, 0, colourMap_->count() - 1));
    opacity_->setValue(settings.value("display/opacity", 50).toInt());
    // The display toggles and the window/level preset are a reader's habits: kept between sessions.
    contourLevel_->setValue(settings.value("display/contourLevel", contourLevel_->value()).toInt());
    centreAction_->setChecked(settings.value("display/centre", centreAction_->isChecked()).toBool());
    contourAction_->setChecked(settings.value("display/contour", contourAction_->isChecked()).toBool());
    maskAction_->setChecked(settings.value("display/mask", maskAction_->isChecked()).toBool());
    const int preset = settings.value("display/windowPreset", static_cast<int>(WindowPreset::File)).toInt();
    if (preset >= 0 && preset <= static_cast<int>(WindowPreset::Brain))
        gridPresenter_->setWindowPreset(static_cast<WindowPreset>(preset));
    refreshRecentMenus();
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("display/colourMap", colourMap_->currentIndex());
    settings.setValue("display/opacity", opacity_->value());
    settings.setValue("display/contourLevel", contourLevel_->value());
    settings.setValue("display/centre", centreAction_->isChecked());
    settings.setValue("display/contour", contourAction_->isChecked());
    settings.setValue("display/mask", maskAction_->isChecked());
    const auto preset = gridPresenter_->windowPreset();
    settings.setValue("display/windowPreset", preset ? static_cast<int>(*preset) : -1);
}

void MainWindow::addRecent(const QString& key, const QString& path) {
    // Absolute: the next start may be from another folder.
    const QString value = QFileInfo(path).absoluteFilePath();
    QSettings settings;
    QStringList list = settings.value(key).toStringList();
    list.removeAll(value);
    list.prepend(value);
    while (list.size() > kMaxRecent)
        list.removeLast();
    settings.setValue(key, list);
    refreshRecentMenus();
}

void MainWindow::refreshRecentMenus() {
    const QSettings settings;
    recentData_->clear();
    for (const auto& folder : settings.value("recent/datasets").toStringList())
        recentData_->addAction(folder, this, [this, folder] { openDataset(folder); });
    recentData_->setEnabled(!recentData_->isEmpty());
    recentModels_->clear();
    for (const auto& model : settings.value("recent/models").toStringList())
        recentModels_->addAction(model, this, [this, model] { openModel(model); });
    recentModels_->setEnabled(!recentModels_->isEmpty());
    recentProjects_->clear();
    for (const auto& project : settings.value("recent/projects").toStringList())
        recentProjects_->addAction(project, this, [this, project] { openProject(project, false); });
    recentProjects_->setEnabled(!recentProjects_->isEmpty());
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Non-blocking: a modal exec() would stall the event loop that workers report through.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("errorDialog");
    box->open();
}

}  // namespace saliency::ui
