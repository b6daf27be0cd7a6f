#include "jobs/QtProgress.h"

namespace saliency::ui {

void QtProgress::start(const std::string& task, std::int64_t total) {
    task_ = QString::fromStdString(task);
    total_ = total;
    started_ = std::chrono::steady_clock::now();
    lastSignal_ = started_;
    Q_EMIT progressed(task_, 0, total_, {}, -1);
}

bool QtProgress::update(std::int64_t done, const std::string& detail) {
    const auto now = std::chrono::steady_clock::now();
    if (done >= total_ || now - lastSignal_ >= std::chrono::milliseconds(100)) {
        lastSignal_ = now;
        const double elapsed = std::chrono::duration<double>(now - started_).count();
        const double eta =
            done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : -1;
        Q_EMIT progressed(task_, done, total_, QString::fromStdString(detail), eta);
    }
    return !cancelled_.load();
}

void QtProgress::finish() {}

}  // namespace saliency::ui
