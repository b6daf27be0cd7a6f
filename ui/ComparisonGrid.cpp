#include "ComparisonGrid.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include "study/GroundTruth.h"

namespace saliency::ui {

namespace {
constexpr double kHeading = 26;  // the scan's name above the grid
}

namespace {

void paintRowHeader(QPainter& painter, const GridRow& row, const QRectF& header, const QFont& font) {
    painter.fillRect(QRectF(header.topLeft(), QSizeF(4, header.height())), row.accent);
    QFont bold = font;
    bold.setBold(true);
    const QRectF text = header.adjusted(10, 4, -4, -4);
    // A long network name shrinks (down to 70%) before it is elided: names tell models apart.
    const double size = bold.pointSizeF();
    while (QFontMetricsF(bold).horizontalAdvance(row.title) > text.width() && bold.pointSizeF() > 0.7 * size)
        bold.setPointSizeF(bold.pointSizeF() - 0.25);
    painter.setFont(bold);
    const QFontMetricsF metrics(bold);
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop,
                     metrics.elidedText(row.title, Qt::ElideMiddle, text.width()));
    painter.setFont(font);
    painter.drawText(text.adjusted(0, metrics.height() + 2, 0, 0),
                     Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, row.subtitle);
}

// A red "x" badge right of a centred column title; the text (which networks failed) is drawn
// beside it when the header is wide enough, elided otherwise.
void paintBadge(QPainter& painter, const QRectF& header, double titleWidth, const QString& text,
                const QFont& font) {
    const double side = std::min(16.0, header.height() - 4);
    const double x = header.center().x() + titleWidth / 2 + 6;
    const QRectF circle(x, header.center().y() - side / 2, side, side);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(200, 40, 40));
    painter.drawEllipse(circle);
    painter.setPen(Qt::white);
    QFont small = font;
    small.setBold(true);
    small.setPixelSize(static_cast<int>(side * 0.75));
    painter.setFont(small);
    painter.drawText(circle, Qt::AlignCenter, "!");
    QFont note = font;
    note.setPixelSize(std::max(9, static_cast<int>(side * 0.7)));
    painter.setFont(note);
    painter.setPen(QColor(200, 40, 40));
    const QRectF rest(circle.right() + 3, header.top(), header.right() - circle.right() - 3, header.height());
    if (rest.width() > 20)
        painter.drawText(rest, Qt::AlignLeft | Qt::AlignVCenter,
                         QFontMetricsF(note).elidedText(text, Qt::ElideRight, rest.width()));
    painter.restore();
}

// A reader's lesion mark: a dashed box, or a point with the pointing game's tolerance as a circle.
void paintLesion(QPainter& painter, const QRectF& target, const QSizeF& imageSize, double zoom, QPointF centre,
                 const QRectF& lesion) {
    painter.save();
    painter.setClipRect(target);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setBrush(Qt::NoBrush);
    const QColor colour(255, 220, 0);  // yellow: apart from the mask (red), centre (green), cursor (cyan)
    const QPointF a = cellPointOf(target, imageSize, zoom, centre, lesion.topLeft());
    if (lesion.width() > 0 && lesion.height() > 0) {
        painter.setPen(QPen(colour, 1.5, Qt::DashLine));
        painter.drawRect(QRectF(a, cellPointOf(target, imageSize, zoom, centre, lesion.bottomRight())));
    } else {
        const QPointF edge = cellPointOf(target, imageSize, zoom, centre,
                                         lesion.topLeft() + QPointF(study::kPointTolerance, 0));
        const double side = std::min(imageSize.width(), imageSize.height()) / imageSize.width();
        const double radius = (edge.x() - a.x()) * side;
        painter.setPen(QPen(colour, 1.5));
        painter.drawEllipse(a, radius, radius);
        painter.drawLine(a - QPointF(4, 0), a + QPointF(4, 0));
        painter.drawLine(a - QPointF(0, 4), a + QPointF(0, 4));
    }
    painter.restore();
}

}  // namespace

void paintGrid(QPainter& painter, const GridContent& content, const GridLayout& layout, double zoom,
               QPointF centre, std::pair<int, int> focused, std::optional<QPointF> cursor,
               const LesionOverlay& lesions) {
    painter.save();
    const QFont font = painter.font();
    QFont bold = font;
    bold.setBold(true);
    if (!layout.heading.isEmpty()) {
        painter.setFont(bold);
        painter.drawText(layout.heading, Qt::AlignLeft | Qt::AlignVCenter, content.heading);
    }
    if (content.showHeaders) {
        painter.setFont(bold);
        for (const auto& header : layout.columnHeaders)
            if (header.index < content.columns.size()) {
                const QString badge = header.index < content.columnBadges.size()
                                          ? content.columnBadges[header.index]
                                          : QString();
                if (badge.isEmpty()) {
                    painter.drawText(header.rect, Qt::AlignCenter, content.columns[header.index]);
                    continue;
                }
                const QFontMetricsF metrics(bold);
                const QString title = content.columns[header.index];
                const QRectF titleRect(header.rect.left(), header.rect.top(), header.rect.width() - 4,
                                       header.rect.height());
                painter.drawText(titleRect, Qt::AlignCenter, title);
                paintBadge(painter, header.rect, metrics.horizontalAdvance(title), badge, font);
                painter.setFont(bold);
            }
        painter.setFont(font);
        for (const auto& header : layout.rowHeaders)
            paintRowHeader(painter, content.rows.at(static_cast<size_t>(header.index)), header.rect, font);
    }
    painter.setFont(font);
    for (const auto& placement : layout.cells) {
        const CellContent& cell = content.rows.at(static_cast<size_t>(placement.row))
                                      .cells.at(static_cast<size_t>(placement.column));
        paintCell(painter, placement.rect, cell, zoom, centre, true,
                  focused == std::pair(placement.row, placement.column));
        if (cursor && !cell.image.isNull())
            paintCrosshair(painter, placement.rect, cell.image.size(), zoom, centre, *cursor);
        if (!cell.image.isNull())
            for (const QRectF& lesion : lesions)
                paintLesion(painter, placement.rect, cell.image.size(), zoom, centre, lesion);
    }
    painter.restore();
}

ComparisonGrid::ComparisonGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);  // the linked cursor follows the mouse without a button held
    setFocusPolicy(Qt::ClickFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ComparisonGrid::setContent(GridContent content) {
    content_ = std::move(content);
    const auto [row, column] = focused_;
    if (row >= static_cast<int>(content_.rows.size()) || column >= static_cast<int>(content_.columns.size()))
        setFocusedCell(-1, -1);
    // Focus mode stays on while a scan has no rows (the layout shows nothing to focus on).
    const int rows = static_cast<int>(content_.rows.size());
    if (rows > 0 && arrangement_.focusRow >= rows)
        arrangement_.focusRow = rows - 1;
    updateGeometry();
    update();
}

void ComparisonGrid::setCell(int row, int column, CellContent cell) {
    if (row < 0 || row >= static_cast<int>(content_.rows.size()))
        return;
    auto& cells = content_.rows[static_cast<size_t>(row)].cells;
    if (column < 0 || column >= static_cast<int>(cells.size()))
        return;
    cells[static_cast<size_t>(column)] = std::move(cell);
    if (const auto rect = layout().rectOf(row, column))
        update(rect->toAlignedRect());
}

void ComparisonGrid::setMinimumCell(int pixels) {
    minimumCell_ = pixels;
    updateGeometry();
}

void ComparisonGrid::setView(double zoom, QPointF centre) {
    zoom_ = std::clamp(zoom, 1.0, 16.0);
    // Keep the view inside the image: at zoom z the visible half-extent is 0.5 / z.
    const double half = 0.5 / zoom_;
    centre_ = QPointF(std::clamp(centre.x(), half, 1.0 - half), std::clamp(centre.y(), half, 1.0 - half));
    update();
    Q_EMIT viewChanged(zoom_, centre_);
}

double ComparisonGrid::headingHeight() const {
    return content_.showHeaders && !content_.heading.isEmpty() ? kHeading : 0;
}

GridLayout ComparisonGrid::layout() const {
    return GridLayout::arrange(content_, arrangement_, QSizeF(size()), minimumCell_, headingHeight());
}

void ComparisonGrid::setArrangement(const GridArrangement& arrangement) {
    if (arrangement == arrangement_)
        return;
    arrangement_ = arrangement;
    updateGeometry();
    update();
    Q_EMIT arrangementChanged();
}

void ComparisonGrid::setScanColumn(ScanColumn scanColumn) {
    GridArrangement a = arrangement_;
    a.scanColumn = scanColumn;
    setArrangement(a);
}

void ComparisonGrid::setFocusMode(bool on) {
    GridArrangement a = arrangement_;
    a.focusRow = !on || content_.rows.empty() ? -1 : std::max(0, focused_.first);
    setArrangement(a);
    if (a.focusRow >= 0)
        focusOnShownRow(a.focusRow);
}

void ComparisonGrid::stepFocusRow(int delta) {
    const int rows = static_cast<int>(content_.rows.size());
    if (!focusMode() || rows == 0)
        return;
    const int row = ((arrangement_.focusRow + delta) % rows + rows) % rows;
    GridArrangement a = arrangement_;
    a.focusRow = row;
    setArrangement(a);
    focusOnShownRow(row);
}

void ComparisonGrid::focusOnShownRow(int row) {
    // Keyboard marking acts on the focused cell: in focus mode, always a map of the network on
    // screen (the same method as before, else the first map).
    setFocusedCell(row, std::max(1, focused_.second));
}

QSize ComparisonGrid::minimumSizeHint() const {
    // Every cell at the readable minimum: below this the scroll area scrolls.
    return GridLayout::arrange(content_, arrangement_, QSizeF(0, 0), minimumCell_, headingHeight())
        .size.toSize();
}

QSize ComparisonGrid::sizeHint() const {
    return minimumSizeHint().expandedTo(QSize(800, 500));
}

std::pair<int, int> ComparisonGrid::cellAt(QPointF position) const {
    const GridLayout l = layout();
    if (const auto* placement = l.at(position))
        return {placement->row, placement->column};
    return {-1, -1};
}

void ComparisonGrid::setLinkedCursor(std::optional<QPointF> normalised) {
    if (normalised == cursor_)
        return;
    cursor_ = normalised;
    update();
}

void ComparisonGrid::trackCursor(QPointF position) {
    const GridLayout l = layout();
    const auto* placement = l.at(position);
    std::optional<QPointF> point;
    if (placement) {
        const CellContent& cell = content_.rows.at(static_cast<size_t>(placement->row))
                                      .cells.at(static_cast<size_t>(placement->column));
        if (!cell.image.isNull())
            point = imagePointAt(placement->rect, cell.image.size(), zoom_, centre_, position);
    }
    const bool had = cursor_.has_value();
    setLinkedCursor(point);
    if (point)
        Q_EMIT cursorMoved(*point);
    else if (had)
        Q_EMIT cursorLeft();
}

void ComparisonGrid::leaveEvent(QEvent* event) {
    QWidget::leaveEvent(event);
    if (cursor_) {
        setLinkedCursor(std::nullopt);
        Q_EMIT cursorLeft();
    }
}

void ComparisonGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setPen(palette().color(QPalette::WindowText));
    LesionOverlay lesions = lesions_;
    if (lesionDrag_)
        lesions.push_back(*lesionDrag_);
    paintGrid(painter, content_, layout(), zoom_, centre_, focused_, cursor_, lesions);
}

void ComparisonGrid::wheelEvent(QWheelEvent* event) {
    const auto [row, column] = cellAt(event->position());
    if (row < 0) {
        event->ignore();  // let the scroll area scroll
        return;
    }
    const double factor = std::pow(1.0015, event->angleDelta().y());
    // Zoom about the point under the cursor: it stays where it is.
    const QRectF cell = layout().rectOf(row, column).value_or(QRectF(0, 0, 1, 1));
    const QPointF offset((event->position().x() - cell.center().x()) / cell.width(),
                         (event->position().y() - cell.center().y()) / cell.height());
    const double newZoom = std::clamp(zoom_ * factor, 1.0, 16.0);
    const QPointF under = centre_ + offset / zoom_;
    setView(newZoom, under - offset / newZoom);
    event->accept();
}

void ComparisonGrid::setFocusedCell(int row, int column) {
    const int rows = static_cast<int>(content_.rows.size());
    if (row < 0 || row >= rows || column < 0 ||
        column >= static_cast<int>(content_.rows[static_cast<size_t>(row)].cells.size()))
        row = column = -1;
    if (focused_ == std::pair(row, column))
        return;
    focused_ = {row, column};
    if (focusMode() && row >= 0 && row != arrangement_.focusRow) {
        // Marking moves on to the next network: focus mode shows the network it acts on.
        GridArrangement a = arrangement_;
        a.focusRow = row;
        setArrangement(a);
    }
    update();
    Q_EMIT focusedCellChanged(row, column);
}

void ComparisonGrid::setLesionMode(bool on) {
    lesionMode_ = on;
    lesionDrag_.reset();
    lesionCell_ = {-1, -1};
    setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
    update();
}

void ComparisonGrid::setLesions(LesionOverlay lesions) {
    lesions_ = std::move(lesions);
    update();
}

std::optional<QPointF> ComparisonGrid::lesionPoint(QPointF position, std::pair<int, int> at) const {
    const auto rect = layout().rectOf(at.first, at.second);
    if (!rect || at.first < 0)
        return std::nullopt;
    const CellContent& cell =
        content_.rows.at(static_cast<size_t>(at.first)).cells.at(static_cast<size_t>(at.second));
    if (cell.image.isNull())
        return std::nullopt;
    // Inverse of cellPointOf, clamped: a drag may end outside the image.
    const QPointF origin = cellPointOf(*rect, cell.image.size(), zoom_, centre_, {0, 0});
    const QPointF far = cellPointOf(*rect, cell.image.size(), zoom_, centre_, {1, 1});
    return QPointF(std::clamp((position.x() - origin.x()) / (far.x() - origin.x()), 0.0, 1.0),
                   std::clamp((position.y() - origin.y()) / (far.y() - origin.y()), 0.0, 1.0));
}

void ComparisonGrid::finishLesion(QPointF position) {
    const auto start = lesionPoint(lesionStart_, lesionCell_);
    const auto end = lesionPoint(position, lesionCell_);
    lesionCell_ = {-1, -1};
    lesionDrag_.reset();
    update();
    if (!start || !end)
        return;
    // A few screen pixels of jitter is a click, not a box.
    const bool click = QLineF(lesionStart_, position).length() < 5.0;
    Q_EMIT lesionMarked(click ? QRectF(*start, QSizeF(0, 0)) : QRectF(*start, *end).normalized());
}

void ComparisonGrid::keyPressEvent(QKeyEvent* event) {
    auto [row, column] = focused_;
    if (row < 0) {
        row = 0;
        column = 1;
    } else if (event->key() == Qt::Key_Left) {
        column = std::max(0, column - 1);
    } else if (event->key() == Qt::Key_Right) {
        column = std::min(static_cast<int>(content_.columns.size()) - 1, column + 1);
    } else if (event->key() == Qt::Key_Up) {
        row = std::max(0, row - 1);
    } else if (event->key() == Qt::Key_Down) {
        row = std::min(static_cast<int>(content_.rows.size()) - 1, row + 1);
    } else {
        QWidget::keyPressEvent(event);
        return;
    }
    setFocusedCell(row, column);
    event->accept();
}

void ComparisonGrid::mousePressEvent(QMouseEvent* event) {
    if (lesionMode_ && event->button() == Qt::LeftButton) {
        // A mark begins on a cell's image (not its letterbox), in any cell: they share the geometry.
        const GridLayout l = layout();
        if (const auto* placement = l.at(event->position())) {
            const CellContent& cell = content_.rows.at(static_cast<size_t>(placement->row))
                                          .cells.at(static_cast<size_t>(placement->column));
            if (!cell.image.isNull() &&
                imagePointAt(placement->rect, cell.image.size(), zoom_, centre_, event->position())) {
                lesionCell_ = {placement->row, placement->column};
                lesionStart_ = event->position();
            }
        }
        return;
    }
    if (event->button() == Qt::LeftButton) {
        const auto [row, column] = cellAt(event->position());
        if (row >= 0)
            setFocusedCell(row, column);
    }
    dragButton_ = event->button();
    lastPosition_ = event->position();
}

void ComparisonGrid::mouseMoveEvent(QMouseEvent* event) {
    const QPointF delta = event->position() - lastPosition_;
    lastPosition_ = event->position();
    if (lesionCell_.first >= 0) {
        trackCursor(event->position());
        const auto a = lesionPoint(lesionStart_, lesionCell_);
        const auto b = lesionPoint(event->position(), lesionCell_);
        if (a && b)
            lesionDrag_ = QRectF(*a, *b).normalized();
        update();
    } else if (dragButton_ == Qt::NoButton) {
        trackCursor(event->position());
    } else if (dragButton_ == Qt::LeftButton && zoom_ > 1.0) {
        const double cell = layout().cell;
        setView(zoom_, centre_ - QPointF(delta.x(), delta.y()) / (cell * zoom_));
    } else if (dragButton_ == Qt::RightButton) {
        Q_EMIT windowDragged(delta.x(), delta.y());
    }
}

void ComparisonGrid::mouseReleaseEvent(QMouseEvent* event) {
    if (lesionCell_.first >= 0 && event->button() == Qt::LeftButton)
        finishLesion(event->position());
    dragButton_ = Qt::NoButton;
}

void ComparisonGrid::mouseDoubleClickEvent(QMouseEvent* event) {
    const auto [row, column] = cellAt(event->position());
    if (row >= 0)
        Q_EMIT cellDoubleClicked(row, column);
}

}  // namespace saliency::ui
