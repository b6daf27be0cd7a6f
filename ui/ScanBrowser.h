#pragma once
// The scan browser: a data set's scans in a tree by split part (when a split is loaded) and class,
// with thumbnails, the reference network's verdict, and filters. Keyboard: Up/Down in the tree,
// N / P (or Space) anywhere in the window for the next / previous scan that passes the filters.
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include <QWidget>

#include "data/Dataset.h"
#include "data/Split.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace saliency::ui {

enum class Verdict { Unknown, Right, Wrong };

class ScanBrowser : public QWidget {
    Q_OBJECT
  public:
    explicit ScanBrowser(QWidget* parent = nullptr);
    ~ScanBrowser() override;

    void setDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split = std::nullopt);
    const Dataset* dataset() const { return dataset_.get(); }
    // Which part of the split a scan is in ("train", "validation", "test"), empty without a split.
    QString partOf(int index) const;

    // The reference network's prediction for a scan (shown in the tree, used by the filter).
    void setPrediction(int index, Verdict verdict, const QString& text, const QString& toolTip = {});
    void clearPredictions();
    // Scans with at least one mark by the current annotator (for the "marked" filter).
    void setMarked(const std::vector<bool>& marked);
    // Shows only these scans (relative paths), e.g. those behind a clicked chart bar; with
    // nullopt, every scan again. `why` is shown above the tree with a button to clear it.
    void setSubset(std::optional<std::set<QString>> scans, const QString& why = {});

    int currentIndex() const;  // -1 when no scan is selected
    std::vector<int> selectedIndices() const;
    bool selectIndex(int index);
    bool selectNext();      // the next visible scan; false at the end
    bool selectPrevious();  // the previous visible scan; false at the start
    int visibleCount() const;

    Q_SIGNAL void scanSelected(int index);

  private:
    void rebuild();
    void fillTree();
    void applyFilters();
    bool passes(int index) const;
    void loadThumbnails();
    std::vector<QTreeWidgetItem*> visibleLeaves() const;

    std::shared_ptr<const Dataset> dataset_;
    std::optional<Split> split_;
    std::vector<QString> parts_;            // per item: split part or empty
    std::vector<Verdict> verdicts_;         // per item
    std::vector<bool> marked_;              // per item: marked in the open project
    std::vector<QTreeWidgetItem*> leaves_;  // per item
    QComboBox* classFilter_ = nullptr;
    QComboBox* verdictFilter_ = nullptr;
    QComboBox* markFilter_ = nullptr;
    std::optional<std::set<QString>> subset_;
    QPushButton* subsetButton_ = nullptr;
    QTreeWidget* tree_ = nullptr;
    QLabel* counts_ = nullptr;
    std::shared_ptr<std::atomic<int>> thumbnailGeneration_;
};

}  // namespace saliency::ui
