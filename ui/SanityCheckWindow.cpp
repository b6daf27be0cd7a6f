#include "SanityCheckWindow.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include "ExplanationService.h"
#include "ImageConversion.h"
#include "SanityChart.h"
#include "jobs/SanityJob.h"
#include "saliency/SanityStrip.h"

namespace saliency::ui {

namespace {

SanityChartData chartData(const explain::SanityTable& table) {
    SanityChartData data{.cascading = table.cascading, .threshold = explain::kDefaultSanityThreshold};
    for (const auto& stage : table.stages)
        data.stages << QString::fromStdString(stage);
    const auto all = explain::allMethods();
    for (const auto& series : table.methods) {
        const auto place = std::find(all.begin(), all.end(), series.method) - all.begin();
        data.curves.push_back({.method = explain::methodName(series.method),
                               .colour = static_cast<std::size_t>(place),
                               .spearman = series.meanSpearman(),
                               .ssim = series.meanSsim()});
    }
    return data;
}

}  // namespace

SanityCheckWindow::SanityCheckWindow(ExplanationService& service, QWidget* parent)
    : QWidget(parent, Qt::Window), service_(service), job_(std::make_unique<SanityJob>()) {
    setWindowTitle("Sanity check: model randomisation");
    network_ = new QComboBox;
    network_->setMinimumContentsLength(18);
    mode_ = new QComboBox;
    mode_->addItem("cascading (head first, blocks accumulate)");
    mode_->addItem("independent (one block at a time)");
    run_ = new QPushButton("&Run");
    status_ = new QLabel;
    status_->setWordWrap(true);
    verdicts_ = new QLabel;
    verdicts_->setWordWrap(true);
    verdicts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    strip_ = new QLabel;
    strip_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    auto* stripScroll = new QScrollArea;
    stripScroll->setWidget(strip_);
    stripScroll->setWidgetResizable(true);
    stripScroll->setMinimumHeight(300);
    chart_ = new QCustomPlot;
    chart_->setMinimumHeight(280);
    buildSanityChart(*chart_, {});

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel("Network:"));
    controls->addWidget(network_);
    controls->addWidget(mode_);
    controls->addWidget(run_);
    controls->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(status_);
    layout->addWidget(stripScroll, 3);
    layout->addWidget(chart_, 2);
    layout->addWidget(verdicts_);
    resize(1100, 900);

    connect(run_, &QPushButton::clicked, this, [this] { run(); });
    connect(job_.get(), &SanityJob::finished, this, &SanityCheckWindow::showReport, Qt::QueuedConnection);
    refreshNetworks();
}

SanityCheckWindow::~SanityCheckWindow() = default;

void SanityCheckWindow::setScan(const QString& name, const cv::Mat& rgb) {
    scanName_ = name;
    rgb_ = rgb;
    if (!isRunning())
        status_->setText(rgb.empty() ? "No scan: open a data set and choose a scan."
                                     : QString("Scan: %1. Choose a network and press Run.").arg(name));
}

void SanityCheckWindow::refreshNetworks() {
    const int chosen = network_->currentData().toInt();
    network_->clear();
    for (const auto& m : service_.models())
        network_->addItem(service_.modelName(m.id), m.id);
    if (const int i = network_->findData(chosen); i >= 0)
        network_->setCurrentIndex(i);
}

void SanityCheckWindow::chooseNetwork(int modelId) {
    if (const int i = network_->findData(modelId); i >= 0)
        network_->setCurrentIndex(i);
}

void SanityCheckWindow::setIndependent(bool independent) {
    mode_->setCurrentIndex(independent ? 1 : 0);
}

bool SanityCheckWindow::run() {
    if (isRunning()) {
        status_->setText("A check is running; wait for it to finish.");
        return false;
    }
    if (rgb_.empty()) {
        status_->setText("No scan: open a data set and choose a scan.");
        return false;
    }
    const int modelId = network_->currentData().toInt();
    const auto session = [&]() -> std::shared_ptr<const explain::ModelSession> {
        for (const auto& m : service_.models())
            if (m.id == modelId)
                return m.session;
        return nullptr;
    }();
    if (!session) {
        status_->setText("No network: open a model (Ctrl+M) first.");
        return false;
    }
    explain::SanityRequest request;
    request.cascading = mode_->currentIndex() == 0;
    checkedRgb_ = rgb_;
    job_->start(session, rgb_, request, modelId);
    run_->setEnabled(false);
    status_->setText(
        QString("Randomising %1's blocks one after another on %2 (a copy: the network in the grid "
                "is not changed)...")
            .arg(service_.modelName(modelId), scanName_));
    return true;
}

bool SanityCheckWindow::isRunning() const {
    return job_->isRunning();
}

bool SanityCheckWindow::wait(int milliseconds) {
    return job_->wait(milliseconds);
}

QString SanityCheckWindow::verdictText() const {
    return verdicts_->text();
}

QImage SanityCheckWindow::stripImage() const {
    return strip_->pixmap().toImage();
}

void SanityCheckWindow::showReport(int modelId, std::shared_ptr<const explain::SanityReport> report,
                                   const QString& error) {
    run_->setEnabled(true);
    if (!report) {
        status_->setText("The check failed: " + error);
        return;
    }
    report_ = std::move(report);
    const QString name = service_.modelName(modelId);
    status_->setText(QString("%1 on %2: each row is a method, each column a stage of randomisation "
                             "(the maps as compared: CAM family as is, gradients as max |.| over channels).")
                         .arg(name, scanName_));
    strip_->setPixmap(
        QPixmap::fromImage(toQImage(explain::sanityStrip(checkedRgb_, report_->columns, report_->rows))));
    buildSanityChart(*chart_, chartData(report_->table));
    chart_->replot();
    QStringList lines;
    std::vector<explain::Method> failing;
    for (const auto& series : report_->table.methods) {
        const auto verdict = series.verdict();
        if (verdict.defined && !verdict.passes)
            failing.push_back(series.method);
        lines << QString("<b>%1</b>: %2%3")
                     .arg(QString::fromStdString(explain::methodTitle(series.method)),
                          QString::fromStdString(explain::sanityVerdictName(verdict)),
                          verdict.defined ? QString(" (mean SSIM over the first two stages %1)")
                                                .arg(verdict.meanSsim, 0, 'f', 2)
                                          : QString());
    }
    lines << "Rule: a method " + QString::fromStdString(explain::sanityRule()) + " (Adebayo et al. 2018).";
    lines << "<br><b>Random-logit test</b> (Sixt et al. 2020): the same map for another class.";
    for (const auto& m : report_->randomLogit) {
        const auto verdict = explain::randomLogitVerdict(m.ssim);
        lines << QString("<b>%1</b>: %2%3")
                     .arg(QString::fromStdString(explain::methodTitle(m.method)),
                          QString::fromStdString(explain::sanityVerdictName(verdict)),
                          verdict.defined ? QString(" (SSIM %1)").arg(verdict.meanSsim, 0, 'f', 2) : QString());
    }
    lines << "Rule: a method " + QString::fromStdString(explain::randomLogitRule()) + ".";
    verdicts_->setText(lines.join("<br>"));
    Q_EMIT checked(modelId, failing);
}

}  // namespace saliency::ui
