#include "JobProgress.h"

#include <cmath>

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace saliency::ui {

QString durationText(double seconds) {
    const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    if (s < 60)
        return QString("%1 s").arg(s);
    if (s < 3600)
        return QString("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QString("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

JobProgress::JobProgress(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    text_ = new QLabel;
    bar_ = new QProgressBar;
    bar_->setMaximumWidth(160);
    bar_->setTextVisible(false);
    cancel_ = new QToolButton;
    cancel_->setText("Cancel");
    cancel_->setToolTip("Stop after the scan in hand; everything stored so far is kept, and running it "
                        "again continues from there");
    layout->addWidget(text_);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    connect(cancel_, &QToolButton::clicked, this, [this] {
        cancel_->setEnabled(false);
        text_->setText(text_->text() + " (stopping...)");
        Q_EMIT cancelRequested();
    });
}

void JobProgress::showProgress(const QString& task, qint64 done, qint64 total, double etaSeconds) {
    cancel_->setEnabled(true);
    bar_->setRange(0, static_cast<int>(std::max<qint64>(total, 1)));
    bar_->setValue(static_cast<int>(done));
    QString text = QString("%1: %2 of %3").arg(task).arg(done).arg(total);
    if (etaSeconds >= 0)
        text += ", " + durationText(etaSeconds) + " left";
    text_->setText(text);
}

}  // namespace saliency::ui
