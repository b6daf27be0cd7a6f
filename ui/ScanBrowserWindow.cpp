#include "ScanBrowserWindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgcodecs.hpp>

#include "ImageConversion.h"
#include "io/ScanReader.h"

namespace saliency::ui {

namespace {

constexpr int kItemIndexRole = Qt::UserRole + 1;

QString describe(const DatasetItem& item, const std::string& className) {
    return QString("%1\nclass: %2\n%3 x %4 px, %5, %6 channel(s), %7 bit\nmask: %8")
        .arg(QString::fromStdString(item.relativePath.generic_string()), QString::fromStdString(className))
        .arg(item.width)
        .arg(item.height)
        .arg(QString::fromStdString(item.format))
        .arg(item.channels)
        .arg(item.bits)
        .arg(item.maskPath ? QString::fromStdString(item.maskPath->generic_string()) : QString("none"));
}

}  // namespace

ScanBrowserWindow::ScanBrowserWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("Saliency Studio");
    tree_ = new QTreeWidget;
    tree_->setHeaderLabels({"Scan"});
    tree_->header()->setStretchLastSection(true);
    tree_->setUniformRowHeights(true);

    image_ = new QLabel("Open a data set (File > Open data set, Ctrl+O)");
    image_->setAlignment(Qt::AlignCenter);
    image_->setMinimumSize(320, 320);
    image_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    image_->setStyleSheet("QLabel { background: #111; color: #bbb; }");
    details_ = new QLabel;
    details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    showMask_ = new QCheckBox("Outline tumour mask");
    showMask_->setChecked(true);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(image_, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(details_, 1);
    bottom->addWidget(showMask_, 0, Qt::AlignTop);
    rightLayout->addLayout(bottom);

    auto* splitter = new QSplitter;
    splitter->addWidget(tree_);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({320, 900});
    setCentralWidget(splitter);
    buildMenus();
    statusBar()->showMessage("No data set");

    connect(tree_, &QTreeWidget::currentItemChanged, this, [this] { showSelectedScan(); });
    connect(showMask_, &QCheckBox::toggled, this, [this] { showSelectedScan(); });
    connect(&scanWatcher_, &QFutureWatcher<std::shared_ptr<const Dataset>>::finished, this,
            [this] { showDataset(scanWatcher_.result()); });
}

ScanBrowserWindow::~ScanBrowserWindow() {
    scanWatcher_.waitForFinished();
}

void ScanBrowserWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu("&File");
    file->addAction("&Open data set...", QKeySequence::Open, this, [this] { chooseDataset(); });
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu* help = menuBar()->addMenu("&Help");
    help->addAction("&About Saliency Studio", this, [this] {
        QMessageBox::about(this, "About Saliency Studio",
                           "Saliency Studio: see what a CNN looks at when it calls a brain MRI scan "
                           "\"tumour\" or \"healthy\".");
    });
}

void ScanBrowserWindow::chooseDataset() {
    const QString folder =
        QFileDialog::getExistingDirectory(this, "Open data set (a folder of class folders)");
    if (!folder.isEmpty())
        openDataset(folder);
}

void ScanBrowserWindow::openDataset(const QString& folder) {
    statusBar()->showMessage("Scanning " + folder + " ...");
    const std::filesystem::path root = folder.toStdString();
    // Scanning decodes every file: seconds for thousands of scans, so never on the GUI thread.
    scanWatcher_.setFuture(QtConcurrent::run([root]() -> std::shared_ptr<const Dataset> {
        try {
            return std::make_shared<const Dataset>(scanDataset(root));
        } catch (const std::exception& e) {
            auto failed = std::make_shared<Dataset>();
            failed->root = root;
            failed->skipped.push_back({root, e.what()});
            return failed;
        }
    }));
}

void ScanBrowserWindow::showDataset(std::shared_ptr<const Dataset> dataset) {
    tree_->clear();
    if (dataset->classes.empty()) {
        const QString reason =
            QString::fromStdString(dataset->skipped.empty() ? "unknown error" : dataset->skipped[0].reason);
        statusBar()->showMessage("Could not open the data set");
        auto* box =
            new QMessageBox(QMessageBox::Warning, "Cannot open data set", reason, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        dataset_.reset();
        Q_EMIT datasetLoaded(false);
        return;
    }
    dataset_ = std::move(dataset);
    std::vector<QTreeWidgetItem*> classNodes;
    const auto counts = dataset_->countPerClass();
    for (size_t c = 0; c < dataset_->classes.size(); ++c) {
        auto* node = new QTreeWidgetItem(tree_, {QString("%1 (%2)")
                                                     .arg(QString::fromStdString(dataset_->classes[c]))
                                                     .arg(counts.at(static_cast<int>(c)))});
        node->setExpanded(true);
        classNodes.push_back(node);
    }
    for (size_t i = 0; i < dataset_->items.size(); ++i) {
        const auto& item = dataset_->items[i];
        auto* leaf = new QTreeWidgetItem(classNodes[static_cast<size_t>(item.label)],
                                         {QString::fromStdString(item.relativePath.filename().string())});
        leaf->setData(0, kItemIndexRole, static_cast<int>(i));
    }
    if (!dataset_->skipped.empty()) {
        auto* node =
            new QTreeWidgetItem(tree_, {QString("Skipped files (%1)").arg(dataset_->skipped.size())});
        for (const auto& s : dataset_->skipped) {
            auto* leaf = new QTreeWidgetItem(node, {QString::fromStdString(s.relativePath.generic_string())});
            leaf->setToolTip(0, QString::fromStdString(s.reason));
            leaf->setForeground(0, QBrush(Qt::gray));
        }
    }
    statusBar()->showMessage(QString("%1: %2 scans in %3 classes, %4 skipped")
                                 .arg(QString::fromStdString(dataset_->root.filename().string()))
                                 .arg(dataset_->items.size())
                                 .arg(dataset_->classes.size())
                                 .arg(dataset_->skipped.size()));
    if (!classNodes.empty() && classNodes.front()->childCount() > 0)
        tree_->setCurrentItem(classNodes.front()->child(0));
    Q_EMIT datasetLoaded(true);
}

void ScanBrowserWindow::showSelectedScan() {
    const QTreeWidgetItem* current = tree_->currentItem();
    if (!dataset_ || !current || !current->data(0, kItemIndexRole).isValid())
        return;
    const auto& item = dataset_->items[static_cast<size_t>(current->data(0, kItemIndexRole).toInt())];
    showMask_->setEnabled(item.maskPath.has_value());
    const int request = ++scanRequest_;
    const QString relative = QString::fromStdString(item.relativePath.generic_string());
    const QString details = describe(item, dataset_->classes[static_cast<size_t>(item.label)]);
    const std::filesystem::path file = dataset_->absolute(item);
    const std::optional<std::filesystem::path> mask = item.maskPath && showMask_->isChecked()
                                                          ? std::optional(dataset_->root / *item.maskPath)
                                                          : std::nullopt;
    QPointer<ScanBrowserWindow> self(this);
    // Decode off the GUI thread; the newest request wins, stale results are dropped.
    (void)QtConcurrent::run([self, request, relative, details, file, mask] {
        QImage image;
        QString text = details;
        try {
            image = toQImage(readScan(file).rgb);
            if (mask)
                image = withMaskOutline(image, cv::imread(mask->string(), cv::IMREAD_GRAYSCALE),
                                        QColor(255, 60, 60));
        } catch (const std::exception& e) {
            text = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, request, relative, image, text] {
                if (self && request == self->scanRequest_)
                    self->showScanImage(relative, image, text);
            },
            Qt::QueuedConnection);
    });
}

void ScanBrowserWindow::showScanImage(const QString& relativePath, const QImage& image,
                                      const QString& details) {
    details_->setText(details);
    currentImage_ = image;
    if (image.isNull()) {
        image_->setText("Cannot show this scan");
    } else {
        rescaleImage();
    }
    Q_EMIT scanShown(relativePath);
}

void ScanBrowserWindow::rescaleImage() {
    if (currentImage_.isNull())
        return;
    image_->setPixmap(QPixmap::fromImage(currentImage_)
                          .scaled(image_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

void ScanBrowserWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    rescaleImage();
}

}  // namespace saliency::ui
