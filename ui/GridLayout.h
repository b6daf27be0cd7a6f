#pragma once
// Where the comparison grid's cells go on screen. The content stays a row per network and a
// column per method (the scan first), so marking addresses cells by (network, method) whatever
// the screen shows; the layout only decides which of them are shown and where: every row, the scan
// column once, or one network large (focus mode), with square cells fitted to the area.
#include <optional>
#include <vector>

#include <QRectF>
#include <QSizeF>

namespace saliency::ui {

struct GridContent;

// Rows x columns of square cells behind a row-header column and a column-header row.
struct GridGeometry {
    double rowHeaderWidth = 112;  // compact: the name, the architecture and the prediction, wrapped
    double columnHeaderHeight = 24;
    double headingHeight = 0;  // what sits above the column headers (the scan's name, a scan row)
    double cell = 200;
    double gap = 4;
    QRectF cellRect(int row, int column) const;
    QRectF rowHeaderRect(int row) const;
    QRectF columnHeaderRect(int column) const;
    QSizeF size(int rows, int columns) const;
    // The largest square cell for rows x columns in `area` (headingHeight excluded), never below
    // minCell (the grid then scrolls).
    static GridGeometry fitting(const QSizeF& area, int rows, int columns, bool headers, double minCell);
};

enum class ScanColumn { EveryRow, Once };

struct GridArrangement {
    ScanColumn scanColumn = ScanColumn::EveryRow;
    int focusRow = -1;  // the one network shown large; -1: every network
    bool operator==(const GridArrangement&) const = default;
};

struct CellPlacement {
    int row = 0;     // content row (network)
    int column = 0;  // content column (0: the scan)
    QRectF rect;
};

struct HeaderPlacement {
    int index = 0;  // content row or column
    QRectF rect;
};

struct GridLayout {
    double cell = 0;
    QRectF heading;  // the scan's name; empty when there is none
    std::vector<CellPlacement> cells;
    std::vector<HeaderPlacement> rowHeaders;
    std::vector<HeaderPlacement> columnHeaders;
    QSizeF size;

    // headingHeight: room kept above everything for the scan's name (0 for none).
    static GridLayout arrange(const GridContent& content, const GridArrangement& arrangement,
                              const QSizeF& area, double minCell, double headingHeight);
    const CellPlacement* at(QPointF position) const;  // nullptr outside every cell
    std::optional<QRectF> rectOf(int row, int column) const;
};

}  // namespace saliency::ui
