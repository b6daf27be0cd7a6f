#include "StallMonitor.h"

#include <algorithm>

namespace saliency::ui {

namespace {
constexpr int kIntervalMs = 5;
}

StallMonitor::StallMonitor(QObject* parent) : QObject(parent) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(kIntervalMs);
    connect(&timer_, &QTimer::timeout, this, [this] { tick(); });
}

void StallMonitor::start() {
    reset();
    timer_.start();
}

void StallMonitor::stop() {
    timer_.stop();
}

void StallMonitor::reset() {
    clock_.start();
    last_ = clock_.nsecsElapsed();
    longest_ = 0;
    ticks_ = 0;
}

void StallMonitor::tick() {
    const qint64 now = clock_.nsecsElapsed();
    // Lateness beyond the timer's own interval is time the event loop could not run.
    const double late = (now - last_) / 1e6 - kIntervalMs;
    longest_ = std::max(longest_, late);
    last_ = now;
    ++ticks_;
}

}  // namespace saliency::ui
