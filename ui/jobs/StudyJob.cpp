#include "jobs/StudyJob.h"

#include <exception>

#include "study/ProjectDatabase.h"

namespace saliency::ui {

StudyJob::StudyJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const saliency::study::StudySummary>>();
    connect(&progress_, &QtProgress::progressed, this, &StudyJob::progressed);
}

StudyJob::~StudyJob() {
    cancel();
    if (thread_)
        thread_->wait();
}

bool StudyJob::start(StudyRequest request) {
    if (isRunning())
        return false;
    if (thread_)
        thread_->wait();
    progress_.reset();
    thread_.reset(QThread::create([this, request = std::move(request)] { run(request); }));
    thread_->setObjectName("study");
    thread_->start(QThread::LowPriority);  // the grid's own explanations go first
    return true;
}

void StudyJob::cancel() {
    progress_.cancel();
}

bool StudyJob::isRunning() const {
    return thread_ && thread_->isRunning();
}

bool StudyJob::wait(int milliseconds) {
    return !thread_ || thread_->wait(milliseconds);
}

void StudyJob::run(const StudyRequest& request) {
    auto summary = std::make_shared<study::StudySummary>();
    try {
        study::ProjectDatabase project(request.project, study::OpenMode::ExistingOnly);
        *summary = study::runStudy(project, request.options, progress_);
        Q_EMIT finished(summary, false, {});
    } catch (const Cancelled&) {
        Q_EMIT finished(nullptr, true, {});
    } catch (const std::exception& e) {
        Q_EMIT finished(nullptr, false, QString::fromUtf8(e.what()));
    } catch (...) {
        Q_EMIT finished(nullptr, false, "the study stopped with an unknown error");
    }
}

}  // namespace saliency::ui
