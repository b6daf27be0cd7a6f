#include "ScanBrowser.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <opencv2/imgproc.hpp>

#include "ImageConversion.h"
#include "io/ScanReader.h"

namespace saliency::ui {

namespace {

constexpr int kIndexRole = Qt::UserRole + 1;
constexpr int kThumbnail = 28;
constexpr int kThumbnailChunk = 24;

QString partTitle(const QString& part) {
    if (part == "train")
        return "Training";
    if (part == "validation")
        return "Validation";
    if (part == "test")
        return "Test";
    return "Not in the split";
}

}  // namespace

ScanBrowser::ScanBrowser(QWidget* parent)
    : QWidget(parent), thumbnailGeneration_(std::make_shared<std::atomic<int>>(0)) {
    classFilter_ = new QComboBox;
    classFilter_->setToolTip("Show the scans of one class");
    verdictFilter_ = new QComboBox;
    verdictFilter_->addItems({"All predictions", "Predicted right", "Predicted wrong"});
    verdictFilter_->setToolTip("Filter by the first network's prediction");
    markFilter_ = new QComboBox;
    markFilter_->addItems({"Marked or not", "Marked", "Not marked yet"});
    markFilter_->setToolTip("Filter by your marks in the open project");
    tree_ = new QTreeWidget;
    tree_->setHeaderLabels({"Scan", "Net"});
    tree_->headerItem()->setToolTip(1, "The first network's verdict: right or wrong, and its probability");
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->setIconSize(QSize(kThumbnail, kThumbnail));
    tree_->setUniformRowHeights(false);  // class nodes have no thumbnail: rows differ
    tree_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    counts_ = new QLabel;
    counts_->setWordWrap(true);

    auto* filters = new QHBoxLayout;
    filters->addWidget(classFilter_, 1);
    filters->addWidget(verdictFilter_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(markFilter_);
    subsetButton_ = new QPushButton;
    subsetButton_->setToolTip("Scans chosen in the statistics view; click to show every scan again");
    subsetButton_->hide();
    layout->addWidget(subsetButton_);
    connect(subsetButton_, &QPushButton::clicked, this, [this] { setSubset(std::nullopt); });
    layout->addWidget(tree_, 1);
    layout->addWidget(counts_);

    connect(classFilter_, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
    connect(verdictFilter_, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
    connect(markFilter_, &QComboBox::currentIndexChanged, this, [this] { applyFilters(); });
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && item->data(0, kIndexRole).isValid())
            Q_EMIT scanSelected(item->data(0, kIndexRole).toInt());
    });
}

ScanBrowser::~ScanBrowser() {
    ++*thumbnailGeneration_;
}

void ScanBrowser::setDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split) {
    dataset_ = std::move(dataset);
    split_ = std::move(split);
    const size_t n = dataset_ ? dataset_->items.size() : 0;
    parts_.assign(n, {});
    verdicts_.assign(n, Verdict::Unknown);
    marked_.assign(n, false);
    if (dataset_ && split_) {
        auto mark = [this](const std::vector<std::filesystem::path>& part, const QString& name) {
            try {
                for (const int i : splitIndices(*dataset_, part))
                    parts_[static_cast<size_t>(i)] = name;
            } catch (const std::exception&) {
                // A split of another data set: the tree simply shows no parts.
            }
        };
        mark(split_->train, "train");
        mark(split_->validation, "validation");
        mark(split_->test, "test");
    }
    const QSignalBlocker blocker(classFilter_);
    classFilter_->clear();
    classFilter_->addItem("All classes");
    if (dataset_)
        for (const auto& c : dataset_->classes)
            classFilter_->addItem(QString::fromStdString(c));
    rebuild();
    loadThumbnails();
}

QString ScanBrowser::partOf(int index) const {
    return index >= 0 && index < static_cast<int>(parts_.size()) ? parts_[static_cast<size_t>(index)]
                                                                 : QString();
}

void ScanBrowser::rebuild() {
    {
        // No selection signals while the tree is rebuilt; applyFilters() selects the first scan.
        const QSignalBlocker blocker(tree_);
        fillTree();
    }
    applyFilters();
}

void ScanBrowser::fillTree() {
    tree_->clear();
    leaves_.assign(parts_.size(), nullptr);
    if (!dataset_)
        return;
    std::map<QString, QTreeWidgetItem*> partNodes;
    std::map<std::pair<QString, int>, QTreeWidgetItem*> classNodes;
    const bool byPart = split_.has_value();
    for (size_t i = 0; i < dataset_->items.size(); ++i) {
        const auto& item = dataset_->items[i];
        const QString part = parts_[i];
        QTreeWidgetItem* parent = nullptr;
        if (byPart) {
            auto& node = partNodes[part];
            if (!node) {
                node = new QTreeWidgetItem(tree_, {partTitle(part)});
                node->setExpanded(true);
            }
            parent = node;
        }
        auto& classNode = classNodes[{part, item.label}];
        if (!classNode) {
            const QString name = QString::fromStdString(dataset_->classes[static_cast<size_t>(item.label)]);
            classNode = parent ? new QTreeWidgetItem(parent, {name}) : new QTreeWidgetItem(tree_, {name});
            classNode->setExpanded(true);
        }
        auto* leaf =
            new QTreeWidgetItem(classNode, {QString::fromStdString(item.relativePath.filename().string())});
        leaf->setData(0, kIndexRole, static_cast<int>(i));
        leaf->setToolTip(0, QString::fromStdString(item.relativePath.generic_string()));
        leaves_[i] = leaf;
    }
    if (!dataset_->skipped.empty()) {
        auto* node =
            new QTreeWidgetItem(tree_, {QString("Skipped files (%1)").arg(dataset_->skipped.size())});
        for (const auto& s : dataset_->skipped) {
            auto* leaf = new QTreeWidgetItem(node, {QString::fromStdString(s.relativePath.generic_string())});
            leaf->setToolTip(0, QString::fromStdString(s.reason));
            leaf->setText(1, "skipped");
            leaf->setForeground(0, QBrush(Qt::gray));
        }
    }
}

bool ScanBrowser::passes(int index) const {
    const auto& item = dataset_->items[static_cast<size_t>(index)];
    if (classFilter_->currentIndex() > 0 && item.label != classFilter_->currentIndex() - 1)
        return false;
    const Verdict v = verdicts_[static_cast<size_t>(index)];
    if (verdictFilter_->currentIndex() == 1 && v != Verdict::Right)
        return false;
    if (verdictFilter_->currentIndex() == 2 && v != Verdict::Wrong)
        return false;
    if (subset_ && !subset_->count(QString::fromStdString(item.relativePath.generic_string())))
        return false;
    const bool marked = marked_[static_cast<size_t>(index)];
    if ((markFilter_->currentIndex() == 1 && !marked) || (markFilter_->currentIndex() == 2 && marked))
        return false;
    return true;
}

void ScanBrowser::applyFilters() {
    if (!dataset_) {
        counts_->clear();
        return;
    }
    int shown = 0;
    for (size_t i = 0; i < leaves_.size(); ++i) {
        const bool visible = passes(static_cast<int>(i));
        leaves_[i]->setHidden(!visible);
        shown += visible ? 1 : 0;
    }
    // Hide class and part nodes left without a visible scan.
    std::function<bool(QTreeWidgetItem*)> hideEmpty = [&](QTreeWidgetItem* node) {
        if (node->data(0, kIndexRole).isValid())
            return !node->isHidden();
        if (node->text(1) == "skipped")
            return true;
        bool any = false;
        for (int c = 0; c < node->childCount(); ++c)
            any = hideEmpty(node->child(c)) || any;
        node->setHidden(!any);
        return any;
    };
    for (int t = 0; t < tree_->topLevelItemCount(); ++t)
        hideEmpty(tree_->topLevelItem(t));
    int right = 0, wrong = 0;
    for (const auto v : verdicts_) {
        right += v == Verdict::Right;
        wrong += v == Verdict::Wrong;
    }
    QString text = QString("%1 of %2 scans shown").arg(shown).arg(leaves_.size());
    if (right + wrong > 0)
        text += QString("; first network right on %1, wrong on %2 (%3% accuracy)")
                    .arg(right)
                    .arg(wrong)
                    .arg(100.0 * right / (right + wrong), 0, 'f', 1);
    counts_->setText(text);
    const QTreeWidgetItem* current = tree_->currentItem();
    if ((!current || current->isHidden()) && shown > 0)
        selectNext();
}

void ScanBrowser::setPrediction(int index, Verdict verdict, const QString& text, const QString& toolTip) {
    if (index < 0 || index >= static_cast<int>(leaves_.size()))
        return;
    verdicts_[static_cast<size_t>(index)] = verdict;
    auto* leaf = leaves_[static_cast<size_t>(index)];
    leaf->setText(1, text);
    leaf->setToolTip(1, toolTip);
    leaf->setForeground(1, verdict == Verdict::Right   ? QBrush(QColor(30, 140, 60))
                           : verdict == Verdict::Wrong ? QBrush(QColor(200, 40, 40))
                                                       : QBrush());
    if (verdictFilter_->currentIndex() != 0) {
        const bool visible = passes(index);
        if (leaf->isHidden() == visible)
            applyFilters();
    }
}

void ScanBrowser::setSubset(std::optional<std::set<QString>> scans, const QString& why) {
    subset_ = std::move(scans);
    subsetButton_->setVisible(subset_.has_value());
    subsetButton_->setText(QString("%1 (%2 scans)  \u2715").arg(why).arg(subset_ ? subset_->size() : 0));
    applyFilters();
}

void ScanBrowser::setMarked(const std::vector<bool>& marked) {
    if (marked.size() != marked_.size() || marked == marked_)
        return;
    marked_ = marked;
    if (markFilter_->currentIndex() != 0)
        applyFilters();
}

void ScanBrowser::clearPredictions() {
    verdicts_.assign(verdicts_.size(), Verdict::Unknown);
    for (auto* leaf : leaves_)
        leaf->setText(1, {});
    applyFilters();
}

int ScanBrowser::currentIndex() const {
    const QTreeWidgetItem* item = tree_->currentItem();
    return item && item->data(0, kIndexRole).isValid() ? item->data(0, kIndexRole).toInt() : -1;
}

std::vector<int> ScanBrowser::selectedIndices() const {
    std::vector<int> out;
    for (const auto* item : tree_->selectedItems())
        if (item->data(0, kIndexRole).isValid())
            out.push_back(item->data(0, kIndexRole).toInt());
    std::sort(out.begin(), out.end());
    return out;
}

bool ScanBrowser::selectIndex(int index) {
    if (index < 0 || index >= static_cast<int>(leaves_.size()) ||
        leaves_[static_cast<size_t>(index)]->isHidden())
        return false;
    tree_->setCurrentItem(leaves_[static_cast<size_t>(index)]);
    tree_->scrollToItem(leaves_[static_cast<size_t>(index)]);
    return true;
}

std::vector<QTreeWidgetItem*> ScanBrowser::visibleLeaves() const {
    // In tree order (parts, classes, scans), which is what a user walks through.
    std::vector<QTreeWidgetItem*> out;
    for (QTreeWidgetItemIterator it(tree_, QTreeWidgetItemIterator::NotHidden); *it; ++it)
        if ((*it)->data(0, kIndexRole).isValid())
            out.push_back(*it);
    return out;
}

int ScanBrowser::visibleCount() const {
    return static_cast<int>(visibleLeaves().size());
}

bool ScanBrowser::selectNext() {
    const auto visible = visibleLeaves();
    if (visible.empty())
        return false;
    const auto it = std::find(visible.begin(), visible.end(), tree_->currentItem());
    QTreeWidgetItem* next =
        it == visible.end() ? visible.front() : (it + 1 == visible.end() ? nullptr : *(it + 1));
    if (!next)
        return false;
    tree_->setCurrentItem(next);
    tree_->scrollToItem(next);
    return true;
}

bool ScanBrowser::selectPrevious() {
    const auto visible = visibleLeaves();
    const auto it = std::find(visible.begin(), visible.end(), tree_->currentItem());
    if (it == visible.end() || it == visible.begin())
        return false;
    tree_->setCurrentItem(*(it - 1));
    tree_->scrollToItem(*(it - 1));
    return true;
}

void ScanBrowser::loadThumbnails() {
    if (!dataset_)
        return;
    const int generation = ++*thumbnailGeneration_;
    auto current = thumbnailGeneration_;
    const auto dataset = dataset_;
    QPointer<ScanBrowser> self(this);
    // Decoding hundreds of scans takes seconds: in chunks on the global pool, lowest priority.
    for (size_t start = 0; start < dataset->items.size(); start += kThumbnailChunk) {
        QThreadPool::globalInstance()->start(
            [self, dataset, start, generation, current] {
                std::vector<std::pair<int, QImage>> images;
                const size_t end = std::min(dataset->items.size(), start + kThumbnailChunk);
                for (size_t i = start; i < end && *current == generation; ++i) {
                    try {
                        const Scan scan = readScan(dataset->absolute(dataset->items[i]));
                        cv::Mat small;
                        const double s =
                            static_cast<double>(kThumbnail) / std::max(scan.rgb.cols, scan.rgb.rows);
                        cv::resize(scan.rgb, small, cv::Size(), s, s, cv::INTER_AREA);
                        images.emplace_back(static_cast<int>(i), toQImage(small));
                    } catch (...) {
                    }
                }
                if (*current != generation)
                    return;
                QMetaObject::invokeMethod(
                    qApp,
                    [self, images, generation, current] {
                        if (!self || *current != generation)
                            return;
                        for (const auto& [i, image] : images)
                            self->leaves_[static_cast<size_t>(i)]->setIcon(0,
                                                                           QIcon(QPixmap::fromImage(image)));
                    },
                    Qt::QueuedConnection);
            },
            -1);
    }
}

}  // namespace saliency::ui
