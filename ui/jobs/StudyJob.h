#pragma once
// "Compute statistics for the whole data set": the core study runner (study/StudyRunner.h, the one
// `saliency-cli study` uses) on its own thread, writing into the open project through a connection
// of its own (SQLite in WAL mode: the GUI's marks keep going in while it runs). Resumable as the
// CLI's is: scans whose maps are stored are skipped. Reports only through queued signals and
// catches every exception; cancel() stops it after the scan in hand, keeping every scan stored.
#include <filesystem>
#include <memory>

#include <QObject>
#include <QString>
#include <QThread>

#include "jobs/QtProgress.h"
#include "study/StudyRunner.h"

namespace saliency::ui {

struct StudyRequest {
    std::filesystem::path project;
    study::StudyOptions options;
};

class StudyJob : public QObject {
    Q_OBJECT
  public:
    explicit StudyJob(QObject* parent = nullptr);
    ~StudyJob() override;  // cancels and waits

    bool start(StudyRequest request);  // false while one runs
    void cancel();
    bool isRunning() const;
    bool wait(int milliseconds);

    Q_SIGNAL void progressed(QString task, qint64 done, qint64 total, QString detail, double etaSeconds);
    // The run ended: its summary (also when cancelled, with what was stored), or an error.
    Q_SIGNAL void finished(std::shared_ptr<const saliency::study::StudySummary> summary, bool cancelled,
                           QString error);

  private:
    void run(const StudyRequest& request);

    std::unique_ptr<QThread> thread_;
    QtProgress progress_;
};

}  // namespace saliency::ui

Q_DECLARE_METATYPE(std::shared_ptr<const saliency::study::StudySummary>)
