// The main window's menus, the display tool bar and the help texts: each action forwards to the
// presenter that owns what it changes (MainWindow.cpp wires the presenters together).
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QToolBar>

#include "MainWindow.h"
#include "ProjectSession.h"
#include "SanityCheckWindow.h"
#include "ScanBrowser.h"
#include "StatisticsView.h"
#include "WindowLevelControls.h"
#include "presenters/DatasetPresenter.h"
#include "presenters/ExportPresenter.h"
#include "presenters/GridPresenter.h"
#include "presenters/ModelsPresenter.h"
#include "presenters/ProjectPresenter.h"
#include "presenters/TrainingPresenter.h"

namespace saliency::ui {

void MainWindow::buildActions() {
    buildFileMenu();
    buildMarkMenu();

    QMenu* train = menuBar()->addMenu("&Train");
    train->addAction("&Train a network...", QKeySequence(Qt::CTRL | Qt::Key_T), this,
                     [this] { showTraining(); });
    train->addAction("Model &registry...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                     [this] { showRegistry(); });

    QMenu* go = menuBar()->addMenu("&Go");
    auto* next = go->addAction("&Next scan", browser_, &ScanBrowser::selectNext);
    next->setShortcuts({QKeySequence(Qt::Key_N), QKeySequence(Qt::Key_Space)});
    go->addAction("&Previous scan", QKeySequence(Qt::Key_P), browser_, &ScanBrowser::selectPrevious);
    go->addSeparator();
    go->addAction("Next in &review queue", QKeySequence(Qt::Key_R), projectPresenter_.get(),
                  &ProjectPresenter::nextInReview);
    QMenu* orders = go->addMenu("Review queue &order");
    auto* orderGroup = new QActionGroup(orders);
    for (const auto& [order, text] :
         {std::pair{study::ReviewOrder::ReaderDisagreement, "Disagreement between readers"},
          std::pair{study::ReviewOrder::ReaderVersusPointing, "Readers against the pointing game"},
          std::pair{study::ReviewOrder::LowMaskAgreement, "Lowest agreement with the mask"}}) {
        QAction* a = orders->addAction(text, this,
                                       [this, order = order] { projectPresenter_->setReviewOrder(order); });
        a->setCheckable(true);
        a->setChecked(order == projectPresenter_->reviewOrder());
        orderGroup->addAction(a);
    }

    buildMethodsMenu();
    buildAnalyseMenu();
    buildViewMenu();

    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction("&About Saliency Studio", this, &MainWindow::showAbout);
}

void MainWindow::buildFileMenu() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open data set...", QKeySequence::Open, this, [this] {
        const QString folder =
            QFileDialog::getExistingDirectory(this, "Open data set (a folder of class folders)");
        if (!folder.isEmpty())
            openDataset(folder);
    });
    recentData_ = file->addMenu("Recent data sets");
    file->addAction("Open &split...", this, [this] {
        const QString split = QFileDialog::getOpenFileName(this, "Open split", {}, "Split (*.json)");
        if (!split.isEmpty())
            datasetPresenter_->openSplit(split);
    });
    file->addSeparator();
    ProjectPresenter* project = projectPresenter_.get();
    file->addAction("&New project...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), project,
                    &ProjectPresenter::chooseNew);
    file->addAction("Open p&roject...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), project,
                    &ProjectPresenter::chooseOpen);
    recentProjects_ = file->addMenu("Recent projects");
    saveAsAction_ = file->addAction("Save project &as...", QKeySequence::SaveAs, project,
                                    &ProjectPresenter::chooseSaveAs);
    saveAsAction_->setEnabled(false);
    file->addSeparator();
    file->addAction("Open &model...", QKeySequence(Qt::CTRL | Qt::Key_M), modelsPresenter_.get(),
                    &ModelsPresenter::chooseOpen);
    file->addAction("&Import torchvision weights...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                    &MainWindow::chooseImport);
    recentModels_ = file->addMenu("Recent models");
    file->addSeparator();
    file->addAction("&Export figure...", QKeySequence(Qt::CTRL | Qt::Key_E), exportPresenter_.get(),
                    &ExportPresenter::chooseExportFigure);
    file->addAction("Export &selected scans...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                    exportPresenter_.get(), &ExportPresenter::chooseExportSelection);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::buildMarkMenu() {
    QMenu* mark = menuBar()->addMenu("&Mark");
    ProjectPresenter* project = projectPresenter_.get();
    undoAction_ = mark->addAction("&Undo", QKeySequence::Undo, project, &ProjectPresenter::undo);
    redoAction_ = mark->addAction("&Redo", project, &ProjectPresenter::redo);
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
    // Pointing where there is no mask (issue 17): the reader's click or box is the ground truth.
    lesionModeAction_ = mark->addAction("Mark the &lesion (click its centre or drag a box)");
    lesionModeAction_->setObjectName("lesionMode");
    lesionModeAction_->setShortcut(QKeySequence(Qt::Key_L));
    lesionModeAction_->setCheckable(true);
    lesionModeAction_->setToolTip("On a scan without a tumour mask: click the lesion's centre or drag a box "
                                  "round it on any cell; its maps' pointing game (a box: IoU and energy too) "
                                  "are measured against it");
    connect(lesionModeAction_, &QAction::toggled, grid_, &ComparisonGrid::setLesionMode);
    mark->addAction("Remove my lesion mark", QKeySequence(Qt::SHIFT | Qt::Key_L), project,
                    &ProjectPresenter::removeLesionMark);
    mark->addSeparator();
    mark->addAction("&Annotator name...", project, &ProjectPresenter::chooseAnnotator);
    mark->addAction("Reader stu&dy...", this, [this] { showReaderStudy(); })
        ->setToolTip("Blinded reading: maps one per screen under letters, in a seeded order with repeats; "
                     "verdict, confidence and time per map");
    mark->addSeparator();
    auto* compute = mark->addAction("Compute &statistics for the whole data set", project,
                                    &ProjectPresenter::computeStatistics);
    compute->setObjectName("computeStatistics");
    compute->setToolTip(
        "Every scan x loaded network x shown method into the project, in the background, as "
        "saliency-cli study does (resumable; maps already stored are skipped)");
    measureFaithfulnessAction_ = mark->addAction("  with &faithfulness (deletion, insertion, ROAD: slow)");
    measureFaithfulnessAction_->setObjectName("measureFaithfulness");
    measureFaithfulnessAction_->setCheckable(true);
    measureFaithfulnessAction_->setToolTip(
        "Also each new map's deletion and insertion AUC, faithfulness correlation and ROAD curves, as "
        "saliency-cli study --faithfulness: about 160 forward passes per map (~1 s per cnn4 map)");
    connect(measureFaithfulnessAction_, &QAction::toggled, project, &ProjectPresenter::setMeasureFaithfulness);
    measureRobustnessAction_ = mark->addAction("  with &robustness (max-/average sensitivity: slow)");
    measureRobustnessAction_->setObjectName("measureRobustness");
    measureRobustnessAction_->setCheckable(true);
    measureRobustnessAction_->setToolTip(
        "Also each new map's max- and average sensitivity to small input noise, as saliency-cli study "
        "--robustness: the method run 11 more times per map");
    connect(measureRobustnessAction_, &QAction::toggled, project, &ProjectPresenter::setMeasureRobustness);
}

void MainWindow::buildMethodsMenu() {
    QMenu* methods = menuBar()->addMenu("&Methods");
    auto addMethod = [this, methods](explain::Method method, bool checked) {
        auto* action = methods->addAction(QString::fromStdString(explain::methodTitle(method)));
        action->setCheckable(true);
        action->setChecked(checked);
        connect(action, &QAction::toggled, this, [this] {
            std::vector<explain::Method> chosen;
            for (const auto& [m, a] : methodActions_)
                if (a->isChecked())
                    chosen.push_back(m);
            gridPresenter_->setMethods(chosen);
        });
        methodActions_.emplace_back(method, action);
    };
    for (const auto method : explain::allMethods())
        addMethod(method, true);
    // The extras cost more (Score-CAM runs the network once per channel batch, SmoothGrad and
    // Integrated Gradients dozens of backward passes): off until asked for.
    methods->addSection("Beyond the seed");
    for (const auto method : explain::extraMethods())
        addMethod(method, false);
}

void MainWindow::buildAnalyseMenu() {
    QMenu* analyse = menuBar()->addMenu("&Analyse");
    analyse->setObjectName("analyseMenu");
    auto* sanity =
        analyse->addAction("&Sanity check (model randomisation)...", this, [this] { showSanityCheck(); });
    sanity->setObjectName("sanityCheck");
    sanity->setToolTip(
        "Randomise a network's blocks from the head down and see whether each method's map "
        "changes (Adebayo et al. 2018); saliency-cli sanity-check on the command line");
}

void MainWindow::buildViewMenu() {
    QMenu* view = menuBar()->addMenu("&View");
    view->setObjectName("viewMenu");
    auto* statisticsAction = findChild<QDockWidget*>("statistics")->toggleViewAction();
    statisticsAction->setText("&Statistics");
    statisticsAction->setShortcut(QKeySequence(Qt::Key_F9));
    view->addAction(statisticsAction);
    // Every dock (and the tool bar) can be brought back after it was closed.
    for (const char* name : {"scans", "models"}) {
        auto* dockAction = findChild<QDockWidget*>(name)->toggleViewAction();
        view->addAction(dockAction);
    }
    connect(statisticsAction, &QAction::toggled, this, [this](bool on) {
        if (on && project())
            statistics_->setProject(project()->file().toStdString());
    });
    view->addAction("&Reset zoom and pan", QKeySequence(Qt::Key_0), grid_, &ComparisonGrid::resetView);
    view->addAction("Reset &window/level", QKeySequence(Qt::Key_W), gridPresenter_.get(),
                    &GridPresenter::resetWindow);
    const DisplayOptions defaults = gridPresenter_->display();
    auto toggle = [&](const QString& text, bool on, const QKeySequence& key) {
        auto* a = view->addAction(text);
        a->setCheckable(true);
        a->setChecked(on);
        a->setShortcut(key);
        connect(a, &QAction::toggled, this, [this] { gridPresenter_->setDisplay(displayOptions()); });
        return a;
    };
    view->addSeparator();
    centreAction_ = toggle("&Centre of mass marker", defaults.centreMarker, QKeySequence(Qt::Key_M));
    contourAction_ = toggle("&Threshold contour", defaults.thresholdContour, QKeySequence(Qt::Key_T));
    maskAction_ = toggle("Tumour mask &outline", defaults.maskOutline, QKeySequence(Qt::Key_O));
    sharedScaleAction_ = toggle("Shared colour &scale across networks", defaults.sharedScale, QKeySequence());
    sharedScaleAction_->setObjectName("sharedScale");
    sharedScaleAction_->setToolTip(
        "Every map divided by its method's largest value over the networks shown, "
        "instead of 0-1 per map, so that networks compare on one scale");
    buildGridViewMenu(view);
}

// The grid's arrangement (issue 12): the widget lays its cells out; marking still addresses
// (network, method), so these actions only change what is on screen.
void MainWindow::buildGridViewMenu(QMenu* view) {
    view->addSeparator();
    auto* scanColumns = new QActionGroup(this);
    const bool once = QSettings().value("view/scanColumnOnce", false).toBool();
    auto scanColumn = [&](const QString& text, ScanColumn value) {
        auto* a = view->addAction(text);
        a->setCheckable(true);
        a->setChecked((value == ScanColumn::Once) == once);
        scanColumns->addAction(a);
        connect(a, &QAction::triggered, this, [this, value] {
            grid_->setScanColumn(value);
            QSettings().setValue("view/scanColumnOnce", value == ScanColumn::Once);
        });
    };
    scanColumn("Scan column in &every row", ScanColumn::EveryRow);
    scanColumn("Scan column &once", ScanColumn::Once);
    grid_->setScanColumn(once ? ScanColumn::Once : ScanColumn::EveryRow);
    auto* focus = view->addAction("&Focus on one network");
    focus->setCheckable(true);
    focus->setShortcut(QKeySequence(Qt::Key_F));
    focus->setToolTip("One network's scan and maps, large (the focused cell's network)");
    connect(focus, &QAction::toggled, grid_, &ComparisonGrid::setFocusMode);
    view->addAction("&Next network in focus", QKeySequence(Qt::Key_BracketRight), grid_,
                    [this] { grid_->stepFocusRow(1); });
    view->addAction("&Previous network in focus", QKeySequence(Qt::Key_BracketLeft), grid_,
                    [this] { grid_->stepFocusRow(-1); });
}

void MainWindow::buildToolBar() {
    QToolBar* bar = addToolBar("Display");
    if (auto* view = menuBar()->findChild<QMenu*>("viewMenu"))
        view->insertAction(view->actions().value(3), bar->toggleViewAction());  // after the docks
    bar->setObjectName("display");
    bar->addWidget(new QLabel(" Explain "));
    targetClass_ = new QComboBox;
    targetClass_->setToolTip("The class the maps explain: each network's prediction, or one class for all");
    targetClass_->addItem("predicted class");
    bar->addWidget(targetClass_);
    connect(targetClass_, &QComboBox::currentIndexChanged, this,
            [this](int index) { gridPresenter_->setTargetClass(index - 1); });  // 0: predicted (-1)
    bar->addWidget(new QLabel("  Colour map "));
    colourMap_ = new QComboBox;
    for (const auto map : explain::colourMaps())
        colourMap_->addItem(QString::fromStdString(explain::colourMapName(map)));
    bar->addWidget(colourMap_);
    bar->addWidget(new QLabel("  Opacity "));
    opacity_ = new QSlider(Qt::Horizontal);
    opacity_->setObjectName("opacity");
    opacity_->setRange(0, 100);
    opacity_->setValue(50);
    opacity_->setMaximumWidth(120);
    bar->addWidget(opacity_);
    bar->addWidget(new QLabel("  Contour at "));
    contourLevel_ = new QSpinBox;
    contourLevel_->setObjectName("contourLevel");
    contourLevel_->setRange(5, 95);
    contourLevel_->setSingleStep(5);
    contourLevel_->setSuffix(" %");
    contourLevel_->setValue(50);
    bar->addWidget(contourLevel_);
    bar->addSeparator();
    bar->addAction(centreAction_);
    bar->addAction(contourAction_);
    bar->addAction(maskAction_);
    bar->addSeparator();
    windowControls_ = new WindowLevelControls;
    bar->addWidget(windowControls_);
    const auto update = [this] { gridPresenter_->setDisplay(displayOptions()); };
    connect(colourMap_, &QComboBox::currentIndexChanged, this, update);
    connect(opacity_, &QSlider::valueChanged, this, update);
    connect(contourLevel_, &QSpinBox::valueChanged, this, update);
}

DisplayOptions MainWindow::displayOptions() const {
    DisplayOptions d;
    d.colourMap = explain::colourMaps().at(static_cast<size_t>(std::max(0, colourMap_->currentIndex())));
    d.heatmapOpacity = opacity_->value() / 100.0;
    d.contourLevel = contourLevel_->value() / 100.0;
    d.thresholdContour = contourAction_->isChecked();
    d.centreMarker = centreAction_->isChecked();
    d.maskOutline = maskAction_->isChecked();
    d.sharedScale = sharedScaleAction_->isChecked();
    return d;
}

void MainWindow::showShortcuts() {
    QMessageBox::information(
        this, "Keyboard shortcuts",
        "<table cellspacing=6>"
        "<tr><td><b>N</b>, <b>Space</b></td><td>next scan (that passes the filters)</td></tr>"
        "<tr><td><b>P</b></td><td>previous scan</td></tr>"
        "<tr><td><b>R</b></td><td>next map in the review queue (Go &gt; Review queue order)</td></tr>"
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
        "<tr><td><b>L</b>, then click or drag</td><td>mark the lesion's centre or a box round it (scans "
        "without a mask); <b>Shift+L</b> removes your mark</td></tr>"
        "<tr><td><b>C</b> / <b>X</b>, then <b>1</b>-<b>5</b></td><td>in a reader study (Mark &gt; Reader "
        "study): correct / incorrect and confidence, in either order; then the next map</td></tr>"
        "<tr><td>arrow keys (grid focused)</td><td>move between cells</td></tr>"
        "<tr><td><b>Ctrl+Shift+N</b> / <b>Ctrl+Shift+O</b></td><td>new / open project</td></tr>"
        "<tr><td><b>M</b> / <b>T</b> / <b>O</b></td><td>centre of mass / threshold contour / mask "
        "outline</td></tr>"
        "<tr><td><b>0</b></td><td>reset zoom and pan</td></tr>"
        "<tr><td><b>F</b>, <b>[</b> / <b>]</b></td><td>focus on one network; previous / next "
        "network</td></tr>"
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

}  // namespace saliency::ui
