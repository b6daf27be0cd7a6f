#pragma once
// The open data set and the scan on screen (DESIGN.md section 2, presenters): opens a data set
// folder (and a split) off the GUI thread, decodes the selected scan in a worker (a newer
// selection drops older decodes), and classifies the data set in the background so that the
// browser can show the reference network's verdicts. The ScanBrowser only displays and forwards
// the selection; this class decides.
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <opencv2/core/mat.hpp>

#include "data/Dataset.h"
#include "data/Split.h"
#include "io/Scan.h"

namespace saliency::ui {

class ExplanationService;
class ScanBrowser;

// The decoded scan the grid shows.
struct CurrentScan {
    int index = -1;
    Scan scan;
    cv::Mat mask;  // CV_8UC1 or empty
    cv::Mat base;  // display raster of the network input (RGB)
};

class DatasetPresenter : public QObject {
    Q_OBJECT
  public:
    DatasetPresenter(ScanBrowser& browser, ExplanationService& service, QObject* parent = nullptr);
    ~DatasetPresenter() override;  // waits for a data set scan in flight

    // Scans the folder in a worker; loaded() tells how it went.
    void open(const QString& folder, const QString& splitFile = {});
    // The open data set again, grouped by this split.
    void openSplit(const QString& splitFile);

    const Dataset* dataset() const { return dataset_.get(); }
    std::shared_ptr<const Dataset> sharedDataset() const { return dataset_; }
    const std::optional<Split>& split() const { return split_; }

    int currentIndex() const { return currentIndex_; }
    // The decoded scan on screen; nullptr before the first decode or after a failed one.
    std::shared_ptr<const CurrentScan> current() const { return current_; }
    // Why the selected scan could not be shown (the reader's reason); empty when it was, or none is selected.
    const QString& unreadableReason() const { return unreadable_; }
    QString scanKey(int index) const;  // the scan's path relative to the data set, empty when none
    QString trueClass(int index) const;
    bool selectScan(const QString& relativePath);
    bool selectNext();
    std::vector<int> selectedIndices() const;

    // Background classification of every scan by the networks (the browser shows the first's).
    void classify();
    // The networks changed: forget the shown verdicts and classify again.
    void reclassify();
    // After a network left: show the (new) first network's verdicts already known.
    void showKnownPredictions();
    // Shows only these scans in the browser (the scans behind a clicked chart), saying why.
    void narrowTo(const QString& model, const QString& method, const QString& otherModel,
                  const QString& otherMethod, const QStringList& scans);
    void setMarked(const std::set<QString>& markedScans);
    void showAllScans();  // the browser's subset cleared

    Q_SIGNAL void loaded(bool ok);
    // A scan was selected and is being decoded.
    Q_SIGNAL void selectionStarted(int index);
    // current() changed: a newly decoded scan, or none (a failed decode, an empty data set).
    Q_SIGNAL void currentChanged();
    Q_SIGNAL void scanShown(int index);
    Q_SIGNAL void status(const QString& message, int timeoutMs);
    Q_SIGNAL void error(const QString& title, const QString& message);

  private:
    void show(std::shared_ptr<const Dataset> dataset, std::optional<Split> split);
    void onScanSelected(int index);
    void showDecoded(int request, std::shared_ptr<CurrentScan> scan, const QString& error);
    void onPredicted(const QString& scanKey, int modelId);
    void onClassificationProgress(int done, int total);

    ScanBrowser& browser_;
    ExplanationService& service_;
    std::shared_ptr<const Dataset> dataset_;
    std::optional<Split> split_;
    QString splitFile_;
    int currentIndex_ = -1;
    std::shared_ptr<const CurrentScan> current_;
    QString unreadable_;
    int decodeRequest_ = 0;  // a newer selection drops older decodes
    QFutureWatcher<std::shared_ptr<const Dataset>> watcher_;
};

}  // namespace saliency::ui
