#pragma once
// A long background job in the status bar: what runs, a bar, done/total, the time left, and Cancel.
// Thin: the presenter that owns the job feeds it and hears cancelRequested().
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace saliency::ui {

class JobProgress : public QWidget {
    Q_OBJECT
  public:
    explicit JobProgress(QWidget* parent = nullptr);

    // etaSeconds < 0: not known yet.
    void showProgress(const QString& task, qint64 done, qint64 total, double etaSeconds);

    Q_SIGNAL void cancelRequested();

  private:
    QLabel* text_ = nullptr;
    QProgressBar* bar_ = nullptr;
    QToolButton* cancel_ = nullptr;
};

// "2 min 05 s", "45 s", "1 h 03 min": for ETAs.
QString durationText(double seconds);

}  // namespace saliency::ui
