#pragma once
// The first window of Saliency Studio: a data set's scans by class, with the selected scan shown
// large and its tumour mask outlined. Scanning and decoding run off the GUI thread.
#include <QFutureWatcher>
#include <QMainWindow>
#include <memory>

#include "data/Dataset.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;
class QCheckBox;

namespace saliency::ui {

class ScanBrowserWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit ScanBrowserWindow(QWidget* parent = nullptr);
    ~ScanBrowserWindow() override;

    void openDataset(const QString& folder);
    // Emitted when a data set finished loading (or failed: then the dataset is empty).
    Q_SIGNAL void datasetLoaded(bool ok);
    Q_SIGNAL void scanShown(const QString& relativePath);
    const Dataset* dataset() const { return dataset_.get(); }

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    void chooseDataset();
    void rescaleImage();
    void showDataset(std::shared_ptr<const Dataset> dataset);
    void showSelectedScan();
    void showScanImage(const QString& relativePath, const QImage& image, const QString& details);
    void buildMenus();

    std::shared_ptr<const Dataset> dataset_;
    QTreeWidget* tree_ = nullptr;
    QLabel* image_ = nullptr;
    QLabel* details_ = nullptr;
    QCheckBox* showMask_ = nullptr;
    QImage currentImage_;  // kept at full resolution so that resizing rescales from the original
    QFutureWatcher<std::shared_ptr<const Dataset>> scanWatcher_;
    int scanRequest_ = 0;  // a newer selection supersedes an older decode still in flight
};

}  // namespace saliency::ui
