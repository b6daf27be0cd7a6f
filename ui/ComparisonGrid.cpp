#include "ComparisonGrid.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace saliency::ui {

namespace {
constexpr double kHeading = 26;  // the scan's name above the grid
}

QRectF GridGeometry::cellRect(int row, int column) const {
    return {rowHeaderWidth + gap + column * (cell + gap),
            headingHeight + columnHeaderHeight + gap + row * (cell + gap), cell, cell};
}

QRectF GridGeometry::rowHeaderRect(int row) const {
    return {0, headingHeight + columnHeaderHeight + gap + row * (cell + gap), rowHeaderWidth, cell};
}

QRectF GridGeometry::columnHeaderRect(int column) const {
    return {rowHeaderWidth + gap + column * (cell + gap), headingHeight, cell, columnHeaderHeight};
}

QSizeF GridGeometry::size(int rows, int columns) const {
    return {rowHeaderWidth + gap + columns * (cell + gap),
            headingHeight + columnHeaderHeight + gap + rows * (cell + gap)};
}

GridGeometry GridGeometry::fitting(const QSizeF& area, int rows, int columns, bool headers, double minCell) {
    GridGeometry g;
    if (!headers) {
        g.rowHeaderWidth = 0;
        g.columnHeaderHeight = 0;
        g.gap = 0;
    }
    rows = std::max(rows, 1);
    columns = std::max(columns, 1);
    const double byWidth = (area.width() - g.rowHeaderWidth - g.gap) / columns - g.gap;
    const double byHeight = (area.height() - g.columnHeaderHeight - g.gap) / rows - g.gap;
    g.cell = std::max(minCell, std::floor(std::min(byWidth, byHeight)));
    return g;
}

void paintGrid(QPainter& painter, const GridContent& content, const GridGeometry& geometry, double zoom,
               QPointF centre, std::pair<int, int> focused) {
    painter.save();
    QFont font = painter.font();
    if (geometry.headingHeight > 0) {
        QFont heading = font;
        heading.setBold(true);
        painter.setFont(heading);
        const double width =
            geometry.size(static_cast<int>(content.rows.size()), static_cast<int>(content.columns.size()))
                .width();
        painter.drawText(QRectF(geometry.rowHeaderWidth + geometry.gap, 0, width, geometry.headingHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, content.heading);
    }
    if (content.showHeaders) {
        QFont bold = font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(painter.pen().color());
        for (int c = 0; c < content.columns.size(); ++c)
            painter.drawText(geometry.columnHeaderRect(c), Qt::AlignCenter, content.columns[c]);
    }
    for (int r = 0; r < static_cast<int>(content.rows.size()); ++r) {
        const GridRow& row = content.rows[static_cast<size_t>(r)];
        if (content.showHeaders) {
            const QRectF header = geometry.rowHeaderRect(r);
            painter.fillRect(QRectF(header.topLeft(), QSizeF(4, header.height())), row.accent);
            QFont bold = font;
            bold.setBold(true);
            const QRectF text = header.adjusted(10, 4, -4, -4);
            // A long network name shrinks (down to 70%) before it is elided: names tell models apart.
            const double size = bold.pointSizeF();
            while (QFontMetricsF(bold).horizontalAdvance(row.title) > text.width() &&
                   bold.pointSizeF() > 0.7 * size)
                bold.setPointSizeF(bold.pointSizeF() - 0.25);
            painter.setFont(bold);
            const QFontMetricsF metrics(bold);
            painter.drawText(text, Qt::AlignLeft | Qt::AlignTop,
                             metrics.elidedText(row.title, Qt::ElideMiddle, text.width()));
            painter.setFont(font);
            painter.drawText(text.adjusted(0, metrics.height() + 2, 0, 0),
                             Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, row.subtitle);
        }
        for (int c = 0; c < static_cast<int>(row.cells.size()); ++c)
            paintCell(painter, geometry.cellRect(r, c), row.cells[static_cast<size_t>(c)], zoom, centre, true,
                      focused == std::pair(r, c));
    }
    painter.restore();
}

ComparisonGrid::ComparisonGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(false);
    setFocusPolicy(Qt::ClickFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ComparisonGrid::setContent(GridContent content) {
    content_ = std::move(content);
    const auto [row, column] = focused_;
    if (row >= static_cast<int>(content_.rows.size()) || column >= static_cast<int>(content_.columns.size()))
        setFocusedCell(-1, -1);
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
    update(geometry().cellRect(row, column).toAlignedRect());
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

GridGeometry ComparisonGrid::geometry() const {
    const bool heading = content_.showHeaders && !content_.heading.isEmpty();
    const QSizeF area(width(), height() - (heading ? kHeading : 0));
    GridGeometry g =
        GridGeometry::fitting(area, static_cast<int>(content_.rows.size()),
                              static_cast<int>(content_.columns.size()), content_.showHeaders, minimumCell_);
    g.headingHeight = heading ? kHeading : 0;
    return g;
}

QSize ComparisonGrid::minimumSizeHint() const {
    GridGeometry g =
        GridGeometry::fitting({0, 0}, static_cast<int>(content_.rows.size()),
                              static_cast<int>(content_.columns.size()), content_.showHeaders, minimumCell_);
    const QSizeF grid = g.size(std::max<int>(1, static_cast<int>(content_.rows.size())),
                               std::max<int>(1, static_cast<int>(content_.columns.size())));
    const bool heading = content_.showHeaders && !content_.heading.isEmpty();
    return QSizeF(grid.width(), grid.height() + (heading ? kHeading : 0)).toSize();
}

QSize ComparisonGrid::sizeHint() const {
    return minimumSizeHint().expandedTo(QSize(800, 500));
}

std::pair<int, int> ComparisonGrid::cellAt(QPointF position) const {
    const GridGeometry g = geometry();
    for (int r = 0; r < static_cast<int>(content_.rows.size()); ++r)
        for (int c = 0; c < static_cast<int>(content_.rows[static_cast<size_t>(r)].cells.size()); ++c)
            if (g.cellRect(r, c).contains(position))
                return {r, c};
    return {-1, -1};
}

void ComparisonGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setPen(palette().color(QPalette::WindowText));
    paintGrid(painter, content_, geometry(), zoom_, centre_, focused_);
}

void ComparisonGrid::wheelEvent(QWheelEvent* event) {
    const auto [row, column] = cellAt(event->position());
    if (row < 0) {
        event->ignore();  // let the scroll area scroll
        return;
    }
    const double factor = std::pow(1.0015, event->angleDelta().y());
    // Zoom about the point under the cursor: it stays where it is.
    const QRectF cell = geometry().cellRect(row, column);
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
    update();
    Q_EMIT focusedCellChanged(row, column);
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
    if (dragButton_ == Qt::LeftButton && zoom_ > 1.0) {
        const double cell = geometry().cell;
        setView(zoom_, centre_ - QPointF(delta.x(), delta.y()) / (cell * zoom_));
    } else if (dragButton_ == Qt::RightButton) {
        Q_EMIT windowDragged(delta.x(), delta.y());
    }
}

void ComparisonGrid::mouseReleaseEvent(QMouseEvent*) {
    dragButton_ = Qt::NoButton;
}

void ComparisonGrid::mouseDoubleClickEvent(QMouseEvent* event) {
    const auto [row, column] = cellAt(event->position());
    if (row >= 0)
        Q_EMIT cellDoubleClicked(row, column);
}

}  // namespace saliency::ui
