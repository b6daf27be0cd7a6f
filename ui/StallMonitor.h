#pragma once
// Measures how long the GUI thread is blocked: a 5 ms timer on that thread notes how late each
// tick arrives. The longest lateness is the longest stall a user could have felt (DESIGN.md
// section 8: never more than 50 ms). For benchmarks and tests; never a timed assertion.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace saliency::ui {

class StallMonitor : public QObject {
    Q_OBJECT
  public:
    explicit StallMonitor(QObject* parent = nullptr);
    void start();
    void stop();
    void reset();
    double longestStallMs() const { return longest_; }
    int ticks() const { return ticks_; }

  private:
    void tick();
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    double longest_ = 0;
    int ticks_ = 0;
};

}  // namespace saliency::ui
