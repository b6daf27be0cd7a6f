#pragma once
// The model-randomisation sanity check of one scan for one network (ModelSession::sanityCheck) on a
// thread of its own: seconds on cnn4, a minute or more on ResNet50, so never on the GUI thread.
// Reports only through a queued signal and catches every exception.
#include <memory>

#include <QObject>
#include <QString>
#include <QThread>

#include <opencv2/core/mat.hpp>

#include "saliency/ModelSession.h"

namespace saliency::ui {

class SanityJob : public QObject {
    Q_OBJECT
  public:
    explicit SanityJob(QObject* parent = nullptr);
    ~SanityJob() override;  // waits for a check in flight (it cannot be interrupted)

    // false while one runs. The session is shared: the check runs on a copy of its network.
    bool start(std::shared_ptr<const explain::ModelSession> session, cv::Mat rgb,
               explain::SanityRequest request, int modelId);
    bool isRunning() const;
    bool wait(int milliseconds);

    // report is null on failure, with the error.
    Q_SIGNAL void finished(int modelId, std::shared_ptr<const saliency::explain::SanityReport> report,
                           QString error);

  private:
    std::unique_ptr<QThread> thread_;
};

}  // namespace saliency::ui

Q_DECLARE_METATYPE(std::shared_ptr<const saliency::explain::SanityReport>)
