#pragma once
// One training run of the core trainer (training/Trainer.h) on its own QThread (issue 7): there is
// no second training loop in ui/. The thread reports only through queued signals, catches every
// exception, and stops at the next batch when cancel() is called; the trainer then leaves the
// last good checkpoint and its resume state intact (DESIGN.md section 9).
//
//   auto* job = new TrainingJob(this);
//   connect(job, &TrainingJob::epochDone, curves, &TrainingCurves::addEpoch);
//   job->start({dataset, split, config});
#include <atomic>
#include <memory>

#include <QObject>
#include <QString>
#include <QThread>

#include "data/Dataset.h"
#include "data/Split.h"
#include "training/TrainConfig.h"
#include "training/Trainer.h"

namespace saliency::ui {

struct TrainingRequest {
    std::shared_ptr<const Dataset> dataset;
    Split split;
    TrainConfig config;
};

class TrainingJob : public QObject {
    Q_OBJECT
  public:
    explicit TrainingJob(QObject* parent = nullptr);
    // Cancels a running job and waits for its thread: the trainer stops at its next batch.
    ~TrainingJob() override;

    // Starts the run on a new thread; false (and nothing started) while one is running.
    bool start(TrainingRequest request);
    // Asks the run to stop at the next batch (or validation batch); finished() follows.
    void cancel();
    bool isRunning() const;
    // Blocks until the thread has ended (for shutdown and tests); true when it has.
    bool wait(int milliseconds);

    // All emitted from the training thread, received queued on the GUI thread.
    Q_SIGNAL void batchDone(saliency::TrainProgress progress);
    Q_SIGNAL void epochDone(saliency::EpochResult epoch);
    Q_SIGNAL void status(QString detail);  // the trainer's progress line (validation, testing)
    // The run ended: a result (cancelled or not), or an error message and no result.
    Q_SIGNAL void finished(std::shared_ptr<const saliency::TrainResult> result, QString error);
    // The thread has ended (after finished()): isRunning() is false from here on.
    Q_SIGNAL void stopped();

  private:
    void run(const TrainingRequest& request);

    std::unique_ptr<QThread> thread_;
    std::atomic<bool> cancelRequested_{false};
};

}  // namespace saliency::ui

Q_DECLARE_METATYPE(saliency::TrainProgress)
Q_DECLARE_METATYPE(saliency::EpochResult)
Q_DECLARE_METATYPE(std::shared_ptr<const saliency::TrainResult>)
