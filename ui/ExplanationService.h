#pragma once
// Runs the networks off the GUI thread (DESIGN.md section 2: a job whose run catches every
// exception and reports through signals; a newer request supersedes older ones) and caches the
// results by model, scan, class, layer and methods, so that going back to a scan is instant.
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <QCache>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <opencv2/core/mat.hpp>

#include "saliency/ModelSession.h"

namespace saliency::ui {

struct ServiceModel {
    int id = 0;
    std::shared_ptr<explain::ModelSession> session;
};

class ExplanationService : public QObject {
    Q_OBJECT
  public:
    explicit ExplanationService(QObject* parent = nullptr);
    ~ExplanationService() override;  // waits for running jobs (they hold no pointer to us)

    int addModel(std::shared_ptr<explain::ModelSession> session);  // returns its id
    void removeModel(int id);
    void renameModel(int id, const QString& name);
    const std::vector<ServiceModel>& models() const { return models_; }
    const explain::ModelSession* session(int id) const;
    QString modelName(int id) const;

    // Every model's explanation of one scan. Cached results are emitted before this returns;
    // the rest follow from workers. A newer request drops the older ones not yet started.
    void request(const QString& scanKey, const cv::Mat& rgb, const explain::ExplainRequest& request);
    // Classifies scans in the background (lowest priority): predicted() per scan and model.
    // A later call replaces the list (an empty one re-queues the last, e.g. after a model was
    // added); scans already classified are not run again.
    void classify(const std::vector<std::pair<QString, std::string>>& scanKeysAndFiles);
    std::optional<explain::ImagePrediction> prediction(const QString& scanKey, int modelId) const;

    int pendingJobs() const { return pending_; }

    Q_SIGNAL void explained(const QString& scanKey, int modelId, double seconds);
    Q_SIGNAL void failed(const QString& scanKey, int modelId, const QString& message);
    Q_SIGNAL void predicted(const QString& scanKey, int modelId);
    Q_SIGNAL void classificationProgress(int done, int total);

    // The cached explanation (nullptr when not computed). Valid until the next call into the service.
    std::shared_ptr<const explain::ImageExplanation> result(const QString& scanKey, int modelId,
                                                            const explain::ExplainRequest& request) const;

  private:
    QString cacheKey(const QString& scanKey, int modelId, const explain::ExplainRequest& request) const;
    void deliver(int generation, const QString& key, const QString& scanKey, int modelId,
                 std::shared_ptr<const explain::ImageExplanation> result, double seconds);

    std::vector<ServiceModel> models_;
    std::map<int, QString> names_;
    int nextId_ = 1;
    // cost: kilobytes of map data; 256 MB in all.
    QCache<QString, std::shared_ptr<const explain::ImageExplanation>> cache_{256 * 1024};
    std::map<std::pair<QString, int>, explain::ImagePrediction> predictions_;
    std::vector<std::pair<QString, std::string>> classifyList_;
    QThreadPool pool_;
    std::shared_ptr<std::atomic<int>> generation_;
    std::shared_ptr<std::atomic<int>> classifyGeneration_;
    int pending_ = 0;
    int classifyDone_ = 0;
    int classifyTotal_ = 0;
};

}  // namespace saliency::ui
