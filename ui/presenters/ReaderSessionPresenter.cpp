#include "ReaderSessionPresenter.h"

#include <filesystem>
#include <map>

#include <QApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include "ExplanationService.h"
#include "ProjectSession.h"
#include "io/MaskReader.h"
#include "io/ScanReader.h"
#include "saliency/Method.h"
#include "study/ReportText.h"

namespace saliency::ui {

ReaderSessionPresenter::ReaderSessionPresenter(ProjectSession& project, ExplanationService& service,
                                               QObject* parent)
    : QObject(parent), project_(project), service_(service) {
    connect(&service_, &ExplanationService::explained, this,
            [this](const QString& scanKey, int modelId, double) { onExplained(scanKey, modelId); });
    connect(&service_, &ExplanationService::failed, this, &ReaderSessionPresenter::onFailed);
}

bool ReaderSessionPresenter::start(std::int64_t sessionId) {
    session_.reset();
    current_.reset();
    for (const auto& s : project_.readerSessions())
        if (s.id == sessionId)
            session_ = s;
    if (!session_) {
        Q_EMIT failed("There is no reader session " + QString::number(sessionId) + " in the project.");
        return false;
    }
    items_ = project_.readerItems(sessionId);
    current_ = study::nextUnjudged(items_);
    if (!current_) {
        Q_EMIT itemChanged();
        Q_EMIT finished();
        return true;
    }
    showItem();
    return true;
}

std::size_t ReaderSessionPresenter::judged() const {
    std::size_t n = 0;
    for (const auto& item : items_)
        n += item.verdict ? 1 : 0;
    return n;
}

QString ReaderSessionPresenter::progressText() const {
    const QString judgedText = QString::number(judged()) + " of " + QString::number(items_.size()) + " judged";
    if (!current_)
        return "Session complete: " + judgedText;
    return "Item " + QString::number(*current_ + 1) + " of " + QString::number(items_.size()) + " (" +
           judgedText + ")";
}

QString ReaderSessionPresenter::label(const study::ReaderItemRecord& item) const {
    return "Map " + QString::fromStdString(item.label);
}

explain::ExplainRequest ReaderSessionPresenter::requestFor(const study::ReaderItemRecord& item) const {
    explain::ExplainRequest request;
    if (const auto method = explain::parseMethod(item.method))
        request.methods = {*method};
    request.targetClass = item.targetClass;
    request.layer = item.layer;
    return request;
}

void ReaderSessionPresenter::showItem() {
    verdict_.reset();
    confidence_.reset();
    note_.clear();
    shown_.invalidate();
    const auto& item = items_.at(*current_);
    content_ = CellContent{};
    content_.title = label(item);
    content_.pending = true;
    scanKey_ = QString::fromStdString(item.scanPath);
    serviceId_ = project_.serviceIdOf(item.modelId);
    const DatasetItem* scan = project_.datasetItem(item.scanPath);
    if (serviceId_ < 0 || !scan || !project_.dataset()) {
        content_.pending = false;
        content_.message = serviceId_ < 0 ? "This map's network is not loaded: open the project with its networks"
                                          : "This map's scan is not in the open data set";
        Q_EMIT itemChanged();
        return;
    }
    Q_EMIT itemChanged();
    const std::uint64_t token = ++decodeToken_;
    const std::filesystem::path file = project_.dataset()->absolute(*scan);
    const std::filesystem::path maskFile =
        scan->maskPath ? project_.dataset()->root / *scan->maskPath : std::filesystem::path();
    QPointer<ReaderSessionPresenter> self(this);
    (void)QtConcurrent::run([self, token, file, maskFile] {
        Decoded decoded;
        try {
            decoded.rgb = readScan(file).rgb;
            decoded.base = displayBase(decoded.rgb);
            if (!maskFile.empty())
                decoded.mask = readMask(maskFile);
        } catch (const std::exception& e) {
            decoded.error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, token, decoded] {
                if (self)
                    self->onDecoded(token, decoded);
            },
            Qt::QueuedConnection);
    });
}

void ReaderSessionPresenter::onDecoded(std::uint64_t token, const Decoded& decoded) {
    if (token != decodeToken_ || !current_)
        return;  // the reader has moved on
    if (!decoded.error.isEmpty()) {
        content_.pending = false;
        content_.message = decoded.error;
        Q_EMIT itemChanged();
        return;
    }
    base_ = decoded.base;
    mask_ = decoded.mask;
    // The service answers from its cache at once, or from a worker later (onExplained).
    service_.request(scanKey_, decoded.rgb, requestFor(items_.at(*current_)));
}

void ReaderSessionPresenter::onExplained(const QString& scanKey, int modelId) {
    if (!current_ || scanKey != scanKey_ || modelId != serviceId_ || !content_.pending)
        return;
    const auto& item = items_.at(*current_);
    const auto result = service_.result(scanKey, modelId, requestFor(item));
    if (!result)
        return;
    for (const auto& map : result->maps) {
        if (explain::methodName(map.method) != item.method)
            continue;
        content_ = renderMap(base_, map, mask_, display_, QString());
        content_.title = label(item);  // the method's name stays hidden
        content_.caption.clear();      // and the network's prediction with it
        shown_.start();
        Q_EMIT itemChanged();
        Q_EMIT contentReady();
        return;
    }
}

void ReaderSessionPresenter::onFailed(const QString& scanKey, int modelId, const QString& message) {
    if (!current_ || scanKey != scanKey_ || modelId != serviceId_)
        return;
    content_.pending = false;
    content_.message = message;
    Q_EMIT itemChanged();
}

void ReaderSessionPresenter::chooseVerdict(study::Verdict verdict) {
    if (!current_ || !shown_.isValid())
        return;
    verdict_ = verdict;
    Q_EMIT itemChanged();
    commitIfComplete();
}

void ReaderSessionPresenter::chooseConfidence(int confidence) {
    if (!current_ || !shown_.isValid() || confidence < 1 || confidence > 5)
        return;
    confidence_ = confidence;
    Q_EMIT itemChanged();
    commitIfComplete();
}

void ReaderSessionPresenter::commitIfComplete() {
    if (!verdict_ || !confidence_ || !current_)
        return;
    auto& item = items_.at(*current_);
    const double seconds = double(shown_.elapsed()) / 1000.0;
    try {
        project_.recordReaderJudgement(*session_, item, *verdict_, *confidence_, note_, seconds);
    } catch (const std::exception& e) {
        Q_EMIT failed("The judgement could not be saved: " + QString::fromStdString(e.what()));
        return;
    }
    item.verdict = verdict_;
    item.confidence = confidence_;
    item.note = note_.toStdString();
    item.seconds = seconds;
    current_ = study::nextUnjudged(items_);
    if (!current_) {
        content_ = CellContent{};
        Q_EMIT itemChanged();
        Q_EMIT finished();
        return;
    }
    showItem();
}

QString ReaderSessionPresenter::keyText() const {
    std::map<std::string, QString> key;
    for (const auto& model : project_.storedModels())
        for (const auto& item : items_)
            if (item.modelId == model.id)
                key[item.label] = QString::fromStdString(model.name) + ", " +
                                  QString::fromStdString(study::methodLabel(item.method));
    QString text;
    for (const auto& [label, what] : key)
        text += "Map " + QString::fromStdString(label) + ": " + what + "\n";
    return text;
}

}  // namespace saliency::ui
