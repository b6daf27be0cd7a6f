#include "MainWindow.h"

#include <cmath>
#include <set>

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "CellRendering.h"
#include "ExplanationService.h"
#include "FigureExport.h"
#include "FigureExportDialog.h"
#include "ModelPanel.h"
#include "ModelRegistry.h"
#include "ProjectSession.h"
#include "ScanBrowser.h"
#include "StatisticsView.h"
#include "TrainingDialog.h"
#include "io/ScanReader.h"
#include "study/FileFingerprint.h"

namespace saliency::ui {

namespace {

constexpr int kMaxRecent = 8;
const QColor kRight(40, 160, 70);
const QColor kWrong(210, 50, 50);

QString percent(float p) {
    return QString::number(static_cast<double>(p), 'f', 2);
}

// The windowed scan as the original column shows it, at the display raster's size.
cv::Mat windowedBase(const Scan& scan, const Window& window, const cv::Size& size) {
    cv::Mat gray = applyWindow(scan.intensity, window);
    cv::Mat rgb;
    cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
    if (rgb.size() != size)
        cv::resize(rgb, rgb, size, 0, 0, cv::INTER_AREA);
    return rgb;
}

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
    buildActions();
    buildToolBar();
    rebuildGrid();
    statusBar()->showMessage("Open a data set (Ctrl+O) and a model (Ctrl+M)");

    connect(service_, &ExplanationService::explained, this, &MainWindow::onExplained);
    connect(service_, &ExplanationService::failed, this, &MainWindow::onFailed);
    connect(service_, &ExplanationService::predicted, this, &MainWindow::onPredicted);
    connect(service_, &ExplanationService::classificationProgress, this, [this](int done, int total) {
        if (total > 0 && done < total)
            statusBar()->showMessage(QString("Classifying the data set: %1 of %2").arg(done).arg(total));
        else if (total > 0)
            statusBar()->showMessage(QString("Classified %1 scans").arg(total), 4000);
    });
    connect(&datasetWatcher_, &QFutureWatcher<std::shared_ptr<const Dataset>>::finished, this, [this] {
        std::optional<Split> split;
        if (!splitFile_.isEmpty()) {
            try {
                split = loadSplit(splitFile_.toStdString());
            } catch (const std::exception& e) {
                showError("Cannot open split", QString::fromStdString(e.what()));
            }
        }
        showDataset(datasetWatcher_.result(), std::move(split));
    });
    connect(browser_, &ScanBrowser::scanSelected, this, &MainWindow::onScanSelected);
    connect(grid_, &ComparisonGrid::windowDragged, this, &MainWindow::adjustWindow);
    connect(grid_, &ComparisonGrid::cellDoubleClicked, this, &MainWindow::openLargeView);
    connect(models_, &ModelPanel::openRequested, this, &MainWindow::chooseModel);
    connect(models_, &ModelPanel::importRequested, this, &MainWindow::chooseImport);
    connect(models_, &ModelPanel::removeRequested, this, &MainWindow::removeModel);
    restoreSettings();
}

MainWindow::~MainWindow() {
    datasetWatcher_.waitForFinished();
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (docksFitted_)
        return;
    docksFitted_ = true;
    if (QSettings().contains("window/state"))
        return;  // the user's own layout
    // First start: side panels in proportion to the window, so a small screen keeps the grid.
    const int w = width();
    resizeDocks({findChild<QDockWidget*>("scans"), findChild<QDockWidget*>("models")},
                {std::clamp(w / 5, 190, 300), std::clamp(w / 6, 170, 260)}, Qt::Horizontal);
}

int MainWindow::modelCount() const {
    return static_cast<int>(service_->models().size());
}

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
    statisticsRefresh_.setSingleShot(true);
    statisticsRefresh_.setInterval(400);  // a burst of marks refreshes the charts once
    connect(&statisticsRefresh_, &QTimer::timeout, this, [this] {
        if (statistics_->isVisible())
            statistics_->refresh();
    });
    connect(statistics_, &StatisticsView::filterRequested, this,
            [this](const QString& model, const QString& method, const QString& otherModel,
                   const QString& otherMethod, const QStringList& scans) {
                QStringList what{model, method};
                if (!otherModel.isEmpty() && otherModel != model)
                    what << "vs " + otherModel;
                if (!otherMethod.isEmpty() && otherMethod != method)
                    what << "vs " + otherMethod;
                what.removeAll(QString());
                browser_->setSubset(std::set<QString>(scans.begin(), scans.end()), what.join(' '));
            });
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open data set...", QKeySequence::Open, this, &MainWindow::chooseDataset);
    recentData_ = file->addMenu("Recent data sets");
    file->addAction("Open &split...", this, &MainWindow::chooseSplit);
    file->addSeparator();
    file->addAction("&New project...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this,
                    &MainWindow::chooseNewProject);
    file->addAction("Open p&roject...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    &MainWindow::chooseOpenProject);
    recentProjects_ = file->addMenu("Recent projects");
    saveAsAction_ =
        file->addAction("Save project &as...", QKeySequence::SaveAs, this, &MainWindow::chooseSaveProjectAs);
    saveAsAction_->setEnabled(false);
    file->addSeparator();
    file->addAction("Open &model...", QKeySequence(Qt::CTRL | Qt::Key_M), this, &MainWindow::chooseModel);
    file->addAction("&Import torchvision weights...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                    &MainWindow::chooseImport);
    recentModels_ = file->addMenu("Recent models");
    file->addSeparator();
    exportAction_ = file->addAction("&Export figure...", QKeySequence(Qt::CTRL | Qt::Key_E), this,
                                    &MainWindow::chooseExportFigure);
    exportSelectionAction_ =
        file->addAction("Export &selected scans...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                        &MainWindow::chooseExportSelection);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    QMenu* mark = menuBar()->addMenu("&Mark");
    undoAction_ = mark->addAction("&Undo", QKeySequence::Undo, this, [this] {
        if (project_)
            project_->undoStack()->undo();
    });
    redoAction_ = mark->addAction("&Redo", this, [this] {
        if (project_)
            project_->undoStack()->redo();
    });
    // Both conventions, whatever the platform theme says Redo is.
    redoAction_->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    mark->addSeparator();
    struct Key {
        const char* text;
        std::optional<study::Verdict> verdict;
        Qt::Key key;
    };
    const Key keys[] = {{"Map &correct", study::Verdict::Correct, Qt::Key_C},
                        {"Map &incorrect", study::Verdict::Incorrect, Qt::Key_X},
                        {"Map &unsure", study::Verdict::Unsure, Qt::Key_U},
                        {"Clear the &verdict", std::nullopt, Qt::Key_Backspace}};
    for (const auto& k : keys)
        mark->addAction(k.text, QKeySequence(k.key), this, [this, v = k.verdict] { markFocused(v); });
    mark->addSeparator();
    for (const auto& k : keys)
        mark->addAction(QString("Whole row: ") + QString(k.text).remove('&'), QKeySequence(Qt::SHIFT | k.key),
                        this, [this, v = k.verdict] { markFocused(v, true); });
    for (const auto& k : keys)
        mark->addAction(QString("Whole column: ") + QString(k.text).remove('&'),
                        QKeySequence(Qt::ALT | k.key), this,
                        [this, v = k.verdict] { markFocused(v, false, true); });
    mark->addSeparator();
    mark->addAction("&Annotator name...", this, [this] {
        if (!project_)
            return;
        bool ok = false;
        const QString name =
            QInputDialog::getText(this, "Annotator", "Your name (marks are stored per annotator)",
                                  QLineEdit::Normal, project_->annotator(), &ok);
        if (ok)
            project_->setAnnotator(name);
    });

    QMenu* train = menuBar()->addMenu("&Train");
    train->addAction("&Train a network...", QKeySequence(Qt::CTRL | Qt::Key_T), this,
                     [this] { showTraining(); });
    train->addAction("Model &registry...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                     [this] { showRegistry(); });

    QMenu* go = menuBar()->addMenu("&Go");
    auto* next = go->addAction("&Next scan", this, [this] { browser_->selectNext(); });
    next->setShortcuts({QKeySequence(Qt::Key_N), QKeySequence(Qt::Key_Space)});
    go->addAction("&Previous scan", QKeySequence(Qt::Key_P), this, [this] { browser_->selectPrevious(); });

    methodsMenu_ = menuBar()->addMenu("&Methods");
    auto addMethod = [this](explain::Method method, bool checked) {
        auto* action = methodsMenu_->addAction(QString::fromStdString(explain::methodTitle(method)));
        action->setCheckable(true);
        action->setChecked(checked);
        connect(action, &QAction::toggled, this, [this] {
            std::vector<explain::Method> chosen;
            for (const auto& [m, a] : methodActions_)
                if (a->isChecked())
                    chosen.push_back(m);
            methods_ = chosen;
            rebuildGrid();
            requestExplanations();
        });
        methodActions_.emplace_back(method, action);
    };
    for (const auto method : explain::allMethods())
        addMethod(method, true);
    // The extras cost more (Score-CAM runs the network once per channel batch, SmoothGrad and
    // Integrated Gradients dozens of backward passes): off until asked for.
    methodsMenu_->addSection("Beyond the seed");
    for (const auto method : explain::extraMethods())
        addMethod(method, false);

    QMenu* view = menuBar()->addMenu("&View");
    auto* statisticsAction = findChild<QDockWidget*>("statistics")->toggleViewAction();
    statisticsAction->setText("&Statistics");
    statisticsAction->setShortcut(QKeySequence(Qt::Key_F9));
    view->addAction(statisticsAction);
    connect(statisticsAction, &QAction::toggled, this, [this](bool on) {
        if (on && project_)
            statistics_->setProject(project_->file().toStdString());
    });
    view->addAction("&Reset zoom and pan", QKeySequence(Qt::Key_0), this, [this] { grid_->resetView(); });
    view->addAction("Reset &window/level", QKeySequence(Qt::Key_W), this, [this] {
        if (current_) {
            window_ = current_->scan.window;
            renderOriginals();
        }
    });
    auto toggle = [&](const QString& text, bool on, const QKeySequence& key) {
        auto* a = view->addAction(text);
        a->setCheckable(true);
        a->setChecked(on);
        a->setShortcut(key);
        connect(a, &QAction::toggled, this, &MainWindow::updateDisplayOptions);
        return a;
    };
    view->addSeparator();
    centreAction_ = toggle("&Centre of mass marker", display_.centreMarker, QKeySequence(Qt::Key_M));
    contourAction_ = toggle("&Threshold contour", display_.thresholdContour, QKeySequence(Qt::Key_T));
    maskAction_ = toggle("Tumour mask &outline", display_.maskOutline, QKeySequence(Qt::Key_O));

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction("&About Saliency Studio", this, &MainWindow::showAbout);
}

void MainWindow::buildToolBar() {
    QToolBar* bar = addToolBar("Display");
    bar->setObjectName("display");
    bar->addWidget(new QLabel(" Explain "));
    targetClass_ = new QComboBox;
    targetClass_->setToolTip("The class the maps explain: each network's prediction, or one class for all");
    targetClass_->addItem("predicted class");
    bar->addWidget(targetClass_);
    connect(targetClass_, &QComboBox::currentIndexChanged, this, [this] {
        rebuildGrid();
        requestExplanations();
    });
    bar->addWidget(new QLabel("  Colour map "));
    colourMap_ = new QComboBox;
    for (const auto map : explain::colourMaps())
        colourMap_->addItem(QString::fromStdString(explain::colourMapName(map)));
    bar->addWidget(colourMap_);
    bar->addWidget(new QLabel("  Opacity "));
    auto* opacity = new QSlider(Qt::Horizontal);
    opacity->setObjectName("opacity");
    opacity->setRange(0, 100);
    opacity->setValue(50);
    opacity->setMaximumWidth(120);
    bar->addWidget(opacity);
    bar->addWidget(new QLabel("  Contour at "));
    auto* level = new QSpinBox;
    level->setObjectName("contourLevel");
    level->setRange(5, 95);
    level->setSingleStep(5);
    level->setSuffix(" %");
    level->setValue(50);
    bar->addWidget(level);
    bar->addSeparator();
    bar->addAction(centreAction_);
    bar->addAction(contourAction_);
    bar->addAction(maskAction_);
    bar->addSeparator();
    windowLabel_ = new QLabel;
    windowLabel_->setToolTip("Window/level of the scan column: drag with the right mouse button; W resets");
    bar->addWidget(windowLabel_);
    connect(colourMap_, &QComboBox::currentIndexChanged, this, &MainWindow::updateDisplayOptions);
    connect(opacity, &QSlider::valueChanged, this, &MainWindow::updateDisplayOptions);
    connect(level, &QSpinBox::valueChanged, this, &MainWindow::updateDisplayOptions);
}

void MainWindow::updateDisplayOptions() {
    DisplayOptions d;
    d.colourMap = explain::colourMaps().at(static_cast<size_t>(std::max(0, colourMap_->currentIndex())));
    d.heatmapOpacity = findChild<QSlider*>("opacity")->value() / 100.0;
    d.contourLevel = findChild<QSpinBox*>("contourLevel")->value() / 100.0;
    d.thresholdContour = contourAction_->isChecked();
    d.centreMarker = centreAction_->isChecked();
    d.maskOutline = maskAction_->isChecked();
    if (d == display_)
        return;
    display_ = d;
    renderOriginals();
    for (const auto& m : service_->models())
        renderRow(m.id);
}

// ---- settings ---------------------------------------------------------------------------------

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    const int map = settings.value("display/colourMap", 0).toInt();
    colourMap_->setCurrentIndex(std::clamp(map, 0, colourMap_->count() - 1));
    findChild<QSlider*>("opacity")->setValue(settings.value("display/opacity", 50).toInt());
    refreshRecentMenus();
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    settings.setValue("display/colourMap", colourMap_->currentIndex());
    settings.setValue("display/opacity", findChild<QSlider*>("opacity")->value());
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

void MainWindow::closeEvent(QCloseEvent* event) {
    if (training_ && training_->isRunning()) {
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

// ---- data sets --------------------------------------------------------------------------------

void MainWindow::chooseDataset() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, "Open data set (a folder of class folders)");
    if (!folder.isEmpty())
        openDataset(folder);
}

void MainWindow::chooseSplit() {
    const QString file = QFileDialog::getOpenFileName(this, "Open split", {}, "Split (*.json)");
    if (!file.isEmpty() && dataset_)
        openDataset(QString::fromStdString(dataset_->root.string()), file);
}

void MainWindow::openDataset(const QString& folder, const QString& splitFile) {
    statusBar()->showMessage("Scanning " + folder + " ...");
    splitFile_ = splitFile;
    const std::filesystem::path root = folder.toStdString();
    // Scanning decodes every file: seconds for thousands of scans, so never on the GUI thread.
    datasetWatcher_.setFuture(QtConcurrent::run([root]() -> std::shared_ptr<const Dataset> {
        try {
            return std::make_shared<const Dataset>(scanDataset(root));
        } catch (const std::exception& e) {
            auto failed = std::make_shared<Dataset>();
            failed->root = root;
            failed->skipped.push_back({root, e.what()});
            return failed;
        }
    }));
}

void MainWindow::showDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split) {
    if (dataset->classes.empty()) {
        const QString reason =
            QString::fromStdString(dataset->skipped.empty() ? "unknown error" : dataset->skipped[0].reason);
        statusBar()->showMessage("Could not open the data set");
        showError("Cannot open data set", reason);
        Q_EMIT datasetLoaded(false);
        return;
    }
    dataset_ = std::move(dataset);
    split_ = std::move(split);
    currentIndex_ = -1;
    current_.reset();
    addRecent("recent/datasets", QString::fromStdString(dataset_->root.string()));
    setWindowTitle("Saliency Studio - " + QString::fromStdString(dataset_->root.filename().string()));
    browser_->setDataset(dataset_, split_);
    statusBar()->showMessage(QString("%1: %2 scans in %3 classes, %4 skipped")
                                 .arg(QString::fromStdString(dataset_->root.filename().string()))
                                 .arg(dataset_->items.size())
                                 .arg(dataset_->classes.size())
                                 .arg(dataset_->skipped.size()),
                             5000);
    classifyDataset();
    bindProjectDataSet();
    refreshTraining();
    Q_EMIT datasetLoaded(true);
}

QString MainWindow::scanKey(int index) const {
    if (!dataset_ || index < 0 || index >= static_cast<int>(dataset_->items.size()))
        return {};
    return QString::fromStdString(dataset_->items[static_cast<size_t>(index)].relativePath.generic_string());
}

QString MainWindow::trueClass(int index) const {
    const auto& item = dataset_->items[static_cast<size_t>(index)];
    return QString::fromStdString(dataset_->classes[static_cast<size_t>(item.label)]);
}

bool MainWindow::selectScan(const QString& relativePath) {
    if (!dataset_)
        return false;
    for (size_t i = 0; i < dataset_->items.size(); ++i)
        if (scanKey(static_cast<int>(i)) == relativePath)
            return browser_->selectIndex(static_cast<int>(i));
    return false;
}

void MainWindow::classifyDataset() {
    if (!dataset_ || service_->models().empty())
        return;
    std::vector<std::pair<QString, std::string>> scans;
    for (size_t i = 0; i < dataset_->items.size(); ++i)
        scans.emplace_back(scanKey(static_cast<int>(i)), dataset_->absolute(dataset_->items[i]).string());
    service_->classify(scans);
}

void MainWindow::onPredicted(const QString& key, int modelId) {
    if (!dataset_ || service_->models().empty() || service_->models().front().id != modelId)
        return;  // the browser shows the first network's verdict
    const auto p = service_->prediction(key, modelId);
    if (!p)
        return;
    for (size_t i = 0; i < dataset_->items.size(); ++i) {
        if (scanKey(static_cast<int>(i)) != key)
            continue;
        const bool right = p->classIndex == dataset_->items[i].label;
        const auto* session = service_->session(modelId);
        const QString name =
            QString::fromStdString(session->info().classes.at(static_cast<size_t>(p->classIndex)));
        browser_->setPrediction(static_cast<int>(i), right ? Verdict::Right : Verdict::Wrong,
                                QString("%1 %2")
                                    .arg(right ? QChar(0x2713) : QChar(0x2717))
                                    .arg(percent(p->probabilities.at(static_cast<size_t>(p->classIndex)))),
                                QString("%1 predicts %2 (%3)")
                                    .arg(service_->modelName(modelId), name,
                                         percent(p->probabilities.at(static_cast<size_t>(p->classIndex)))));
        return;
    }
}

// ---- models -----------------------------------------------------------------------------------

void MainWindow::chooseModel() {
    const QStringList files = QFileDialog::getOpenFileNames(this, "Open model checkpoints", {},
                                                            "Checkpoints (*.pt *.pth);;All files (*)");
    for (const auto& file : files)
        openModel(file);
}

void MainWindow::chooseImport() {
    QDialog dialog(this);
    dialog.setWindowTitle("Import torchvision weights");
    auto* arch = new QComboBox;
    for (const auto& a : explain::knownArchitectures())
        arch->addItem(QString::fromStdString(a));
    arch->setCurrentText("resnet50");
    auto* weights = new QLineEdit;
    auto* browse = new QPushButton("Browse...");
    auto* classes = new QLineEdit("Brain Tumor,Healthy");
    if (dataset_) {
        QStringList names;
        for (const auto& c : dataset_->classes)
            names << QString::fromStdString(c);
        classes->setText(names.join(','));
    }
    auto* size = new QSpinBox;
    size->setRange(32, 1024);
    size->setValue(224);
    auto* row = new QHBoxLayout;
    row->addWidget(weights, 1);
    row->addWidget(browse);
    auto* form = new QFormLayout(&dialog);
    form->addRow("Architecture", arch);
    form->addRow("Weights (torch.save of a state dict)", row);
    form->addRow("Classes, in order", classes);
    form->addRow("Input size (px)", size);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString f =
            QFileDialog::getOpenFileName(&dialog, "Weights", {}, "PyTorch (*.pt *.pth);;All files (*)");
        if (!f.isEmpty())
            weights->setText(f);
    });
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        importModel(arch->currentText(), weights->text(), classes->text().split(',', Qt::SkipEmptyParts),
                    size->value());
}

void MainWindow::openModel(const QString& file) {
    ++loadingModels_;
    statusBar()->showMessage("Loading " + file + " ...");
    QPointer<MainWindow> self(this);
    const std::filesystem::path path = file.toStdString();
    // Loading a ResNet50 reads ~100 MB: off the GUI thread.
    (void)QtConcurrent::run([self, path, file] {
        std::shared_ptr<explain::ModelSession> session;
        std::string fingerprint;  // the model's identity in a project
        QString error;
        try {
            session = explain::ModelSession::openCheckpoint(path);
            fingerprint = study::fileFingerprint(path);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, session, fingerprint, error, file] {
                if (!self)
                    return;
                --self->loadingModels_;
                if (!session) {
                    self->statusBar()->showMessage("Could not open " + file, 5000);
                    self->showError("Cannot open model", "Cannot open " + file + ":\n" + error);
                    Q_EMIT self->modelLoaded(false, error);
                    return;
                }
                self->addRecent("recent/models", file);
                self->addSession(session, fingerprint);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::importModel(const QString& architecture, const QString& weights, const QStringList& classes,
                             int inputSize) {
    ++loadingModels_;
    QPointer<MainWindow> self(this);
    std::vector<std::string> names;
    for (const auto& c : classes)
        names.push_back(c.trimmed().toStdString());
    (void)QtConcurrent::run([self, architecture, weights, names, inputSize] {
        std::shared_ptr<explain::ModelSession> session;
        std::string fingerprint;
        QString error;
        try {
            session = explain::ModelSession::importWeights(architecture.toStdString(), weights.toStdString(),
                                                           names, inputSize);
            fingerprint = study::fileFingerprint(weights.toStdString());
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, session, fingerprint, error, weights] {
                if (!self)
                    return;
                --self->loadingModels_;
                if (!session) {
                    self->showError("Cannot import weights", "Cannot import " + weights + ":\n" + error);
                    Q_EMIT self->modelLoaded(false, error);
                    return;
                }
                self->addSession(session, fingerprint);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::addSession(std::shared_ptr<explain::ModelSession> session, const std::string& fingerprint) {
    const explain::ModelInfo info = session->info();
    const int id = service_->addModel(std::move(session));
    fingerprints_[id] = fingerprint;
    models_->addModel(id, info);  // before registering: the project's name may rename it
    registerModelsInProject();
    if (targetClass_->count() == 1) {  // the first network names the classes
        const QSignalBlocker blocker(targetClass_);
        for (const auto& c : info.classes)
            targetClass_->addItem(QString::fromStdString(c));
    }
    statusBar()->showMessage(
        QString("Loaded %1 (%2)")
            .arg(QString::fromStdString(info.name), QString::fromStdString(info.architecture)),
        4000);
    rebuildGrid();
    requestExplanations();
    browser_->clearPredictions();
    classifyDataset();
    Q_EMIT modelLoaded(true, {});
}

void MainWindow::removeModel(int id) {
    if (project_)
        project_->forgetService(id);
    fingerprints_.erase(id);
    service_->removeModel(id);
    models_->removeModel(id);
    rebuildGrid();
    requestExplanations();
    browser_->clearPredictions();
    for (size_t i = 0; dataset_ && i < dataset_->items.size(); ++i)
        if (!service_->models().empty())
            onPredicted(scanKey(static_cast<int>(i)), service_->models().front().id);
}

// ---- the current scan and its grid ------------------------------------------------------------

void MainWindow::onScanSelected(int index) {
    if (!dataset_ || index == currentIndex_)
        return;
    currentIndex_ = index;
    fillClock_.start();
    const int request = ++decodeRequest_;
    const auto& item = dataset_->items[static_cast<size_t>(index)];
    const std::filesystem::path file = dataset_->absolute(item);
    const std::optional<std::filesystem::path> mask =
        item.maskPath ? std::optional(dataset_->root / *item.maskPath) : std::nullopt;
    QPointer<MainWindow> self(this);
    (void)QtConcurrent::run([self, request, index, file, mask] {
        auto scan = std::make_shared<CurrentScan>();
        scan->index = index;
        QString error;
        try {
            scan->scan = readScan(file);
            scan->base = displayBase(scan->scan.rgb);
            if (mask)
                scan->mask = cv::imread(mask->string(), cv::IMREAD_GRAYSCALE);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, request, scan, error] {
                if (self)
                    self->showDecodedScan(request, scan, error);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::showDecodedScan(int request, std::shared_ptr<CurrentScan> scan, const QString& error) {
    if (request != decodeRequest_)
        return;  // the user moved on
    if (!error.isEmpty()) {
        current_.reset();
        rebuildGrid();
        statusBar()->showMessage("Cannot show " + scanKey(scan->index) + ": " + error);
        return;
    }
    current_ = std::move(scan);
    window_ = current_->scan.window;
    rebuildGrid();
    requestExplanations();
    Q_EMIT scanShown(current_->index);
}

explain::ExplainRequest MainWindow::explainRequest() const {
    explain::ExplainRequest request;
    request.methods = methods_;
    request.targetClass = targetClass_->currentIndex() - 1;  // 0: predicted (-1)
    return request;
}

void MainWindow::requestExplanations() {
    if (!current_ || service_->models().empty() || methods_.empty()) {
        if (current_)
            Q_EMIT gridFilled(current_->index, fillClock_.isValid() ? fillClock_.elapsed() / 1000.0 : 0.0);
        return;
    }
    rowsPending_.clear();
    for (const auto& m : service_->models())
        rowsPending_.push_back(m.id);
    service_->request(scanKey(current_->index), current_->scan.rgb, explainRequest());
}

int MainWindow::rowOf(int modelId) const {
    const auto& rows = grid_->content().rows;
    for (size_t r = 0; r < rows.size(); ++r)
        if (rows[r].modelId == modelId)
            return static_cast<int>(r);
    return -1;
}

GridRow MainWindow::rowFor(int modelId, const CellContent& original) const {
    GridRow row;
    row.modelId = modelId;
    const auto* session = service_->session(modelId);
    row.title = service_->modelName(modelId);
    row.subtitle = QString::fromStdString(session->info().architecture) + "\ncomputing...";
    CellContent pending;
    pending.pending = true;
    row.cells.assign(methods_.size() + 1, pending);
    for (size_t c = 0; c < methods_.size(); ++c)
        row.cells[c + 1].title = QString::fromStdString(explain::methodTitle(methods_[c]));
    row.cells[0] = original;
    return row;
}

void MainWindow::rebuildGrid() {
    ++renderGeneration_;
    GridContent content;
    content.columns << "Scan";
    for (const auto m : methods_)
        content.columns << QString::fromStdString(explain::methodTitle(m));
    if (current_) {
        content.heading =
            QString("%1   (true class: %2)").arg(scanKey(current_->index), trueClass(current_->index));
        // The scan column is the same in every row: windowed and rendered once.
        const CellContent original = originalCell();
        if (service_->models().empty()) {
            GridRow row;
            row.title = "No network";
            row.subtitle = "Open a model\n(Ctrl+M)";
            row.cells.push_back(original);
            content.columns = QStringList{"Scan"};
            content.rows.push_back(row);
        }
        for (const auto& m : service_->models())
            content.rows.push_back(rowFor(m.id, original));
    }
    grid_->setContent(std::move(content));
    applyMarks();
}

void MainWindow::onExplained(const QString& key, int modelId, double seconds) {
    if (!current_ || key != scanKey(current_->index))
        return;
    renderRow(modelId);
    if (seconds > 0)
        statusBar()->showMessage(
            QString("%1: maps in %2 ms").arg(service_->modelName(modelId)).arg(seconds * 1000, 0, 'f', 0),
            4000);
}

void MainWindow::onFailed(const QString& key, int modelId, const QString& message) {
    if (!current_ || key != scanKey(current_->index))
        return;
    const int r = rowOf(modelId);
    if (r >= 0) {
        GridContent content = grid_->content();
        auto& row = content.rows[static_cast<size_t>(r)];
        row.subtitle = QString::fromStdString(service_->session(modelId)->info().architecture) + "\nfailed";
        for (size_t c = 1; c < row.cells.size(); ++c) {
            row.cells[c].pending = false;
            row.cells[c].message = message;
        }
        grid_->setContent(std::move(content));
    }
    std::erase(rowsPending_, modelId);
    checkFilled();
}

void MainWindow::renderRow(int modelId) {
    if (!current_)
        return;
    const auto result = service_->result(scanKey(current_->index), modelId, explainRequest());
    if (!result)
        return;
    const auto* session = service_->session(modelId);
    if (!session)
        return;
    const auto& classes = session->info().classes;
    auto className = [&](int c) {
        return c >= 0 && c < static_cast<int>(classes.size())
                   ? QString::fromStdString(classes[static_cast<size_t>(c)])
                   : QString::number(c);
    };
    const int generation = renderGeneration_;
    const auto scan = current_;
    const DisplayOptions display = display_;
    const QString caption =
        QString("%1 %2").arg(className(result->targetClass),
                             percent(result->probabilities.at(static_cast<size_t>(result->targetClass))));
    QPointer<MainWindow> self(this);
    // Overlays, contours and centres for a row take a few ms per cell: off the GUI thread.
    (void)QtConcurrent::run([self, result, scan, display, caption, generation, modelId] {
        std::vector<CellContent> cells;
        for (const auto& map : result->maps)
            cells.push_back(renderMap(scan->base, map, scan->mask, display, caption));
        QMetaObject::invokeMethod(
            qApp,
            [self, cells = std::move(cells), generation, modelId, result] {
                if (!self || generation != self->renderGeneration_)
                    return;
                const int r = self->rowOf(modelId);
                if (r < 0)
                    return;
                for (size_t c = 0; c < cells.size(); ++c)
                    self->grid_->setCell(r, static_cast<int>(c) + 1, cells[c]);
                GridContent content = self->grid_->content();
                auto& row = content.rows[static_cast<size_t>(r)];
                const auto& info = self->service_->session(modelId)->info();
                const int predicted = result->predictedClass;
                const QString name = QString::fromStdString(info.classes.at(static_cast<size_t>(predicted)));
                const bool right = name == self->trueClass(self->current_->index);
                row.accent = right ? kRight : kWrong;
                row.subtitle = QString("%1\npredicted: %2 %3\n%4")
                                   .arg(QString::fromStdString(info.architecture), name,
                                        percent(result->probabilities.at(static_cast<size_t>(predicted))),
                                        right ? "right" : "wrong");
                self->grid_->setContent(std::move(content));
                self->applyMarks();
                std::erase(self->rowsPending_, modelId);
                self->checkFilled();
            },
            Qt::QueuedConnection);
    });
}

CellContent MainWindow::originalCell() const {
    windowLabel_->setText(
        QString(" W %1  L %2 ").arg(window_.width, 0, 'f', 0).arg(window_.centre, 0, 'f', 0));
    return renderOriginal(windowedBase(current_->scan, window_, current_->base.size()), current_->mask,
                          display_);
}

void MainWindow::renderOriginals() {
    if (!current_)
        return;
    const CellContent original = originalCell();
    for (int r = 0; r < static_cast<int>(grid_->content().rows.size()); ++r)
        grid_->setCell(r, 0, original);
}

void MainWindow::checkFilled() {
    if (current_ && rowsPending_.empty())
        Q_EMIT gridFilled(current_->index, fillClock_.elapsed() / 1000.0);
}

void MainWindow::adjustWindow(double dx, double dy) {
    if (!current_)
        return;
    // A full drag across 500 px changes the width or level by the current width.
    const double step = std::max(1.0, window_.width) / 500.0;
    window_.width = std::max(1.0, window_.width + dx * step);
    window_.centre += dy * step;
    renderOriginals();
}

void MainWindow::openLargeView(int row, int column) {
    const auto& rows = grid_->content().rows;
    if (row < 0 || row >= static_cast<int>(rows.size()))
        return;
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const auto& cell = rows[static_cast<size_t>(row)].cells.at(static_cast<size_t>(column));
    dialog->setWindowTitle(rows[static_cast<size_t>(row)].title + " - " + cell.title);
    auto* view = new ComparisonGrid;
    GridContent content;
    content.showHeaders = false;
    content.columns << cell.title;
    GridRow single;
    single.cells.push_back(cell);
    content.rows.push_back(single);
    view->setContent(content);
    view->setView(grid_->zoom(), grid_->centre());
    auto* layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    dialog->resize(720, 720);
    dialog->show();
}

void MainWindow::setMethods(const std::vector<explain::Method>& methods) {
    for (const auto& [m, a] : methodActions_) {
        const QSignalBlocker blocker(a);
        a->setChecked(std::find(methods.begin(), methods.end(), m) != methods.end());
    }
    methods_ = methods;
    rebuildGrid();
    requestExplanations();
}

// ---- export -----------------------------------------------------------------------------------

void MainWindow::exportFigure(const QString& file, FigureOptions options) {
    options.display = display_;
    options.zoom = grid_->zoom();
    options.centre = grid_->centre();
    ui::exportFigure(grid_->content(), file, options);
}

void MainWindow::chooseExportFigure() {
    if (!current_) {
        showError("Nothing to export", "Select a scan first.");
        return;
    }
    QSettings settings;
    const QString suggested = QFileInfo(scanKey(current_->index)).completeBaseName() + "-comparison.png";
    const auto choice = FigureExportDialog::askForFile(
        this, grid_->content(), QDir(settings.value("export/folder").toString()).filePath(suggested));
    if (!choice)
        return;
    const QString file = choice->path;
    settings.setValue("export/folder", QFileInfo(file).absolutePath());
    // Rendering a 300 dpi figure takes a few hundred ms: in a worker, from a copy of the grid.
    FigureOptions options = choice->options;
    options.display = display_;
    options.zoom = grid_->zoom();
    options.centre = grid_->centre();
    const GridContent content = grid_->content();
    statusBar()->showMessage("Exporting " + file + " ...");
    QPointer<MainWindow> self(this);
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
                    self->statusBar()->showMessage("Exported " + file, 5000);
                else
                    self->showError("Cannot export figure", error);
            },
            Qt::QueuedConnection);
    });
}

void MainWindow::chooseExportSelection() {
    const std::vector<int> selected = browser_->selectedIndices();
    if (selected.empty() || service_->models().empty()) {
        showError("Nothing to export",
                  "Select scans in the browser (Shift/Ctrl+click) and open at least one model.");
        return;
    }
    const auto choice = FigureExportDialog::askForFolder(this, grid_->content(),
                                                         QSettings().value("export/folder").toString());
    if (!choice)
        return;
    const QString folder = choice->path;
    const QString format = figureSuffix(choice->format);
    struct Job {
        QString key, file, heading, trueClass;
        std::filesystem::path scan, mask;
    };
    std::vector<Job> jobs;
    for (const int i : selected) {
        const auto& item = dataset_->items[static_cast<size_t>(i)];
        jobs.push_back({scanKey(i),
                        QDir(folder).filePath(QString::fromStdString(item.relativePath.stem().string()) +
                                              "-comparison." + format),
                        scanKey(i), trueClass(i), dataset_->absolute(item),
                        item.maskPath ? dataset_->root / *item.maskPath : std::filesystem::path()});
    }
    std::vector<std::pair<QString, std::shared_ptr<explain::ModelSession>>> sessions;
    for (const auto& m : service_->models())
        sessions.emplace_back(service_->modelName(m.id), m.session);
    auto* progress =
        new QProgressDialog("Exporting figures...", "Cancel", 0, static_cast<int>(jobs.size()), this);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(0);
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    connect(progress, &QProgressDialog::canceled, this, [cancelled] { *cancelled = true; });
    const auto methods = methods_;
    const DisplayOptions display = display_;
    QPointer<QProgressDialog> bar(progress);
    QPointer<MainWindow> self(this);
    const FigureOptions figure = choice->options;
    (void)QtConcurrent::run([jobs, sessions, methods, display, figure, cancelled, bar, self] {
        int done = 0;
        QStringList failures;
        for (const auto& job : jobs) {
            if (*cancelled)
                break;
            try {
                const Scan scan = readScan(job.scan);
                const cv::Mat base = displayBase(scan.rgb);
                const cv::Mat mask =
                    job.mask.empty() ? cv::Mat() : cv::imread(job.mask.string(), cv::IMREAD_GRAYSCALE);
                GridContent content;
                content.heading = QString("%1   (true class: %2)").arg(job.heading, job.trueClass);
                content.columns << "Scan";
                for (const auto m : methods)
                    content.columns << QString::fromStdString(explain::methodTitle(m));
                for (const auto& [name, session] : sessions) {
                    explain::ExplainRequest request;
                    request.methods = methods;
                    const auto e = session->explain(scan.rgb, request);
                    const QString predicted = QString::fromStdString(
                        session->info().classes.at(static_cast<size_t>(e.predictedClass)));
                    GridRow row;
                    row.title = name;
                    row.accent = predicted == job.trueClass ? kRight : kWrong;
                    row.subtitle =
                        QString("%1\npredicted: %2 %3")
                            .arg(QString::fromStdString(session->info().architecture), predicted,
                                 percent(e.probabilities.at(static_cast<size_t>(e.predictedClass))));
                    row.cells.push_back(renderOriginal(base, mask, display));
                    for (const auto& map : e.maps)
                        row.cells.push_back(renderMap(base, map, mask, display, predicted));
                    content.rows.push_back(std::move(row));
                }
                FigureOptions options = figure;
                options.display = display;
                ui::exportFigure(content, job.file, options);
            } catch (const std::exception& e) {
                failures << job.key + ": " + QString::fromStdString(e.what());
            }
            ++done;
            QMetaObject::invokeMethod(
                qApp,
                [bar, done] {
                    if (bar)
                        bar->setValue(done);
                },
                Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            qApp,
            [bar, self, done, failures] {
                if (bar)
                    bar->close();
                if (!self)
                    return;
                self->statusBar()->showMessage(QString("Exported %1 figures").arg(done - failures.size()),
                                               6000);
                if (!failures.isEmpty())
                    self->showError("Some figures were not exported", failures.join('\n'));
            },
            Qt::QueuedConnection);
    });
}

// ---- project and marks ------------------------------------------------------------------------

void MainWindow::chooseNewProject() {
    const QString file =
        QFileDialog::getSaveFileName(this, "New project", {}, "Saliency Studio project (*.sqlite)");
    if (!file.isEmpty())
        openProject(file.endsWith(".sqlite") ? file : file + ".sqlite", true);
}

void MainWindow::chooseOpenProject() {
    const QString file = QFileDialog::getOpenFileName(this, "Open project", {},
                                                      "Saliency Studio project (*.sqlite);;All files (*)");
    if (!file.isEmpty())
        openProject(file, false);
}

bool MainWindow::openProject(const QString& file, bool create) {
    std::unique_ptr<ProjectSession> session;
    try {
        session = std::make_unique<ProjectSession>(file.toStdString(), create);
    } catch (const std::exception& e) {
        showError("Cannot open project", QString::fromStdString(e.what()));
        return false;
    }
    project_ = std::move(session);
    connect(project_.get(), &ProjectSession::marksChanged, this, &MainWindow::applyMarks);
    connect(project_.get(), &ProjectSession::markFailed, this,
            [this](const QString& message) { showError("Cannot change the mark", message); });
    connect(project_.get(), &ProjectSession::marksChanged, &statisticsRefresh_, qOverload<>(&QTimer::start));
    if (statistics_->isVisible())
        statistics_->setProject(file.toStdString());
    connect(project_->undoStack(), &QUndoStack::canUndoChanged, undoAction_, &QAction::setEnabled);
    connect(project_->undoStack(), &QUndoStack::canRedoChanged, redoAction_, &QAction::setEnabled);
    undoAction_->setEnabled(false);
    redoAction_->setEnabled(false);
    addRecent("recent/projects", file);
    saveAsAction_->setEnabled(true);
    if (registry_)
        registry_->setProject(project_.get());
    refreshTraining();
    setWindowTitle("Saliency Studio - " + QFileInfo(file).fileName());
    const auto root = project_->dataRoot();
    if (root && (!dataset_ || std::filesystem::absolute(dataset_->root) != *root)) {
        openDataset(QString::fromStdString(root->string()));  // binds once scanned
    } else {
        bindProjectDataSet();
    }
    registerModelsInProject();
    openProjectModels();
    statusBar()->showMessage("Project " + file, 5000);
    return true;
}

void MainWindow::openProjectModels() {
    // A study's project names its networks: open those not loaded yet (same fingerprint = same model).
    std::set<std::string> loaded;
    for (const auto& [id, fingerprint] : fingerprints_)
        loaded.insert(fingerprint);
    for (const auto& model : project_->storedModels()) {
        if (loaded.count(model.fingerprint))
            continue;
        if (std::filesystem::exists(model.checkpointPath))
            openModel(QString::fromStdString(model.checkpointPath));
        else
            statusBar()->showMessage("The project's network " + QString::fromStdString(model.name) +
                                         " is not at " + QString::fromStdString(model.checkpointPath),
                                     8000);
    }
}

void MainWindow::bindProjectDataSet() {
    if (!project_ || !dataset_)
        return;
    try {
        project_->bindDataSet(dataset_);
    } catch (const std::exception& e) {
        showError("The project belongs to another data set", QString::fromStdString(e.what()));
        project_.reset();
    }
}

void MainWindow::registerModelsInProject() {
    if (!project_)
        return;
    for (const auto& m : service_->models()) {
        if (project_->knowsModel(m.id))
            continue;
        try {
            const auto record = project_->registerModel(m.id, m.session->info(), fingerprints_[m.id]);
            // The project's name (unique there, perhaps renamed in the registry) names the row too.
            if (QString::fromStdString(record.name) != service_->modelName(m.id))
                renameInGrid(m.id, QString::fromStdString(record.name));
        } catch (const std::exception& e) {
            showError("Cannot add the network to the project", QString::fromStdString(e.what()));
        }
    }
}

void MainWindow::applyMarks() {
    if (project_ && dataset_) {
        const auto marked = project_->markedScans();
        std::vector<bool> flags(dataset_->items.size());
        for (size_t i = 0; i < flags.size(); ++i)
            flags[i] = marked.count(scanKey(static_cast<int>(i))) > 0;
        browser_->setMarked(flags);
    }
    if (!current_)
        return;
    GridContent content = grid_->content();
    bool changed = false;
    const QString key = scanKey(current_->index);
    for (auto& row : content.rows) {
        for (size_t c = 1; c < row.cells.size() && c <= methods_.size(); ++c) {
            CellMark mark = CellMark::None;
            if (project_ && row.modelId > 0) {
                if (const auto v = project_->verdict(key, row.modelId, methods_[c - 1]))
                    mark = *v == study::Verdict::Correct     ? CellMark::Correct
                           : *v == study::Verdict::Incorrect ? CellMark::Incorrect
                                                             : CellMark::Unsure;
            }
            changed = changed || row.cells[c].mark != mark;
            row.cells[c].mark = mark;
        }
    }
    if (changed)
        grid_->setContent(std::move(content));
}

bool MainWindow::markFocused(std::optional<study::Verdict> verdict, bool wholeRow, bool wholeColumn) {
    if (!project_) {
        showError("No project",
                  "Marks are stored in a project: File > New project (Ctrl+Shift+N) or Open project.");
        return false;
    }
    if (!current_)
        return false;
    auto [row, column] = grid_->focusedCell();
    const auto& rows = grid_->content().rows;
    if (row < 0 || column < 1) {  // nothing (or the scan column) focused: start at the first map
        row = 0;
        column = 1;
    }
    if (row >= static_cast<int>(rows.size()) || column > static_cast<int>(methods_.size()) ||
        rows[static_cast<size_t>(row)].modelId <= 0)
        return false;
    std::vector<std::tuple<QString, int, explain::Method>> cells;
    const QString key = scanKey(current_->index);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r)
        for (int c = 1; c <= static_cast<int>(methods_.size()); ++c)
            if ((r == row || wholeColumn) && (c == column || wholeRow))
                cells.emplace_back(key, rows[static_cast<size_t>(r)].modelId,
                                   methods_[static_cast<size_t>(c - 1)]);
    try {
        const QString what = wholeRow ? "row" : wholeColumn ? "column" : "map";
        project_->markAll(
            cells, verdict,
            QString("%1 %2").arg(
                what, verdict ? QString::fromStdString(study::verdictName(*verdict)) : QString("cleared")));
    } catch (const std::exception& e) {
        showError("Cannot store the mark", QString::fromStdString(e.what()));
        return false;
    }
    grid_->setFocusedCell(row, column);
    if (!wholeRow && !wholeColumn)
        advanceFocus();
    statusBar()->showMessage(QString("%1 marks by %2 in %3")
                                 .arg(project_->annotationCount())
                                 .arg(project_->annotator(), QFileInfo(project_->file()).fileName()),
                             3000);
    return true;
}

void MainWindow::advanceFocus() {
    // The next map cell: along the row, then the next network; after the last, the next scan.
    auto [row, column] = grid_->focusedCell();
    const int rows = static_cast<int>(grid_->content().rows.size());
    if (column < static_cast<int>(methods_.size())) {
        grid_->setFocusedCell(row, column + 1);
    } else if (row + 1 < rows) {
        grid_->setFocusedCell(row + 1, 1);
    } else if (browser_->selectNext()) {
        grid_->setFocusedCell(0, 1);
    }
}

// ---- help -------------------------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& message) {
    // Non-blocking: a modal exec() would stall the event loop that workers report through.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("errorDialog");
    box->open();
}

void MainWindow::showShortcuts() {
    QMessageBox::information(
        this, "Keyboard shortcuts",
        "<table cellspacing=6>"
        "<tr><td><b>N</b>, <b>Space</b></td><td>next scan (that passes the filters)</td></tr>"
        "<tr><td><b>P</b></td><td>previous scan</td></tr>"
        "<tr><td><b>Up</b> / <b>Down</b></td><td>move in the scan tree</td></tr>"
        "<tr><td><b>Ctrl+O</b></td><td>open a data set</td></tr>"
        "<tr><td><b>Ctrl+M</b></td><td>open a model checkpoint</td></tr>"
        "<tr><td><b>Ctrl+Shift+M</b></td><td>import torchvision weights</td></tr>"
        "<tr><td><b>Ctrl+E</b></td><td>export the comparison as PNG, SVG or PDF</td></tr>"
        "<tr><td><b>Ctrl+Shift+E</b></td><td>export the selected scans' comparisons</td></tr>"
        "<tr><td><b>C</b> / <b>X</b> / <b>U</b></td><td>mark the focused map correct / incorrect / unsure "
        "(then on to the next map)</td></tr>"
        "<tr><td><b>Backspace</b></td><td>clear the focused map's mark</td></tr>"
        "<tr><td><b>Shift</b>+C/X/U, <b>Alt</b>+C/X/U</td><td>mark the whole row / column</td></tr>"
        "<tr><td><b>Ctrl+Z</b>, <b>Ctrl+Shift+Z</b></td><td>undo, redo a mark</td></tr>"
        "<tr><td>arrow keys (grid focused)</td><td>move between cells</td></tr>"
        "<tr><td><b>Ctrl+Shift+N</b> / <b>Ctrl+Shift+O</b></td><td>new / open project</td></tr>"
        "<tr><td><b>M</b> / <b>T</b> / <b>O</b></td><td>centre of mass / threshold contour / mask "
        "outline</td></tr>"
        "<tr><td><b>0</b></td><td>reset zoom and pan</td></tr>"
        "<tr><td><b>W</b></td><td>reset window/level</td></tr>"
        "<tr><td>wheel, drag</td><td>zoom and pan every cell together</td></tr>"
        "<tr><td>right-drag on the scan</td><td>window (left-right) and level (up-down)</td></tr>"
        "<tr><td>double-click a cell</td><td>large view</td></tr>"
        "</table>");
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, "About Saliency Studio",
        QString("<b>Saliency Studio %1</b><p>See what a CNN looks at when it calls a brain MRI scan "
                "tumour or healthy: CAM, Grad-CAM, Guided Backpropagation and Guided Grad-CAM for "
                "several networks side by side.</p><p>Qt %2, LibTorch, OpenCV, DCMTK, niftilib.</p>")
            .arg(QApplication::applicationVersion(), qVersion()));
}

// ---- training and the model registry (issue 7) ------------------------------------------------

TrainingDialog* MainWindow::showTraining() {
    if (!training_) {
        training_ = new TrainingDialog(this);
        connect(training_, &TrainingDialog::modelTrained, this, &MainWindow::useTrainedModel);
        connect(training_, &TrainingDialog::runEnded, this, &MainWindow::refreshTraining);
        // A run must not rewrite a checkpoint whose weights the open project's marks or maps refer to.
        training_->setOutputGuard([this](const std::filesystem::path& output) -> QString {
            return project_ ? project_->checkpointInUse(output) : QString();
        });
        connect(training_, &TrainingDialog::scanRequested, this, [this](const QString& path) {
            browser_->setSubset(std::nullopt);
            selectScan(path);
            raise();
        });
    }
    refreshTraining();
    training_->show();
    training_->raise();
    training_->activateWindow();
    return training_;
}

void MainWindow::refreshTraining() {
    // Between runs the training window follows the open data set and project.
    if (!training_ || training_->isRunning())
        return;
    training_->setDataset(dataset_, split_);
    // New checkpoints go beside the project (its models/ folder), else into the app's data folder.
    const QString folder =
        project_ ? QFileInfo(project_->file()).absolutePath() + "/models"
                 : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/models";
    training_->setOutputFolder(folder.toStdString());
}

ModelRegistry* MainWindow::showRegistry() {
    if (!registry_) {
        registry_ = new ModelRegistry(this);
        connect(registry_, &ModelRegistry::addRequested, this, &MainWindow::chooseModel);
        connect(registry_, &ModelRegistry::showRequested, this, [this](const QString& checkpoint) {
            if (const auto loaded = modelsLoadedFrom(checkpoint); !loaded.empty()) {
                statusBar()->showMessage(service_->modelName(loaded.front()) + " is in the grid already",
                                         4000);
                return;
            }
            openModel(checkpoint);
        });
        connect(registry_, &ModelRegistry::modelRenamed, this, &MainWindow::renameInGrid);
        connect(registry_, &ModelRegistry::modelRemoved, this, [this](int serviceId) {
            if (serviceId >= 0)
                removeModel(serviceId);
        });
    }
    registry_->setProject(project_.get());
    registry_->show();
    registry_->raise();
    return registry_;
}

void MainWindow::renameInGrid(int serviceId, const QString& name) {
    if (serviceId < 0 || !service_->session(serviceId))
        return;
    service_->renameModel(serviceId, name);
    models_->renameModel(serviceId, name);
    rebuildGrid();
    requestExplanations();
}

std::vector<int> MainWindow::modelsLoadedFrom(const QString& checkpoint) const {
    const auto path = std::filesystem::absolute(checkpoint.toStdString());
    std::vector<int> ids;
    for (const auto& m : service_->models())
        if (std::filesystem::absolute(m.session->info().source) == path)
            ids.push_back(m.id);
    return ids;
}

void MainWindow::useTrainedModel(const QString& checkpoint) {
    // A resumed run rewrites the file a cancelled one left: the older load leaves the grid first.
    for (const int id : modelsLoadedFrom(checkpoint))
        removeModel(id);
    openModel(checkpoint);
}

void MainWindow::chooseSaveProjectAs() {
    if (!project_)
        return;
    QString file =
        QFileDialog::getSaveFileName(this, "Save project as", QFileInfo(project_->file()).absolutePath(),
                                     "Saliency Studio project (*.sqlite)");
    if (file.isEmpty())
        return;
    if (!file.endsWith(".sqlite")) {
        file += ".sqlite";  // the dialog confirmed the name without the suffix: confirm this one
        if (QFileInfo::exists(file) &&
            QMessageBox::question(this, "Save project as", file + " exists. Replace it?") != QMessageBox::Yes)
            return;
    }
    try {
        project_->saveAs(file);
    } catch (const std::exception& e) {
        showError("Cannot save the project", QString::fromStdString(e.what()));
        return;
    }
    // Work goes on in the copy, as "Save as" does everywhere, under the same annotator.
    const QString annotator = project_->annotator();
    if (openProject(file, false) && project_)
        project_->setAnnotator(annotator);
}

}  // namespace saliency::ui
