#include "ExplanationService.h"

#include <chrono>

#include "io/ScanReader.h"

namespace saliency::ui {

namespace {

constexpr int kExplainPriority = 10;  // before any background classification
constexpr int kClassifyPriority = 0;

qsizetype kilobytes(const explain::ImageExplanation& e) {
    qsizetype bytes = 0;
    for (const auto& m : e.maps)
        bytes += static_cast<qsizetype>(m.map.total() * m.map.elemSize() + m.raw.total() * m.raw.elemSize());
    return bytes / 1024 + 1;
}

QString methodsKey(const std::vector<explain::Method>& methods) {
    QString key;
    for (const auto m : methods)
        key += QString::fromStdString(explain::methodName(m)) + ',';
    return key;
}

}  // namespace

ExplanationService::ExplanationService(QObject* parent)
    : QObject(parent),
      generation_(std::make_shared<std::atomic<int>>(0)),
      classifyGeneration_(std::make_shared<std::atomic<int>>(0)) {
    // Two workers: two networks run side by side; each uses LibTorch's own intra-op threads.
    pool_.setMaxThreadCount(2);
}

ExplanationService::~ExplanationService() {
    ++*generation_;
    ++*classifyGeneration_;
    pool_.clear();
    pool_.waitForDone();
}

int ExplanationService::addModel(std::shared_ptr<explain::ModelSession> session) {
    const int id = nextId_++;
    names_[id] = QString::fromStdString(session->info().name);
    models_.push_back({id, std::move(session)});
    return id;
}

void ExplanationService::removeModel(int id) {
    std::erase_if(models_, [id](const ServiceModel& m) { return m.id == id; });
    names_.erase(id);
}

void ExplanationService::renameModel(int id, const QString& name) {
    if (names_.count(id))
        names_[id] = name;
}

const explain::ModelSession* ExplanationService::session(int id) const {
    for (const auto& m : models_)
        if (m.id == id)
            return m.session.get();
    return nullptr;
}

QString ExplanationService::modelName(int id) const {
    const auto it = names_.find(id);
    return it == names_.end() ? QString() : it->second;
}

QString ExplanationService::cacheKey(const QString& scanKey, int modelId,
                                     const explain::ExplainRequest& request) const {
    return QString("%1|%2|%3|%4|%5")
        .arg(modelId)
        .arg(scanKey)
        .arg(request.targetClass)
        .arg(QString::fromStdString(request.layer), methodsKey(request.methods));
}

std::shared_ptr<const explain::ImageExplanation> ExplanationService::result(
    const QString& scanKey, int modelId, const explain::ExplainRequest& request) const {
    const auto* cached = cache_.object(cacheKey(scanKey, modelId, request));
    return cached ? *cached : nullptr;
}

void ExplanationService::request(const QString& scanKey, const cv::Mat& rgb,
                                 const explain::ExplainRequest& request) {
    const int generation = ++*generation_;
    pool_.clear();  // queued explain jobs of older requests (classification is requeued below)
    for (const auto& model : models_) {
        const QString key = cacheKey(scanKey, model.id, request);
        if (cache_.contains(key)) {
            Q_EMIT explained(scanKey, model.id, 0.0);
            continue;
        }
        ++pending_;
        auto session = model.session;
        const int id = model.id;
        auto current = generation_;
        pool_.start(
            [this, session, id, rgb, request, generation, current, key, scanKey] {
                if (*current != generation) {  // superseded before it started
                    QMetaObject::invokeMethod(
                        this, [this] { --pending_; }, Qt::QueuedConnection);
                    return;
                }
                std::shared_ptr<const explain::ImageExplanation> out;
                QString error;
                const auto start = std::chrono::steady_clock::now();
                try {
                    out = std::make_shared<const explain::ImageExplanation>(session->explain(rgb, request));
                } catch (const std::exception& e) {
                    error = QString::fromStdString(e.what());
                } catch (...) {
                    error = "unknown error";
                }
                const double seconds =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                QMetaObject::invokeMethod(
                    this,
                    [this, generation, key, scanKey, id, out, error, seconds] {
                        --pending_;
                        if (out)
                            deliver(generation, key, scanKey, id, out, seconds);
                        else
                            Q_EMIT failed(scanKey, id, error);
                    },
                    Qt::QueuedConnection);
            },
            kExplainPriority);
    }
    if (classifyTotal_ > classifyDone_)
        classify({});  // pool_.clear() dropped the queued classification: queue what is left
}

void ExplanationService::deliver(int, const QString& key, const QString& scanKey, int modelId,
                                 std::shared_ptr<const explain::ImageExplanation> result, double seconds) {
    if (!session(modelId))
        return;  // removed meanwhile
    const qsizetype cost = kilobytes(*result);
    cache_.insert(key, new std::shared_ptr<const explain::ImageExplanation>(std::move(result)), cost);
    Q_EMIT explained(scanKey, modelId, seconds);
}

std::optional<explain::ImagePrediction> ExplanationService::prediction(const QString& scanKey,
                                                                       int modelId) const {
    const auto it = predictions_.find({scanKey, modelId});
    if (it == predictions_.end())
        return std::nullopt;
    return it->second;
}

void ExplanationService::classify(const std::vector<std::pair<QString, std::string>>& scanKeysAndFiles) {
    if (!scanKeysAndFiles.empty())
        classifyList_ = scanKeysAndFiles;
    const int generation = ++*classifyGeneration_;
    auto current = classifyGeneration_;
    classifyTotal_ = static_cast<int>(classifyList_.size());
    classifyDone_ = 0;
    for (const auto& [scanKey, file] : classifyList_) {
        std::vector<ServiceModel> todo;
        for (const auto& m : models_)
            if (!predictions_.count({scanKey, m.id}))
                todo.push_back(m);
        if (todo.empty()) {
            ++classifyDone_;
            continue;
        }
        pool_.start(
            [this, todo, scanKey, file = file, generation, current] {
                if (*current != generation)
                    return;
                std::vector<std::pair<int, explain::ImagePrediction>> out;
                try {
                    const Scan scan = readScan(file);
                    for (const auto& m : todo)
                        out.emplace_back(m.id, m.session->predict(scan.rgb));
                } catch (...) {
                    // An unreadable scan has no prediction; the browser already lists why.
                }
                QMetaObject::invokeMethod(
                    this,
                    [this, scanKey, out, generation, current] {
                        if (*current != generation)
                            return;
                        ++classifyDone_;
                        for (const auto& [id, p] : out) {
                            if (!session(id))
                                continue;
                            predictions_[{scanKey, id}] = p;
                            Q_EMIT predicted(scanKey, id);
                        }
                        Q_EMIT classificationProgress(classifyDone_, classifyTotal_);
                    },
                    Qt::QueuedConnection);
            },
            kClassifyPriority);
    }
    Q_EMIT classificationProgress(classifyDone_, classifyTotal_);
}

}  // namespace saliency::ui
