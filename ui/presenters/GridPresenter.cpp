#include "GridPresenter.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDialog>
#include <QPointer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgproc.hpp>

#include "CellRendering.h"
#include "ComparisonGrid.h"
#include "DatasetPresenter.h"
#include "ExplanationService.h"
#include "PredictionStyle.h"
#include "saliency/SharedScale.h"

namespace saliency::ui {

namespace {

// The windowed scan as the original column shows it, at the display raster's size.
cv::Mat windowedBase(const Scan& scan, const Window& window, const cv::Size& size) {
    cv::Mat gray = applyWindow(scan.intensity, window);
    cv::Mat rgb;
    cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
    if (rgb.size() != size)
        cv::resize(rgb, rgb, size, 0, 0, cv::INTER_AREA);
    return rgb;
}

}  // namespace

GridPresenter::GridPresenter(ComparisonGrid& grid, ExplanationService& service,
                             const DatasetPresenter& dataset, QObject* parent)
    : QObject(parent), grid_(grid), service_(service), dataset_(dataset) {
    connect(&service_, &ExplanationService::explained, this, &GridPresenter::onExplained);
    connect(&service_, &ExplanationService::failed, this, &GridPresenter::onFailed);
    connect(&grid_, &ComparisonGrid::windowDragged, this, &GridPresenter::adjustWindow);
    connect(&grid_, &ComparisonGrid::cellDoubleClicked, this, &GridPresenter::openLargeView);
    overlaysRerender_.setSingleShot(true);
    overlaysRerender_.setInterval(120);
    connect(&overlaysRerender_, &QTimer::timeout, this, [this] {
        for (const auto& m : service_.models())
            renderRow(m.id);
    });
}

QString GridPresenter::currentKey() const {
    const auto current = dataset_.current();
    return current ? dataset_.scanKey(current->index) : QString();
}

void GridPresenter::setMethods(const std::vector<explain::Method>& methods) {
    methods_ = methods;
    refresh();
}

void GridPresenter::setTargetClass(int targetClass) {
    targetClass_ = targetClass;
    refresh();
}

void GridPresenter::setDisplay(const DisplayOptions& display) {
    if (display == display_)
        return;
    display_ = display;
    renderOriginals();
    for (const auto& m : service_.models())
        renderRow(m.id);
}

explain::ExplainRequest GridPresenter::explainRequest() const {
    explain::ExplainRequest request;
    request.methods = methods_;
    request.targetClass = targetClass_;
    return request;
}

void GridPresenter::showCurrentScan() {
    windowed_ = cv::Mat();
    if (const auto current = dataset_.current()) {
        if (preset_)
            window_ = presetWindow(current->scan, *preset_);
        windowed_ = windowedBase(current->scan, window_, current->base.size());
    }
    Q_EMIT windowChanged(window_, preset_);
    refresh();
}

void GridPresenter::modelAdded(int id) {
    if (classes_.isEmpty()) {  // the first network names the classes a map can explain
        if (const auto* session = service_.session(id)) {
            for (const auto& c : session->info().classes)
                classes_ << QString::fromStdString(c);
            Q_EMIT classesChanged(classes_);
        }
    }
    refresh();
}

void GridPresenter::refresh() {
    rebuild();
    requestExplanations();
}

void GridPresenter::requestExplanations() {
    const auto current = dataset_.current();
    if (!current || service_.models().empty() || methods_.empty()) {
        if (current)
            Q_EMIT filled(current->index, fillClock_.isValid() ? fillClock_.elapsed() / 1000.0 : 0.0);
        return;
    }
    rowsPending_.clear();
    for (const auto& m : service_.models())
        rowsPending_.push_back(m.id);
    service_.request(currentKey(), current->scan.rgb, explainRequest());
}

int GridPresenter::rowOf(int modelId) const {
    const auto& rows = grid_.content().rows;
    for (size_t r = 0; r < rows.size(); ++r)
        if (rows[r].modelId == modelId)
            return static_cast<int>(r);
    return -1;
}

std::pair<int, int> GridPresenter::cellOf(int modelId, explain::Method method) const {
    const int row = rowOf(modelId);
    const auto it = std::find(methods_.begin(), methods_.end(), method);
    if (row < 0 || it == methods_.end())
        return {-1, -1};
    return {row, static_cast<int>(it - methods_.begin()) + 1};  // the scan is column 0
}

GridRow GridPresenter::rowFor(int modelId, const CellContent& original) const {
    GridRow row;
    row.modelId = modelId;
    const auto* session = service_.session(modelId);
    row.title = service_.modelName(modelId);
    row.subtitle = QString::fromStdString(session->info().architecture) + "\ncomputing...";
    CellContent pending;
    pending.pending = true;
    row.cells.assign(methods_.size() + 1, pending);
    for (size_t c = 0; c < methods_.size(); ++c)
        row.cells[c + 1].title = QString::fromStdString(explain::methodTitle(methods_[c]));
    row.cells[0] = original;
    return row;
}

void GridPresenter::setSanityFailures(int modelId, std::vector<explain::Method> failing) {
    if (failing.empty())
        sanityFailures_.erase(modelId);
    else
        sanityFailures_[modelId] = std::move(failing);
    GridContent content = grid_.content();
    content.columnBadges = QStringList{QString()};
    for (const auto m : methods_)
        content.columnBadges << sanityBadge(m);
    grid_.setContent(std::move(content));
}

// "fails sanity check: cnn4-demo", naming every open network for which `method` failed.
QString GridPresenter::sanityBadge(explain::Method method) const {
    QStringList networks;
    for (const auto& [id, failing] : sanityFailures_)
        if (std::find(failing.begin(), failing.end(), method) != failing.end() && service_.session(id))
            networks << service_.modelName(id);
    return networks.isEmpty() ? QString() : "fails sanity check: " + networks.join(", ");
}

void GridPresenter::rebuild() {
    ++renderGeneration_;
    GridContent content;
    content.columns << "Scan";
    content.columnBadges << QString();
    for (const auto m : methods_) {
        content.columns << QString::fromStdString(explain::methodTitle(m));
        content.columnBadges << sanityBadge(m);
    }
    if (const auto current = dataset_.current()) {
        content.heading =
            QString("%1   (true class: %2)").arg(currentKey(), dataset_.trueClass(current->index));
        // The scan column is the same in every row: windowed and rendered once.
        const CellContent original = originalCell();
        if (service_.models().empty()) {
            GridRow row;
            row.title = "No network";
            row.subtitle = "Open a model\n(Ctrl+M)";
            row.cells.push_back(original);
            content.columns = QStringList{"Scan"};
            content.rows.push_back(row);
        }
        for (const auto& m : service_.models())
            content.rows.push_back(rowFor(m.id, original));
    } else if (!dataset_.unreadableReason().isEmpty()) {
        // Where the user looks, not only in the status bar: which scan, and the reader's reason.
        content.heading = dataset_.scanKey(dataset_.currentIndex()) + "   (cannot be read)";
        content.columns = QStringList{"Scan"};
        GridRow row;
        row.title = "Not readable";
        row.subtitle = "Fix or remove the file;\nthe other scans are fine";
        row.accent = QColor(200, 60, 60);
        row.cells.push_back(CellContent{.message = dataset_.unreadableReason(), .kind = CellKind::Scan});
        content.rows.push_back(row);
    }
    grid_.setContent(std::move(content));
    Q_EMIT contentChanged();
}

void GridPresenter::onExplained(const QString& key, int modelId, double seconds) {
    if (!dataset_.current() || key != currentKey())
        return;
    if (display_.sharedScale) {  // the common maximum may have grown: every row again
        for (const auto& m : service_.models())
            renderRow(m.id);
    } else {
        renderRow(modelId);
    }
    if (seconds > 0)
        Q_EMIT status(
            QString("%1: maps in %2 ms").arg(service_.modelName(modelId)).arg(seconds * 1000, 0, 'f', 0),
            4000);
}

void GridPresenter::onFailed(const QString& key, int modelId, const QString& message) {
    if (!dataset_.current() || key != currentKey())
        return;
    const int r = rowOf(modelId);
    if (r >= 0) {
        GridContent content = grid_.content();
        auto& row = content.rows[static_cast<size_t>(r)];
        row.subtitle = QString::fromStdString(service_.session(modelId)->info().architecture) + "\nfailed";
        for (size_t c = 1; c < row.cells.size(); ++c) {
            row.cells[c].pending = false;
            row.cells[c].message = message;
        }
        grid_.setContent(std::move(content));
    }
    std::erase(rowsPending_, modelId);
    checkFilled();
}

std::map<explain::Method, double> GridPresenter::sharedPeaks() const {
    std::map<explain::Method, double> peaks;
    if (!display_.sharedScale)
        return peaks;
    for (const auto& m : service_.models())
        if (const auto result = service_.result(currentKey(), m.id, explainRequest()))
            for (const auto& map : result->maps)
                peaks[map.method] = std::max(peaks[map.method], explain::magnitudePeak(map));
    return peaks;
}

void GridPresenter::renderRow(int modelId) {
    const auto scan = dataset_.current();
    if (!scan)
        return;
    const auto result = service_.result(currentKey(), modelId, explainRequest());
    if (!result)
        return;
    const auto* session = service_.session(modelId);
    if (!session)
        return;
    const auto& classes = session->info().classes;
    auto className = [&](int c) {
        return c >= 0 && c < static_cast<int>(classes.size())
                   ? QString::fromStdString(classes[static_cast<size_t>(c)])
                   : QString::number(c);
    };
    const int generation = renderGeneration_;
    const DisplayOptions display = display_;
    const QString caption = QString("%1 %2").arg(
        className(result->targetClass),
        probabilityText(result->probabilities.at(static_cast<size_t>(result->targetClass))));
    QPointer<GridPresenter> self(this);
    // Overlays, contours and centres for a row take a few ms per cell: off the GUI thread.
    const cv::Mat base = windowed_.empty() ? scan->base : windowed_;  // the scan as windowed, under the maps
    const auto peaks = sharedPeaks();
    (void)QtConcurrent::run([self, result, scan, base, display, caption, generation, modelId, peaks] {
        std::vector<CellContent> cells;
        for (const auto& map : result->maps) {
            const auto peak = peaks.find(map.method);
            cells.push_back(
                renderMap(base, map, scan->mask, display, caption, peak == peaks.end() ? 0.0 : peak->second));
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, cells = std::move(cells), generation, modelId, result]() mutable {
                if (self && generation == self->renderGeneration_)
                    self->showRenderedRow(modelId, std::move(cells), result);
            },
            Qt::QueuedConnection);
    });
}

void GridPresenter::showRenderedRow(int modelId, std::vector<CellContent> cells,
                                    std::shared_ptr<const explain::ImageExplanation> result) {
    const int r = rowOf(modelId);
    const auto current = dataset_.current();
    if (r < 0 || !current)
        return;
    for (size_t c = 0; c < cells.size(); ++c)
        grid_.setCell(r, static_cast<int>(c) + 1, std::move(cells[c]));
    GridContent content = grid_.content();
    auto& row = content.rows[static_cast<size_t>(r)];
    const auto& info = service_.session(modelId)->info();
    const int predicted = result->predictedClass;
    const QString name = QString::fromStdString(info.classes.at(static_cast<size_t>(predicted)));
    const bool right = name == dataset_.trueClass(current->index);
    row.accent = right ? kPredictionRight : kPredictionWrong;
    row.subtitle = QString("%1\npredicted: %2 %3\n%4")
                       .arg(QString::fromStdString(info.architecture), name,
                            probabilityText(result->probabilities.at(static_cast<size_t>(predicted))),
                            right ? "right" : "wrong");
    grid_.setContent(std::move(content));
    Q_EMIT contentChanged();
    std::erase(rowsPending_, modelId);
    checkFilled();
}

CellContent GridPresenter::originalCell() {
    const auto current = dataset_.current();
    const cv::Mat base =
        windowed_.empty() ? windowedBase(current->scan, window_, current->base.size()) : windowed_;
    return renderOriginal(base, current->mask, display_);
}

void GridPresenter::renderOriginals() {
    if (!dataset_.current())
        return;
    const CellContent original = originalCell();
    for (int r = 0; r < static_cast<int>(grid_.content().rows.size()); ++r)
        grid_.setCell(r, 0, original);
}

void GridPresenter::checkFilled() {
    const auto current = dataset_.current();
    if (current && rowsPending_.empty())
        Q_EMIT filled(current->index, fillClock_.elapsed() / 1000.0);
}

void GridPresenter::applyWindow() {
    Q_EMIT windowChanged(window_, preset_);
    const auto current = dataset_.current();
    if (!current)
        return;
    windowed_ = windowedBase(current->scan, window_, current->base.size());
    renderOriginals();
    overlaysRerender_.start();
}

void GridPresenter::setWindowPreset(WindowPreset preset) {
    preset_ = preset;
    if (const auto current = dataset_.current())
        window_ = presetWindow(current->scan, preset);
    applyWindow();
}

void GridPresenter::setWindow(const Window& window) {
    preset_.reset();
    window_ = window;
    applyWindow();
}

void GridPresenter::adjustWindow(double dx, double dy) {
    if (!dataset_.current())
        return;
    // A full drag across 500 px changes the width or level by the current width.
    const double step = std::max(1.0, window_.width) / 500.0;
    preset_.reset();
    window_.width = std::max(1.0, window_.width + dx * step);
    window_.centre += dy * step;
    applyWindow();
}

void GridPresenter::resetWindow() {
    setWindowPreset(preset_.value_or(WindowPreset::File));
}

void GridPresenter::openLargeView(int row, int column) {
    const auto& rows = grid_.content().rows;
    if (row < 0 || row >= static_cast<int>(rows.size()))
        return;
    auto* dialog = new QDialog(grid_.window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const auto& cell = rows[static_cast<size_t>(row)].cells.at(static_cast<size_t>(column));
    dialog->setWindowTitle(rows[static_cast<size_t>(row)].title + " - " + cell.title);
    auto* view = new ComparisonGrid;
    GridContent content;
    content.showHeaders = false;
    content.columns << cell.title;
    GridRow single;
    single.cells.push_back(cell);
    content.rows.push_back(single);
    view->setContent(content);
    view->setView(grid_.zoom(), grid_.centre());
    auto* layout = new QVBoxLayout(dialog);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    dialog->resize(720, 720);
    dialog->show();
}

}  // namespace saliency::ui
