#include "jobs/SanityJob.h"

#include <exception>

namespace saliency::ui {

SanityJob::SanityJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const saliency::explain::SanityReport>>();
}

SanityJob::~SanityJob() {
    if (thread_)
        thread_->wait();
}

bool SanityJob::start(std::shared_ptr<const explain::ModelSession> session, cv::Mat rgb,
                      explain::SanityRequest request, int modelId) {
    if (isRunning())
        return false;
    if (thread_)
        thread_->wait();
    thread_.reset(QThread::create([this, session = std::move(session), rgb = std::move(rgb),
                                   request = std::move(request), modelId] {
        try {
            auto report = std::make_shared<const explain::SanityReport>(session->sanityCheck(rgb, request));
            Q_EMIT finished(modelId, report, {});
        } catch (const std::exception& e) {
            Q_EMIT finished(modelId, nullptr, QString::fromUtf8(e.what()));
        } catch (...) {
            Q_EMIT finished(modelId, nullptr, "the sanity check stopped with an unknown error");
        }
    }));
    thread_->setObjectName("sanity");
    thread_->start(QThread::LowPriority);
    return true;
}

bool SanityJob::isRunning() const {
    return thread_ && thread_->isRunning();
}

bool SanityJob::wait(int milliseconds) {
    return !thread_ || thread_->wait(milliseconds);
}

}  // namespace saliency::ui
