#include "common/Progress.h"

#include <algorithm>
#include <iomanip>
#include <ostream>

namespace saliency {

ConsoleProgress::ConsoleProgress(std::ostream& out, bool interactive)
    : out_(out), interactive_(interactive) {}

void ConsoleProgress::start(const std::string& task, std::int64_t total) {
    task_ = task;
    total_ = std::max<std::int64_t>(total, 0);
    last_ = 0;
    started_ = std::chrono::steady_clock::now();
    lastDraw_ = {};
    draw(0, {});
}

bool ConsoleProgress::update(std::int64_t done, const std::string& detail) {
    last_ = done;
    if (!interactive_)
        return true;  // logs get the start and end lines only
    const auto now = std::chrono::steady_clock::now();
    if (now - lastDraw_ > std::chrono::milliseconds(100) || done == total_) {
        draw(done, detail);
        lastDraw_ = now;
    }
    return true;
}

void ConsoleProgress::finish() {
    draw(total_ > 0 ? total_ : last_, {});
    if (interactive_)
        out_ << '\n';
    out_.flush();
}

void ConsoleProgress::draw(std::int64_t done, const std::string& detail) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (!interactive_) {
        out_ << task_ << ": " << done << "/" << total_ << " (" << std::fixed << std::setprecision(1)
             << elapsed << " s)\n";
        return;
    }
    constexpr int width = 30;
    const double fraction = total_ > 0 ? std::clamp(double(done) / double(total_), 0.0, 1.0) : 0.0;
    const int filled = static_cast<int>(fraction * width);
    out_ << '\r' << task_ << " [" << std::string(static_cast<size_t>(filled), '#')
         << std::string(static_cast<size_t>(width - filled), '.') << "] " << done << "/" << total_;
    if (done > 0 && total_ > 0) {
        const double eta = elapsed / double(done) * double(total_ - done);
        out_ << "  " << std::fixed << std::setprecision(0) << eta << " s left";
    }
    if (!detail.empty())
        out_ << "  " << detail;
    out_ << "\x1b[K" << std::flush;
}

ProgressScope::ProgressScope(Progress& progress, const std::string& task, std::int64_t total)
    : progress_(progress) {
    progress_.start(task, total);
}

ProgressScope::~ProgressScope() {
    progress_.finish();
}

}  // namespace saliency
