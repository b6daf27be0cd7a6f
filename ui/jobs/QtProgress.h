#pragma once
// core's Progress (common/Progress.h) for work on a worker thread: each call becomes a queued signal
// to the GUI thread, thinned to ten a second, with the estimated time left; cancel() from the GUI
// thread makes the next update() return false, so the work stops at its next safe point.
#include <atomic>
#include <chrono>
#include <cstdint>

#include <QObject>
#include <QString>

#include "common/Progress.h"

namespace saliency::ui {

class QtProgress final : public QObject, public Progress {
    Q_OBJECT
  public:
    explicit QtProgress(QObject* parent = nullptr) : QObject(parent) {}

    void cancel() { cancelled_ = true; }
    void reset() { cancelled_ = false; }  // before the next run
    bool cancelRequested() const { return cancelled_; }

    void start(const std::string& task, std::int64_t total) override;
    bool update(std::int64_t done, const std::string& detail) override;
    void finish() override;

    // etaSeconds < 0 while unknown (nothing done yet).
    Q_SIGNAL void progressed(QString task, qint64 done, qint64 total, QString detail, double etaSeconds);

  private:
    std::atomic<bool> cancelled_{false};
    QString task_;
    std::int64_t total_ = 0;
    std::chrono::steady_clock::time_point started_{};
    std::chrono::steady_clock::time_point lastSignal_{};
};

}  // namespace saliency::ui
