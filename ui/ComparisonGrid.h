#pragma once
// The comparison grid: a row per network, a column per method (the scan first), painted as one
// widget so that zoom and pan are shared by every cell and the export draws exactly the same
// thing (paintGrid). Thin: it shows GridContent and reports gestures; MainWindow decides.
#include <vector>

#include <QColor>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include "CellRendering.h"

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
    std::vector<GridRow> rows;
    bool showHeaders = true;
};

// Where things go, for the screen and for export alike.
struct GridGeometry {
    double rowHeaderWidth = 168;
    double columnHeaderHeight = 24;
    double headingHeight = 0;  // a title line above the grid (export)
    double cell = 200;
    double gap = 4;
    QRectF cellRect(int row, int column) const;
    QRectF rowHeaderRect(int row) const;
    QRectF columnHeaderRect(int column) const;
    QSizeF size(int rows, int columns) const;
    static GridGeometry fitting(const QSizeF& area, int rows, int columns, bool headers, double minCell);
};

// focused: the cell drawn with a focus frame, (-1,-1) for none.
void paintGrid(QPainter& painter, const GridContent& content, const GridGeometry& geometry, double zoom,
               QPointF centre, std::pair<int, int> focused = {-1, -1});

class ComparisonGrid : public QWidget {
    Q_OBJECT
  public:
    explicit ComparisonGrid(QWidget* parent = nullptr);

    void setContent(GridContent content);
    const GridContent& content() const { return content_; }
    void setCell(int row, int column, CellContent cell);
    void setMinimumCell(int pixels);

    double zoom() const { return zoom_; }
    QPointF centre() const { return centre_; }
    void setView(double zoom, QPointF centre);
    void resetView() { setView(1.0, {0.5, 0.5}); }

    // The cell that keyboard marking acts on (-1,-1: none). Arrow keys move it when the grid has
    // the keyboard focus; a click sets it.
    std::pair<int, int> focusedCell() const { return focused_; }
    void setFocusedCell(int row, int column);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    Q_SIGNAL void cellDoubleClicked(int row, int column);
    // Right-drag on a scan cell: window/level as in radiology viewers (x: width, y: centre).
    Q_SIGNAL void windowDragged(double dx, double dy);
    Q_SIGNAL void viewChanged(double zoom, QPointF centre);
    Q_SIGNAL void focusedCellChanged(int row, int column);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    GridGeometry geometry() const;
    std::pair<int, int> cellAt(QPointF position) const;  // (-1,-1) when none

    GridContent content_;
    double zoom_ = 1.0;
    QPointF centre_{0.5, 0.5};
    int minimumCell_ = 120;
    Qt::MouseButton dragButton_ = Qt::NoButton;
    QPointF lastPosition_;
    std::pair<int, int> focused_{-1, -1};
};

}  // namespace saliency::ui
