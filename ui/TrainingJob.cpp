#include "TrainingJob.h"

#include <chrono>
#include <exception>

namespace saliency::ui {

namespace {

// The trainer's Progress and TrainingObserver, forwarding to the job's signals. Status lines are
// thinned to ten a second: the trainer updates after every batch, which for cnn4 on a GPU can be
// thousands a second, and each would be one queued event on the GUI thread.
class Relay final : public Progress, public TrainingObserver {
  public:
    Relay(TrainingJob& job, const std::atomic<bool>& cancel) : job_(job), cancel_(cancel) {}

    void start(const std::string& task, std::int64_t) override {
        Q_EMIT job_.status(QString::fromStdString(task));
    }
    bool update(std::int64_t, const std::string& detail) override {
        const auto now = std::chrono::steady_clock::now();
        if (now - lastStatus_ > std::chrono::milliseconds(100)) {
            lastStatus_ = now;
            Q_EMIT job_.status(QString::fromStdString(detail));
        }
        return !cancel_.load();
    }
    void finish() override {}

    void batchDone(const TrainProgress& progress) override {
        const auto now = std::chrono::steady_clock::now();
        // Every epoch's last batch goes through, so the curve ends where the epoch ended.
        if (progress.batch == progress.batches || now - lastBatch_ > std::chrono::milliseconds(50)) {
            lastBatch_ = now;
            Q_EMIT job_.batchDone(progress);
        }
    }
    void epochDone(const EpochResult& epoch) override { Q_EMIT job_.epochDone(epoch); }

  private:
    TrainingJob& job_;
    const std::atomic<bool>& cancel_;
    std::chrono::steady_clock::time_point lastStatus_{};
    std::chrono::steady_clock::time_point lastBatch_{};
};

}  // namespace

TrainingJob::TrainingJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<saliency::TrainProgress>();
    qRegisterMetaType<saliency::EpochResult>();
    qRegisterMetaType<std::shared_ptr<const saliency::TrainResult>>();
}

TrainingJob::~TrainingJob() {
    cancel();
    if (thread_)
        thread_->wait();
}

bool TrainingJob::start(TrainingRequest request) {
    if (isRunning())
        return false;
    if (thread_)
        thread_->wait();  // a finished thread: reap it before replacing it
    cancelRequested_ = false;
    thread_.reset(QThread::create([this, request = std::move(request)] { run(request); }));
    thread_->setObjectName("training");
    connect(thread_.get(), &QThread::finished, this, &TrainingJob::stopped);
    thread_->start(QThread::LowPriority);  // the GUI thread wins when both want the cores
    return true;
}

void TrainingJob::cancel() {
    cancelRequested_ = true;
}

bool TrainingJob::isRunning() const {
    return thread_ && thread_->isRunning();
}

bool TrainingJob::wait(int milliseconds) {
    return !thread_ || thread_->wait(QDeadlineTimer(milliseconds));
}

void TrainingJob::run(const TrainingRequest& request) {
    // Runs on the training thread: nothing here may throw out of the thread.
    try {
        Relay relay(*this, cancelRequested_);
        auto result = std::make_shared<const TrainResult>(
            saliency::train(*request.dataset, request.split, request.config, relay, &relay));
        Q_EMIT finished(result, {});
    } catch (const std::exception& e) {
        Q_EMIT finished(nullptr, QString::fromStdString(e.what()));
    } catch (...) {
        Q_EMIT finished(nullptr, "training stopped with an unknown error");
    }
}

}  // namespace saliency::ui
