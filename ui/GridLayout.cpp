#include "GridLayout.h"

#include <algorithm>
#include <cmath>

#include "ComparisonGrid.h"

namespace saliency::ui {

namespace {

// The largest square cell for rows x columns in `area` with g's headers and gaps.
double fittedCell(const GridGeometry& g, const QSizeF& area, int rows, int columns, double minCell) {
    rows = std::max(rows, 1);
    columns = std::max(columns, 1);
    const double byWidth = (area.width() - g.rowHeaderWidth - g.gap) / columns - g.gap;
    const double byHeight = (area.height() - g.columnHeaderHeight - g.gap) / rows - g.gap;
    return std::max(minCell, std::floor(std::min(byWidth, byHeight)));
}

GridGeometry headersFor(bool headers, bool columnHeaders) {
    GridGeometry g;
    if (!headers) {
        g.rowHeaderWidth = 0;
        g.gap = 0;
    }
    if (!headers || !columnHeaders)
        g.columnHeaderHeight = 0;
    return g;
}

QSizeF below(const QSizeF& area, double heading) {
    return {area.width(), std::max(0.0, area.height() - heading)};
}

// A row per network, every column; with the scan once, rows after the first leave it out.
GridLayout everyRow(const GridContent& content, const QSizeF& area, double minCell, double heading,
                    bool once) {
    const int rows = static_cast<int>(content.rows.size());
    const int columns = static_cast<int>(content.columns.size());
    GridGeometry g = headersFor(content.showHeaders, true);
    g.cell = fittedCell(g, below(area, heading), rows, columns, minCell);
    g.headingHeight = heading;
    GridLayout layout;
    layout.cell = g.cell;
    for (int r = 0; r < rows; ++r) {
        if (content.showHeaders)
            layout.rowHeaders.push_back({r, g.rowHeaderRect(r)});
        const int cells = static_cast<int>(content.rows[static_cast<size_t>(r)].cells.size());
        for (int c = (once && r > 0) ? 1 : 0; c < cells; ++c)
            layout.cells.push_back({r, c, g.cellRect(r, c)});
    }
    if (content.showHeaders)
        for (int c = 0; c < columns; ++c)
            layout.columnHeaders.push_back({c, g.columnHeaderRect(c)});
    layout.size = g.size(std::max(rows, 1), std::max(columns, 1));
    return layout;
}

// The scan once, in a row of its own above the maps: wins on a wide area with few networks.
GridLayout scanOnTop(const GridContent& content, const QSizeF& area, double minCell, double heading) {
    const int rows = static_cast<int>(content.rows.size());
    const int maps = static_cast<int>(content.columns.size()) - 1;
    GridGeometry g = headersFor(content.showHeaders, true);
    // One more row: the scan row costs a cell and a gap, as a network row does.
    g.cell = fittedCell(g, below(area, heading), rows + 1, maps, minCell);
    g.headingHeight = heading + g.cell + g.gap;
    GridLayout layout;
    layout.cell = g.cell;
    const double left = g.rowHeaderWidth + g.gap;
    for (int r = 0; r < rows; ++r) {
        if (content.showHeaders)
            layout.rowHeaders.push_back({r, g.rowHeaderRect(r)});
        const int cells = static_cast<int>(content.rows[static_cast<size_t>(r)].cells.size());
        if (r == 0 && cells > 0)
            layout.cells.push_back({0, 0, QRectF(left, heading, g.cell, g.cell)});
        for (int c = 1; c < cells; ++c)
            layout.cells.push_back({r, c, g.cellRect(r, c - 1)});
    }
    if (content.showHeaders)
        for (int c = 1; c <= maps; ++c)
            layout.columnHeaders.push_back({c, g.columnHeaderRect(c - 1)});
    layout.size = g.size(std::max(rows, 1), std::max(maps, 1));
    return layout;
}

// One network's cells (its scan and its maps) as large as the area allows: each cell has its
// title, so there are no column headers; the row header is shown once.
GridLayout focused(const GridContent& content, int row, const QSizeF& area, double minCell, double heading) {
    const auto& cells = content.rows[static_cast<size_t>(row)].cells;
    const int n = std::max(1, static_cast<int>(cells.size()));
    GridGeometry best;
    int bestColumns = n;
    double bestExtent = 0;
    for (int columns = 1; columns <= n; ++columns) {
        const int rows = (n + columns - 1) / columns;
        GridGeometry g = headersFor(content.showHeaders, false);
        g.cell = fittedCell(g, below(area, heading), rows, columns, minCell);
        const QSizeF size = g.size(rows, columns);
        const double extent = size.width() + size.height();
        // Larger cells first; at a tie (cells at their minimum) the smaller grid.
        if (columns == 1 || g.cell > best.cell || (g.cell == best.cell && extent < bestExtent)) {
            best = g;
            bestColumns = columns;
            bestExtent = extent;
        }
    }
    best.headingHeight = heading;
    GridLayout layout;
    layout.cell = best.cell;
    if (content.showHeaders)
        layout.rowHeaders.push_back({row, best.rowHeaderRect(0)});
    for (int c = 0; c < static_cast<int>(cells.size()); ++c)
        layout.cells.push_back({row, c, best.cellRect(c / bestColumns, c % bestColumns)});
    layout.size = best.size((n + bestColumns - 1) / bestColumns, bestColumns);
    return layout;
}

}  // namespace

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
    GridGeometry g = headersFor(headers, true);
    g.cell = fittedCell(g, area, rows, columns, minCell);
    return g;
}

GridLayout GridLayout::arrange(const GridContent& content, const GridArrangement& arrangement,
                               const QSizeF& area, double minCell, double headingHeight) {
    const int rows = static_cast<int>(content.rows.size());
    GridLayout layout;
    if (arrangement.focusRow >= 0 && arrangement.focusRow < rows)
        layout = focused(content, arrangement.focusRow, area, minCell, headingHeight);
    else if (arrangement.scanColumn == ScanColumn::Once && content.columns.size() > 1 && rows > 0) {
        layout = everyRow(content, area, minCell, headingHeight, true);
        GridLayout top = scanOnTop(content, area, minCell, headingHeight);
        if (top.cell > layout.cell)
            layout = std::move(top);
    } else {
        layout = everyRow(content, area, minCell, headingHeight, false);
    }
    if (headingHeight > 0) {
        const double left = content.showHeaders ? GridGeometry().rowHeaderWidth + GridGeometry().gap : 0;
        layout.heading = QRectF(left, 0, std::max(0.0, layout.size.width() - left), headingHeight);
    }
    return layout;
}

const CellPlacement* GridLayout::at(QPointF position) const {
    for (const auto& placement : cells)
        if (placement.rect.contains(position))
            return &placement;
    return nullptr;
}

std::optional<QRectF> GridLayout::rectOf(int row, int column) const {
    for (const auto& placement : cells)
        if (placement.row == row && placement.column == column)
            return placement.rect;
    return std::nullopt;
}

}  // namespace saliency::ui
