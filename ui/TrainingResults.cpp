#include "TrainingResults.h"

#include <algorithm>

#include <qcustomplot.h>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ChartStyle.h"

namespace saliency::ui {

namespace {

QString name(const std::vector<std::string>& classes, int index) {
    return index >= 0 && index < static_cast<int>(classes.size())
               ? QString::fromStdString(classes[static_cast<size_t>(index)])
               : QString::number(index);
}

// The class whose one-vs-rest ROC is drawn for two classes: the first (the Kaggle layout's
// "Brain Tumor"); with more classes every curve is drawn.
std::vector<int> rocClasses(const Evaluation& evaluation) {
    std::vector<int> out;
    const int classes = static_cast<int>(evaluation.roc.size());
    for (int c = 0; c < (classes == 2 ? 1 : classes); ++c)
        if (evaluation.roc[static_cast<size_t>(c)].defined)
            out.push_back(c);
    return out;
}

// Cell shading from white to Tol's blue by the share of the true class's row.
QColor shade(double share) {
    const QColor full("#4477AA");
    const auto mix = [&](int a, int b) {
        return static_cast<int>(a + (b - a) * std::clamp(share, 0.0, 1.0));
    };
    return QColor(mix(255, full.red()), mix(255, full.green()), mix(255, full.blue()));
}

}  // namespace

QString describeTraining(const TrainResult& result, const std::vector<std::string>& classes) {
    QString text;
    if (result.test) {
        const auto& e = result.test->evaluation;
        text = QString("Test accuracy %1% (%2 scans), macro F1 %3")
                   .arg(100.0 * e.accuracy, 0, 'f', 1)
                   .arg(e.images)
                   .arg(e.macroF1, 0, 'f', 3);
        for (const int c : rocClasses(e))
            text += QString(", AUC %1 (%2)")
                        .arg(e.roc[static_cast<size_t>(c)].auc, 0, 'f', 3)
                        .arg(name(classes, c));
        text += "; ";
    } else if (result.cancelled) {
        text = "Cancelled: no test evaluation; ";
    } else {
        text = "The split has no test part; ";
    }
    if (result.bestEpoch > 0)
        text += QString("best epoch %1 of %2").arg(result.bestEpoch).arg(result.history.size());
    else
        text += "no epoch completed";
    if (result.stoppedEarly)
        text += " (stopped early)";
    return text + "; " + QString::fromStdString(result.device);
}

TrainingResults::TrainingResults(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel(this);
    summary_->setObjectName("trainingSummary");
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    confusion_ = new QTableWidget(this);
    confusion_->setObjectName("confusionMatrix");
    confusion_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    confusion_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    confusion_->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    roc_ = new QCustomPlot(this);
    roc_->setObjectName("rocCurve");
    roc_->setMinimumSize(260, 240);

    misclassified_ = new QTreeWidget(this);
    misclassified_->setObjectName("misclassified");
    misclassified_->setHeaderLabels({"misclassified test scan", "true class", "predicted", "probability"});
    misclassified_->setRootIsDecorated(false);
    misclassified_->setSortingEnabled(true);
    misclassified_->setToolTip("Double-click a scan to show it in the browser and the grid");
    connect(misclassified_, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem* item) { Q_EMIT scanRequested(item->data(0, Qt::UserRole).toString()); });

    auto* confusionBox = new QWidget(this);
    auto* confusionLayout = new QVBoxLayout(confusionBox);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    auto* confusionTitle =
        new QLabel("<b>Confusion matrix</b> (rows: true class, columns: predicted)", confusionBox);
    confusionLayout->addWidget(confusionTitle);
    confusionLayout->addWidget(confusion_);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(confusionBox);
    top->addWidget(roc_);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    top->setSizes({360, 540});
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(misclassified_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);
    clear();
}

void TrainingResults::clear() {
    summary_->setText("No results yet: they appear here when a run ends.");
    confusion_->clear();
    confusion_->setRowCount(0);
    confusion_->setColumnCount(0);
    misclassified_->clear();
    chart::showMessage(*roc_, "ROC curve", "no test evaluation yet");
    roc_->replot();
}

void TrainingResults::setResult(const TrainResult& result, const std::vector<std::string>& classes) {
    clear();
    QString text = describeTraining(result, classes);
    if (result.test) {
        const auto& e = result.test->evaluation;
        text += "<br>";
        for (size_t c = 0; c < e.perClass.size(); ++c) {
            const auto& m = e.perClass[c];
            text += QString("%1: precision %2, recall %3, F1 %4 (%5 scans)%6")
                        .arg(name(classes, static_cast<int>(c)).toHtmlEscaped())
                        .arg(m.precision, 0, 'f', 3)
                        .arg(m.recall, 0, 'f', 3)
                        .arg(m.f1, 0, 'f', 3)
                        .arg(m.support)
                        .arg(c + 1 < e.perClass.size() ? "; " : "");
        }
        showConfusion(e, classes);
        showRoc(e, classes);
        showMisclassified(*result.test, classes);
    }
    if (!result.checkpoint.empty())
        text += "<br>Checkpoint: " + QString::fromStdString(result.checkpoint.string()).toHtmlEscaped();
    summary_->setText(text);
}

void TrainingResults::showConfusion(const Evaluation& evaluation, const std::vector<std::string>& classes) {
    const int n = evaluation.confusion.classes;
    confusion_->setRowCount(n);
    confusion_->setColumnCount(n);
    QStringList labels;
    for (int c = 0; c < n; ++c)
        labels << name(classes, c);
    confusion_->setHorizontalHeaderLabels(labels);
    confusion_->setVerticalHeaderLabels(labels);
    for (int actual = 0; actual < n; ++actual) {
        std::int64_t row = 0;
        for (int predicted = 0; predicted < n; ++predicted)
            row += evaluation.confusion.at(actual, predicted);
        for (int predicted = 0; predicted < n; ++predicted) {
            const auto count = evaluation.confusion.at(actual, predicted);
            const double share = row > 0 ? static_cast<double>(count) / static_cast<double>(row) : 0.0;
            auto* item = new QTableWidgetItem(QString("%1\n%2%").arg(count).arg(100.0 * share, 0, 'f', 1));
            item->setTextAlignment(Qt::AlignCenter);
            item->setBackground(shade(share));
            item->setForeground(share > 0.55 ? Qt::white : Qt::black);
            confusion_->setItem(actual, predicted, item);
        }
    }
}

void TrainingResults::showRoc(const Evaluation& evaluation, const std::vector<std::string>& classes) {
    const auto drawn = rocClasses(evaluation);
    if (drawn.empty()) {
        chart::showMessage(*roc_, "ROC curve", "undefined: the test part has one class only");
        roc_->replot();
        return;
    }
    chart::reset(*roc_);
    chart::addTitle(*roc_, "ROC curve (test part)", "one class against the rest");
    const auto panels = chart::addPanels(*roc_, {QString()}, 1, false);
    QCPAxisRect* rect = panels.rects.front();
    auto* legend = chart::addLegend(*roc_, 1);
    auto* chance = roc_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    chance->setData(QVector<double>{0, 1}, QVector<double>{0, 1});
    chance->setPen(QPen(QColor(150, 150, 150), 1, Qt::DashLine));
    chance->setName("chance");
    for (size_t i = 0; i < drawn.size(); ++i) {
        const auto& curve = evaluation.roc[static_cast<size_t>(drawn[i])];
        auto* graph = roc_->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        graph->setData(QVector<double>(curve.falsePositiveRate.begin(), curve.falsePositiveRate.end()),
                       QVector<double>(curve.truePositiveRate.begin(), curve.truePositiveRate.end()), true);
        graph->setPen(QPen(chart::networkColour(i), 2.0));
        graph->setName(QString("%1 (AUC %2)").arg(name(classes, drawn[i])).arg(curve.auc, 0, 'f', 3));
        graph->addToLegend(legend);
    }
    chance->addToLegend(legend);
    rect->axis(QCPAxis::atBottom)->setRange(0, 1);
    rect->axis(QCPAxis::atLeft)->setRange(0, 1);
    rect->axis(QCPAxis::atBottom)->setLabel("false positive rate");
    rect->axis(QCPAxis::atLeft)->setLabel("true positive rate");
    roc_->replot();
}

void TrainingResults::showMisclassified(const EvaluationResult& test,
                                        const std::vector<std::string>& classes) {
    misclassified_->setSortingEnabled(false);
    for (const auto& p : test.predictions) {
        if (p.correct())
            continue;
        const QString path = QString::fromStdString(p.file.generic_string());
        const float probability =
            p.predictedClass >= 0 && p.predictedClass < static_cast<int>(p.probabilities.size())
                ? p.probabilities[static_cast<size_t>(p.predictedClass)]
                : 0.0f;
        auto* item = new QTreeWidgetItem(misclassified_,
                                         {path, name(classes, p.trueClass), name(classes, p.predictedClass),
                                          QString::number(static_cast<double>(probability), 'f', 3)});
        item->setData(0, Qt::UserRole, path);
    }
    misclassified_->setSortingEnabled(true);
    misclassified_->sortByColumn(3, Qt::DescendingOrder);  // the most confident mistakes first
    misclassified_->resizeColumnToContents(0);
}

}  // namespace saliency::ui
