#pragma once
// One progress/cancel interface for all long work in core (DESIGN.md section 2).
// The CLI uses ConsoleProgress; the GUI implements it with queued signals to reach its thread.
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace saliency {

class Progress {
  public:
    virtual ~Progress() = default;
    virtual void start(const std::string& task, std::int64_t total) = 0;
    // Returns false when the user asked to cancel; the caller then stops at the next safe point.
    virtual bool update(std::int64_t done, const std::string& detail = {}) = 0;
    virtual void finish() = 0;
};

// Does nothing and never cancels: for callers that do not care.
class NullProgress final : public Progress {
  public:
    void start(const std::string&, std::int64_t) override {}
    bool update(std::int64_t, const std::string&) override { return true; }
    void finish() override {}
};

// A single-line bar on a terminal (stderr), redrawn at most ten times a second.
class ConsoleProgress final : public Progress {
  public:
    explicit ConsoleProgress(std::ostream& out, bool interactive);
    void start(const std::string& task, std::int64_t total) override;
    bool update(std::int64_t done, const std::string& detail) override;
    void finish() override;

  private:
    void draw(std::int64_t done, const std::string& detail);
    std::ostream& out_;
    bool interactive_;
    std::string task_;
    std::int64_t total_ = 0;
    std::int64_t last_ = 0;
    std::chrono::steady_clock::time_point started_{};
    std::chrono::steady_clock::time_point lastDraw_{};
};

// RAII: start() on construction, finish() on destruction, also when an exception leaves the scope.
class ProgressScope {
  public:
    ProgressScope(Progress& progress, const std::string& task, std::int64_t total);
    ~ProgressScope();
    ProgressScope(const ProgressScope&) = delete;
    ProgressScope& operator=(const ProgressScope&) = delete;
    bool update(std::int64_t done, const std::string& detail = {}) { return progress_.update(done, detail); }

  private:
    Progress& progress_;
};

// Thrown by work that noticed a cancel request; callers that started the work catch it.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled by the user"; }
};

}  // namespace saliency
