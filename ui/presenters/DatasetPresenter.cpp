#include "DatasetPresenter.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgcodecs.hpp>

#include "io/MaskReader.h"

#include "CellRendering.h"
#include "ExplanationService.h"
#include "PredictionStyle.h"
#include "ScanBrowser.h"
#include "io/ScanReader.h"

namespace saliency::ui {

DatasetPresenter::DatasetPresenter(ScanBrowser& browser, ExplanationService& service, QObject* parent)
    : QObject(parent), browser_(browser), service_(service) {
    connect(&watcher_, &QFutureWatcher<std::shared_ptr<const Dataset>>::finished, this, [this] {
        std::optional<Split> split;
        if (!splitFile_.isEmpty()) {
            try {
                split = loadSplit(splitFile_.toStdString());
            } catch (const std::exception& e) {
                Q_EMIT error("Cannot open split", QString::fromStdString(e.what()));
            }
        }
        show(watcher_.result(), std::move(split));
    });
    connect(&browser_, &ScanBrowser::scanSelected, this, &DatasetPresenter::onScanSelected);
    connect(&service_, &ExplanationService::predicted, this, &DatasetPresenter::onPredicted);
    connect(&service_, &ExplanationService::classificationProgress, this,
            &DatasetPresenter::onClassificationProgress);
}

DatasetPresenter::~DatasetPresenter() {
    watcher_.waitForFinished();
}

void DatasetPresenter::open(const QString& folder, const QString& splitFile) {
    Q_EMIT status("Scanning " + folder + " ...", 0);
    splitFile_ = splitFile;
    const std::filesystem::path root = folder.toStdString();
    // Scanning decodes every file: seconds for thousands of scans, so never on the GUI thread.
    watcher_.setFuture(QtConcurrent::run([root]() -> std::shared_ptr<const Dataset> {
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

void DatasetPresenter::openSplit(const QString& splitFile) {
    if (dataset_)
        open(QString::fromStdString(dataset_->root.string()), splitFile);
}

void DatasetPresenter::show(std::shared_ptr<const Dataset> dataset, std::optional<Split> split) {
    if (dataset->classes.empty()) {
        const QString reason =
            QString::fromStdString(dataset->skipped.empty() ? "unknown error" : dataset->skipped[0].reason);
        Q_EMIT status("Could not open the data set", 0);
        Q_EMIT error("Cannot open data set", reason);
        Q_EMIT loaded(false);
        return;
    }
    dataset_ = std::move(dataset);
    split_ = std::move(split);
    currentIndex_ = -1;
    current_.reset();
    ++decodeRequest_;                       // a decode of the old data set still in flight is not shown
    browser_.setDataset(dataset_, split_);  // selects the first scan, if there is one
    if (currentIndex_ < 0)
        Q_EMIT currentChanged();  // no readable scan: nothing of the old data set stays on screen
    Q_EMIT status(QString("%1: %2 scans in %3 classes, %4 skipped")
                      .arg(QString::fromStdString(dataset_->root.filename().string()))
                      .arg(dataset_->items.size())
                      .arg(dataset_->classes.size())
                      .arg(dataset_->skipped.size()),
                  5000);
    classify();
    Q_EMIT loaded(true);
}

QString DatasetPresenter::scanKey(int index) const {
    if (!dataset_ || index < 0 || index >= static_cast<int>(dataset_->items.size()))
        return {};
    return QString::fromStdString(dataset_->items[static_cast<size_t>(index)].relativePath.generic_string());
}

QString DatasetPresenter::trueClass(int index) const {
    const auto& item = dataset_->items[static_cast<size_t>(index)];
    return QString::fromStdString(dataset_->classes[static_cast<size_t>(item.label)]);
}

bool DatasetPresenter::selectScan(const QString& relativePath) {
    if (!dataset_)
        return false;
    for (size_t i = 0; i < dataset_->items.size(); ++i)
        if (scanKey(static_cast<int>(i)) == relativePath)
            return browser_.selectIndex(static_cast<int>(i));
    return false;
}

bool DatasetPresenter::selectNext() {
    return browser_.selectNext();
}

std::vector<int> DatasetPresenter::selectedIndices() const {
    return browser_.selectedIndices();
}

// ---- the selected scan ------------------------------------------------------------------------

void DatasetPresenter::onScanSelected(int index) {
    if (!dataset_ || index == currentIndex_)
        return;
    currentIndex_ = index;
    Q_EMIT selectionStarted(index);
    const int request = ++decodeRequest_;
    const auto& item = dataset_->items[static_cast<size_t>(index)];
    const std::filesystem::path file = dataset_->absolute(item);
    const std::optional<std::filesystem::path> mask =
        item.maskPath ? std::optional(dataset_->root / *item.maskPath) : std::nullopt;
    QPointer<DatasetPresenter> self(this);
    (void)QtConcurrent::run([self, request, index, file, mask] {
        auto scan = std::make_shared<CurrentScan>();
        scan->index = index;
        QString error;
        try {
            scan->scan = readScan(file);
            scan->base = displayBase(scan->scan.rgb);
            if (mask)
                scan->mask = readMask(*mask);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, request, scan, error] {
                if (self)
                    self->showDecoded(request, scan, error);
            },
            Qt::QueuedConnection);
    });
}

void DatasetPresenter::showDecoded(int request, std::shared_ptr<CurrentScan> scan, const QString& error) {
    if (request != decodeRequest_)
        return;  // the user moved on
    unreadable_ = error;
    if (!error.isEmpty()) {
        current_.reset();
        Q_EMIT currentChanged();
        Q_EMIT status("Cannot show " + scanKey(scan->index) + ": " + error, 0);
        return;
    }
    current_ = std::move(scan);
    Q_EMIT currentChanged();
    Q_EMIT scanShown(current_->index);
}

// ---- classification and the browser -----------------------------------------------------------

void DatasetPresenter::classify() {
    if (!dataset_ || service_.models().empty())
        return;
    std::vector<std::pair<QString, std::string>> scans;
    for (size_t i = 0; i < dataset_->items.size(); ++i)
        scans.emplace_back(scanKey(static_cast<int>(i)), dataset_->absolute(dataset_->items[i]).string());
    service_.classify(scans);
}

void DatasetPresenter::reclassify() {
    browser_.clearPredictions();
    classify();
}

void DatasetPresenter::showKnownPredictions() {
    browser_.clearPredictions();
    for (size_t i = 0; dataset_ && i < dataset_->items.size(); ++i)
        if (!service_.models().empty())
            onPredicted(scanKey(static_cast<int>(i)), service_.models().front().id);
}

void DatasetPresenter::onPredicted(const QString& key, int modelId) {
    if (!dataset_ || service_.models().empty() || service_.models().front().id != modelId)
        return;  // the browser shows the first network's verdict
    const auto p = service_.prediction(key, modelId);
    if (!p)
        return;
    for (size_t i = 0; i < dataset_->items.size(); ++i) {
        if (scanKey(static_cast<int>(i)) != key)
            continue;
        const bool right = p->classIndex == dataset_->items[i].label;
        const auto* session = service_.session(modelId);
        const QString name =
            QString::fromStdString(session->info().classes.at(static_cast<size_t>(p->classIndex)));
        const QString probability = probabilityText(p->probabilities.at(static_cast<size_t>(p->classIndex)));
        browser_.setPrediction(
            static_cast<int>(i), right ? Verdict::Right : Verdict::Wrong,
            QString("%1 %2").arg(right ? QChar(0x2713) : QChar(0x2717)).arg(probability),
            QString("%1 predicts %2 (%3)").arg(service_.modelName(modelId), name, probability));
        return;
    }
}

void DatasetPresenter::onClassificationProgress(int done, int total) {
    if (total > 0 && done < total)
        Q_EMIT status(QString("Classifying the data set: %1 of %2").arg(done).arg(total), 0);
    else if (total > 0)
        Q_EMIT status(QString("Classified %1 scans").arg(total), 4000);
}

void DatasetPresenter::narrowTo(const QString& model, const QString& method, const QString& otherModel,
                                const QString& otherMethod, const QStringList& scans) {
    QStringList what{model, method};
    if (!otherModel.isEmpty() && otherModel != model)
        what << "vs " + otherModel;
    if (!otherMethod.isEmpty() && otherMethod != method)
        what << "vs " + otherMethod;
    what.removeAll(QString());
    browser_.setSubset(std::set<QString>(scans.begin(), scans.end()), what.join(' '));
}

void DatasetPresenter::showAllScans() {
    browser_.setSubset(std::nullopt);
}

void DatasetPresenter::setMarked(const std::set<QString>& markedScans) {
    if (!dataset_)
        return;
    std::vector<bool> flags(dataset_->items.size());
    for (size_t i = 0; i < flags.size(); ++i)
        flags[i] = markedScans.count(scanKey(static_cast<int>(i))) > 0;
    browser_.setMarked(flags);
}

}  // namespace saliency::ui
