#include "StatisticsView.h"

#include <algorithm>
#include <cstdlib>

#include <qcustomplot.h>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ChartExport.h"
#include "ChartKind.h"
#include "ChartStyle.h"
#include "StatisticsCharts.h"
#include "StatisticsData.h"
#include "StatisticsTables.h"
#include "common/Error.h"
#include "study/AgreementTables.h"

namespace saliency::ui {

namespace {

StatisticsChart chartAt(int index) {
    if (index < 0 || index >= kStatisticsChartCount)
        throw Error("no chart number " + std::to_string(index) + " (0 to " +
                    std::to_string(kStatisticsChartCount - 1) + ")");
    return static_cast<StatisticsChart>(index);
}

QString countText(std::size_t n, const char* one, const char* many) {
    return QString("%1 %2").arg(n).arg(n == 1 ? one : many);
}

}  // namespace

StatisticsView::StatisticsView(QWidget* parent) : QWidget(parent) {
    buildUi();
    showPlaceholders("Open a project to see its statistics.");
}

StatisticsView::~StatisticsView() = default;

void StatisticsView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildHeader());
    tabs_ = new QTabWidget(this);
    tabs_->setDocumentMode(true);
    for (int i = 0; i < kStatisticsChartCount; ++i) {
        auto* plot = new QCustomPlot(tabs_);
        plot->setMinimumSize(420, 320);
        plot->setMouseTracking(true);  // tool tips over bars and cells
        connect(plot, &QCustomPlot::mousePress, this, [this, i](QMouseEvent* e) { onPlotPress(i, e); });
        connect(plot, &QCustomPlot::mouseRelease, this, [this, i](QMouseEvent* e) { onPlotRelease(i, e); });
        connect(plot, &QCustomPlot::mouseMove, this, [this, i](QMouseEvent* e) { onPlotMove(i, e); });
        connect(plot, &QCustomPlot::afterLayout, plot, [plot] { chart::applySquareAspect(*plot); });
        plot->installEventFilter(this);
        tabs_->addTab(plot, chartName(i));
        plots_.push_back(plot);
        built_.push_back(std::make_unique<BuiltChart>());
        builtWidth_.push_back(0);
    }
    layout->addWidget(tabs_, 1);
}

QWidget* StatisticsView::buildHeader() {
    auto* header = new QWidget(this);
    auto* row = new QHBoxLayout(header);
    row->setContentsMargins(0, 0, 0, 0);
    summary_ = new QLabel(header);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wrapped: a long line (many networks, annotators, a long error) must never widen the window.
    summary_->setWordWrap(true);
    row->addWidget(summary_, 1);
    annotator_ = new QComboBox(header);
    annotator_->setObjectName("verdictsOf");
    annotator_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    annotator_->setToolTip("Whose verdicts the charts and tables count (the agreement compares everyone's)");
    annotator_->addItem("Verdicts: every annotator");
    connect(annotator_, &QComboBox::activated, this, [this](int index) {
        const QVariant name = annotator_->itemData(index);
        setJudgedBy(name.isValid() ? std::optional<std::string>(name.toString().toStdString())
                                   : std::nullopt);
    });
    row->addWidget(annotator_);
    compute_ = new QToolButton(header);
    compute_->setText("Compute for the whole data set");
    compute_->setObjectName("computeStatistics");
    compute_->setToolTip(
        "Every scan x open network x shown method into the project, in the background "
        "(as saliency-cli study; resumable). Scans shown in the grid are recorded anyway. The arrow: "
        "also faithfulness or robustness (slow).");
    connect(compute_, &QToolButton::clicked, this, &StatisticsView::computeRequested);
    row->addWidget(compute_);
    auto* exportChart = new QPushButton("Export chart...", header);
    exportChart->setToolTip("Save the chart shown as PNG, SVG or PDF");
    connect(exportChart, &QPushButton::clicked, this, &StatisticsView::exportCurrentChart);
    row->addWidget(exportChart);
    row->addWidget(buildExportControls(header));
    auto* exportTables = new QPushButton("Export tables...", header);
    exportTables->setToolTip("Write the numbers of every chart as CSV files into a folder");
    connect(exportTables, &QPushButton::clicked, this, &StatisticsView::exportAllTables);
    row->addWidget(exportTables);
    return header;
}

void StatisticsView::setComputeOptions(const QList<QAction*>& options) {
    auto* menu = new QMenu(compute_);
    menu->addActions(options);
    compute_->setMenu(menu);
    compute_->setPopupMode(QToolButton::MenuButtonPopup);
}

// The paper the exports are laid out for: a journal's column widths, the PNG's DPI, the font size.
QWidget* StatisticsView::buildExportControls(QWidget* parent) {
    auto* controls = new QWidget(parent);
    auto* row = new QHBoxLayout(controls);
    row->setContentsMargins(0, 0, 0, 0);
    paperWidth_ = new QComboBox(controls);
    paperWidth_->setObjectName("exportWidth");
    paperWidth_->addItem("One column (88 mm)", ChartPaper::kOneColumnMm);
    paperWidth_->addItem("Two columns (180 mm)", ChartPaper::kTwoColumnsMm);
    paperWidth_->addItem("Free width");
    paperWidth_->setCurrentIndex(1);
    paperWidth_->setToolTip("The exported chart's width; its text keeps the size chosen in points");
    row->addWidget(paperWidth_);
    freeWidth_ = new QDoubleSpinBox(controls);
    freeWidth_->setObjectName("exportFreeWidth");
    freeWidth_->setRange(20, 1000);
    freeWidth_->setDecimals(0);
    freeWidth_->setSuffix(" mm");
    freeWidth_->setValue(ChartPaper::kTwoColumnsMm);
    freeWidth_->setEnabled(false);
    connect(paperWidth_, &QComboBox::currentIndexChanged, freeWidth_,
            [this](int index) { freeWidth_->setEnabled(!paperWidth_->itemData(index).isValid()); });
    row->addWidget(freeWidth_);
    fontPoints_ = new QDoubleSpinBox(controls);
    fontPoints_->setObjectName("exportFontPoints");
    fontPoints_->setRange(4, 24);
    fontPoints_->setDecimals(1);
    fontPoints_->setSingleStep(0.5);
    fontPoints_->setSuffix(" pt");
    fontPoints_->setValue(8);
    fontPoints_->setToolTip("Tick labels at this size; titles and labels keep their proportions");
    row->addWidget(fontPoints_);
    dpi_ = new QSpinBox(controls);
    dpi_->setObjectName("exportDpi");
    dpi_->setRange(72, 1200);
    dpi_->setSingleStep(50);
    dpi_->setValue(300);
    dpi_->setSuffix(" dpi");
    dpi_->setToolTip("The PNG's resolution (SVG and PDF are vector); the layout is the same at every DPI");
    row->addWidget(dpi_);
    return controls;
}

ChartPaper StatisticsView::exportPaper() const {
    const QVariant preset = paperWidth_->currentData();
    return {preset.isValid() ? preset.toDouble() : freeWidth_->value(), static_cast<double>(dpi_->value()),
            fontPoints_->value()};
}

// ---- loading ----

void StatisticsView::setProject(const std::filesystem::path& projectFile) {
    projectFile_ = projectFile;
    startLoad();
}

void StatisticsView::refresh() {
    if (!projectFile_.empty())
        startLoad();
}

void StatisticsView::startLoad() {
    ++generation_;
    // One job at a time: a request made while one runs waits for it and then starts, so marks made
    // in quick succession cost one or two summaries, not one each.
    if (running_)
        reloadWanted_ = true;
    else
        launch();
    updateSummary();
}

void StatisticsView::launch() {
    running_ = true;
    reloadWanted_ = false;
    const int generation = generation_;
    const std::filesystem::path file = projectFile_;
    const std::optional<std::string> judgedBy = judgedBy_;
    QPointer<StatisticsView> self(this);
    (void)QtConcurrent::run([self, file, generation, judgedBy] {
        std::shared_ptr<const StatisticsData> result;
        QString error;
        try {
            result = std::make_shared<const StatisticsData>(loadStatisticsData(file, judgedBy));
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, generation, result, error] {
                if (self)
                    self->finishLoad(generation, result, error);
            },
            Qt::QueuedConnection);
    });
}

void StatisticsView::finishLoad(int generation, std::shared_ptr<const StatisticsData> result,
                                const QString& error) {
    running_ = false;
    if (generation != generation_) {  // superseded while it ran: its numbers are stale
        if (reloadWanted_)
            launch();
        updateSummary();
        return;
    }
    if (!result) {
        data_.reset();
        showPlaceholders("Could not read the project:\n" + error);
        updateSummary();
        summary_->setText("Could not read " + QString::fromStdString(projectFile_.string()) + ": " + error);
        Q_EMIT loadFailed(error);
        return;
    }
    display(std::move(result));
}

void StatisticsView::setStatistics(std::shared_ptr<const StatisticsData> statistics) {
    if (!statistics) {
        clear();
        return;
    }
    // Given statistics win over a read still running or waiting; refresh() re-reads their project.
    ++generation_;
    reloadWanted_ = false;
    projectFile_ = statistics->rows.statistics.projectFile;
    display(std::move(statistics));
}

void StatisticsView::display(std::shared_ptr<const StatisticsData> statistics) {
    data_ = std::move(statistics);
    fillAnnotators();
    showData();
    updateSummary();
    Q_EMIT statisticsReady();
}

void StatisticsView::setJudgedBy(const std::optional<std::string>& annotator) {
    if (annotator == judgedBy_)
        return;
    judgedBy_ = annotator;
    fillAnnotators();
    refresh();
}

void StatisticsView::fillAnnotators() {
    // The project's annotators as read last; a chosen one stays listed even before it has marks.
    std::vector<std::string> names = data_ ? data_->rows.statistics.annotators : std::vector<std::string>{};
    if (judgedBy_ && std::find(names.begin(), names.end(), *judgedBy_) == names.end())
        names.push_back(*judgedBy_);
    const QSignalBlocker blocker(annotator_);
    annotator_->clear();
    annotator_->addItem("Verdicts: every annotator");
    for (const auto& name : names) {
        annotator_->addItem(QString("Verdicts: %1").arg(QString::fromStdString(study::annotatorLabel(name))),
                            QString::fromStdString(name));
        if (judgedBy_ && *judgedBy_ == name)
            annotator_->setCurrentIndex(annotator_->count() - 1);
    }
    annotator_->setEnabled(names.size() > 1 || judgedBy_.has_value());
}

void StatisticsView::clear() {
    ++generation_;  // a read still running or waiting is no longer wanted
    reloadWanted_ = false;
    projectFile_.clear();
    data_.reset();
    showPlaceholders("Open a project to see its statistics.");
    updateSummary();
}

void StatisticsView::showData() {
    for (int i = 0; i < kStatisticsChartCount; ++i)
        rebuildChart(i);
}

void StatisticsView::rebuildChart(int index) {
    const auto i = static_cast<std::size_t>(index);
    builtWidth_[i] = plots_[i]->width();
    if (data_)
        *built_[i] = buildChart(*plots_[i], chartAt(index), *data_);
    plots_[i]->replot(QCustomPlot::rpQueuedReplot);
}

bool StatisticsView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize && data_) {
        // Titles are wrapped to the plot's width when built: build again when it changed much.
        const auto it = std::find(plots_.begin(), plots_.end(), watched);
        if (it != plots_.end()) {
            const auto i = static_cast<std::size_t>(it - plots_.begin());
            if (std::abs((*it)->width() - builtWidth_[i]) > 40)
                rebuildChart(static_cast<int>(i));
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StatisticsView::showPlaceholders(const QString& message) {
    for (int i = 0; i < kStatisticsChartCount; ++i) {
        chart::showMessage(*plots_[static_cast<std::size_t>(i)], ui::chartTitle(chartAt(i)), message);
        *built_[static_cast<std::size_t>(i)] = BuiltChart{};
        plots_[static_cast<std::size_t>(i)]->replot(QCustomPlot::rpQueuedReplot);
    }
}

void StatisticsView::updateSummary() {
    QString text;
    if (data_) {
        const auto& s = data_->rows.statistics;
        text =
            QString("%1 · %2 · %3 · %4 · %5")
                .arg(QString::fromStdString(std::filesystem::path(s.projectFile).filename().string()),
                     countText(s.models.size(), "network", "networks"), countText(s.scans, "scan", "scans"),
                     countText(s.maps, "map", "maps"), countText(s.annotations, "annotation", "annotations"));
        // Two annotators: how far beyond chance they agree, pooled over the maps both judged. Three
        // or more: everyone together below (each pair is in the report: n readers make n(n-1)/2).
        for (const auto& a : s.annotatorAgreement) {
            if (!a.pooled() || s.annotators.size() > 2)
                continue;
            text += QString(" · %1 vs %2: ")
                        .arg(QString::fromStdString(study::annotatorLabel(a.first)),
                             QString::fromStdString(study::annotatorLabel(a.second)));
            text += a.kappa ? QString("Cohen's κ %1 [%2, %3], n = %4")
                                  .arg(a.kappa->kappa, 0, 'f', 2)
                                  .arg(a.kappa->low, 0, 'f', 2)
                                  .arg(a.kappa->high, 0, 'f', 2)
                                  .arg(a.maps)
                            : QString("κ undefined (%1 maps both judged)").arg(a.maps);
        }
        const auto group = [&](const QString& name, const std::optional<metrics::AgreementEstimate>& e) {
            if (e)
                text += QString(" · %1 %2 [%3, %4], n = %5")
                            .arg(name)
                            .arg(e->value, 0, 'f', 2)
                            .arg(e->low, 0, 'f', 2)
                            .arg(e->high, 0, 'f', 2)
                            .arg(e->units);
        };
        group(QString("all %1: Fleiss' κ").arg(s.annotators.size()), s.fleissKappa);
        group("Krippendorff's α", s.krippendorffAlpha);
    } else if (!projectFile_.empty()) {
        text = QString::fromStdString(projectFile_.filename().string());
    }
    if (running_)
        text += text.isEmpty() ? "Computing statistics..." : "  (computing...)";
    summary_->setText(text);
}

// ---- charts ----

int StatisticsView::chartCount() {
    return kStatisticsChartCount;
}

QString StatisticsView::chartName(int index) {
    return ui::chartTitle(chartAt(index));
}

QString StatisticsView::chartFileStem(int index) {
    return QString::fromStdString(ui::chartFileStem(chartAt(index)));
}

int StatisticsView::currentChart() const {
    return tabs_->currentIndex();
}

void StatisticsView::setCurrentChart(int index) {
    tabs_->setCurrentIndex(static_cast<int>(chartAt(index)));
}

QCustomPlot* StatisticsView::plot(int index) const {
    return plots_.at(static_cast<std::size_t>(chartAt(index)));
}

QPointF StatisticsView::targetCentre(int index, const QString& model, const QString& method,
                                     const QString& other) const {
    for (const auto& t : built_.at(static_cast<std::size_t>(chartAt(index)))->targets) {
        if (QString::fromStdString(t.model) != model || QString::fromStdString(t.method) != method ||
            QString::fromStdString(t.other) != other)
            continue;
        QCPAxis* x = t.rect->axis(QCPAxis::atBottom);
        QCPAxis* y = t.rect->axis(QCPAxis::atLeft);
        const QPointF at = t.isPoint ? t.at : t.area.center();
        const double value = std::clamp(at.y(), y->range().lower, y->range().upper);
        return {x->coordToPixel(at.x()), y->coordToPixel(value)};
    }
    return {};
}

void StatisticsView::onPlotPress(int, QMouseEvent* event) {
    pressedAt_ = event->pos();
}

void StatisticsView::onPlotRelease(int index, QMouseEvent* event) {
    if (!data_ || event->button() != Qt::LeftButton || (event->pos() - pressedAt_).manhattanLength() > 4)
        return;
    const ChartTarget* target = targetAt(built_[static_cast<std::size_t>(index)]->targets, event->position());
    if (!target)
        return;
    const ScanFilter f = filterFor(*data_, *target);
    Q_EMIT filterRequested(f.model, f.method, f.otherModel, f.otherMethod, f.scans);
}

void StatisticsView::onPlotMove(int index, QMouseEvent* event) {
    QCustomPlot* plot = plots_[static_cast<std::size_t>(index)];
    const ChartTarget* target = targetAt(built_[static_cast<std::size_t>(index)]->targets, event->position());
    plot->setCursor(target ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (target)
        QToolTip::showText(event->globalPosition().toPoint(), target->toolTip, plot);
    else
        QToolTip::hideText();
}

// ---- export ----

void StatisticsView::exportChart(int index, const QString& file, const ChartPaper& paper) const {
    if (!data_)
        throw Error("no statistics to export yet: open a project first");
    ui::exportChart(chartAt(index), *data_, file.toStdString(), paper);
}

QStringList StatisticsView::exportTables(const QString& folder) const {
    if (!data_)
        throw Error("no statistics to export yet: open a project first");
    QStringList files;
    for (const auto& f : writeStatisticsTables(*data_, folder.toStdString()))
        files << QString::fromStdString(f.string());
    return files;
}

void StatisticsView::exportCurrentChart() {
    const QString file =
        QFileDialog::getSaveFileName(this, "Export chart", chartFileStem(currentChart()) + ".png",
                                     "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)");
    if (file.isEmpty())
        return;
    try {
        exportChart(currentChart(), file, exportPaper());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Export chart", QString::fromStdString(e.what()));
    }
}

void StatisticsView::exportAllTables() {
    const QString folder = QFileDialog::getExistingDirectory(this, "Export tables into folder");
    if (folder.isEmpty())
        return;
    try {
        const QStringList files = exportTables(folder);
        QMessageBox::information(this, "Export tables",
                                 QString("Wrote %1 CSV files to %2").arg(files.size()).arg(folder));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Export tables", QString::fromStdString(e.what()));
    }
}

}  // namespace saliency::ui
