#pragma once
// The comparison grid: a row per network, a column per method (the scan first), painted as one
// widget so that zoom and pan are shared by every cell and the export draws exactly the same
// thing (paintGrid). Thin: it shows GridContent and reports gestures; MainWindow decides.
#include <optional>
#include <vector>

#include <QRectF>

#include <QColor>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include "CellRendering.h"
#include "GridLayout.h"

namespace saliency::ui {

struct GridRow {
    int modelId = 0;
    QString title;                          // the network's name
    QString subtitle;                       // "resnet50\npredicted: Brain Tumor 0.93"
    QColor accent = QColor(120, 120, 120);  // green: prediction right, red: wrong, grey: unknown
    std::vector<CellContent> cells;         // one per column
};

struct GridContent {
    QString heading;      // the scan: "Brain Tumor/Y12.png (true class: Brain Tumor)"
    QStringList columns;  // "Scan", "CAM", ...
    // Per column (or fewer): a warning drawn as a red badge under the title, e.g. that the method
    // failed the model-randomisation sanity check for a network; empty for none.
    QStringList columnBadges;
    std::vector<GridRow> rows;
    bool showHeaders = true;
};

// Where readers marked the lesion (study/GroundTruth.h), in normalised image coordinates: a box, or
// a point (a rectangle without size) drawn with the pointing game's tolerance round it.
using LesionOverlay = std::vector<QRectF>;

// focused: the cell drawn with a focus frame, (-1,-1) for none. cursor: the linked cursor in
// normalised image coordinates, drawn as a crosshair in every cell. lesions: drawn in every cell.
void paintGrid(QPainter& painter, const GridContent& content, const GridLayout& layout, double zoom,
               QPointF centre, std::pair<int, int> focused = {-1, -1},
               std::optional<QPointF> cursor = std::nullopt, const LesionOverlay& lesions = {});

class ComparisonGrid : public QWidget {
    Q_OBJECT
  public:
    explicit ComparisonGrid(QWidget* parent = nullptr);

    void setContent(GridContent content);
    const GridContent& content() const { return content_; }
    void setCell(int row, int column, CellContent cell);
    void setMinimumCell(int pixels);  // below it the grid stops shrinking and its scroll area scrolls
    int minimumCell() const { return minimumCell_; }

    // Which cells are shown where: the scan column in every row or once, one network large.
    // The content, and so every (row, column) a caller uses, stays networks x (scan + methods).
    const GridArrangement& arrangement() const { return arrangement_; }
    void setScanColumn(ScanColumn scanColumn);
    void setFocusMode(bool on);  // on: the focused cell's network (else the first) shown large
    bool focusMode() const { return arrangement_.focusRow >= 0; }
    void stepFocusRow(int delta);  // the next (+1) or previous (-1) network in focus mode
    GridLayout layout() const;     // at the widget's size

    // The linked cursor, in normalised image coordinates; nullopt hides the crosshair.
    std::optional<QPointF> linkedCursor() const { return cursor_; }
    void setLinkedCursor(std::optional<QPointF> normalised);

    double zoom() const { return zoom_; }
    QPointF centre() const { return centre_; }
    void setView(double zoom, QPointF centre);
    void resetView() { setView(1.0, {0.5, 0.5}); }

    // The cell that keyboard marking acts on (-1,-1: none). Arrow keys move it when the grid has
    // the keyboard focus; a click sets it.
    std::pair<int, int> focusedCell() const { return focused_; }
    void setFocusedCell(int row, int column);

    // Lesion marking (Mark > Mark the lesion): while on, a left click on any cell's image marks the
    // lesion's centre and a drag a box around it (lesionMarked); zoom and pan stay on the wheel.
    void setLesionMode(bool on);
    bool lesionMode() const { return lesionMode_; }
    void setLesions(LesionOverlay lesions);
    const LesionOverlay& lesions() const { return lesions_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    Q_SIGNAL void cellDoubleClicked(int row, int column);
    // Right-drag on a scan cell: window/level as in radiology viewers (x: width, y: centre).
    Q_SIGNAL void windowDragged(double dx, double dy);
    Q_SIGNAL void viewChanged(double zoom, QPointF centre);
    Q_SIGNAL void focusedCellChanged(int row, int column);
    // The mouse is over a cell's image at `normalised` (image coordinates in [0,1)), or left them.
    Q_SIGNAL void cursorMoved(QPointF normalised);
    Q_SIGNAL void cursorLeft();
    Q_SIGNAL void arrangementChanged();
    // In lesion mode: normalised image coordinates, clamped to the image; a point has no size.
    Q_SIGNAL void lesionMarked(QRectF normalised);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    std::pair<int, int> cellAt(QPointF position) const;  // (-1,-1) when none
    double headingHeight() const;                        // the scan's name above the grid
    void setArrangement(const GridArrangement& arrangement);
    void trackCursor(QPointF position);
    void focusOnShownRow(int row);
    // The normalised image point under `position` in the cell at `cell`, clamped to the image.
    std::optional<QPointF> lesionPoint(QPointF position, std::pair<int, int> cell) const;
    void finishLesion(QPointF position);

    GridContent content_;
    double zoom_ = 1.0;
    QPointF centre_{0.5, 0.5};
    int minimumCell_ = 120;
    Qt::MouseButton dragButton_ = Qt::NoButton;
    QPointF lastPosition_;
    std::pair<int, int> focused_{-1, -1};
    GridArrangement arrangement_;
    std::optional<QPointF> cursor_;
    bool lesionMode_ = false;
    LesionOverlay lesions_;
    std::pair<int, int> lesionCell_{-1, -1};  // where a lesion drag began
    QPointF lesionStart_;                     // widget coordinates
    std::optional<QRectF> lesionDrag_;        // the box being dragged, normalised
};

}  // namespace saliency::ui
