#pragma once
// One cell of the comparison grid as a value: the raster (overlay or scan) plus vector marks
// (threshold contour, mask outline, centre of mass) in the raster's pixel coordinates, so that
// the screen and the SVG/PDF export draw them crisply at any zoom. Rendering is pure and runs in
// workers; painting runs on the GUI thread or in an export job.
#include <optional>

#include <QImage>
#include <QPointF>
#include <QPolygonF>
#include <QString>
#include <QVector>

#include <opencv2/core/mat.hpp>

#include "DisplayOptions.h"
#include "saliency/SaliencyMap.h"

class QColor;
class QFont;
class QPainter;
class QRectF;

namespace saliency::ui {

// A radiologist's verdict on a map, drawn in the cell's corner.
enum class CellMark { None, Correct, Incorrect, Unsure };

// What a cell's raster shows, so that a figure's legend explains only what is there.
enum class CellKind {
    Scan,      // the scan itself
    Heatmap,   // a one-channel map in [0,1] through the colour map, over the scan
    Gradient,  // a signed input gradient, standardised to RGB (mid-grey = no gradient)
};

struct CellContent {
    QImage image;                    // what the cell shows; null while the map is being computed
    QVector<QPolygonF> contour;      // the map's threshold contour
    QVector<QPolygonF> maskOutline;  // the tumour mask's outline
    std::optional<QPointF> centre;   // the map's centre of mass
    QString title;                   // "Grad-CAM"
    QString caption;                 // "Brain Tumor 0.93"
    QString message;                 // why there is no map, or "empty map"; empty otherwise
    bool pending = false;            // still being computed
    CellMark mark = CellMark::None;  // the annotator's verdict, drawn in the corner
    CellKind kind = CellKind::Heatmap;
};

// Longest side of the raster a cell is rendered at: scans larger than this are shown reduced
// (the maps themselves are at the network's input size, 96-224 px).
constexpr int kCellRasterSide = 384;

// The scan resized so that its longer side is at most kCellRasterSide (RGB, CV_8UC3).
cv::Mat displayBase(const cv::Mat& rgb);

// mask: the tumour mask at any size (CV_8UC1, non-zero inside) or empty.
QVector<QPolygonF> outlineOf(const cv::Mat& mask, const QSize& rasterSize);

// The original column: the base image (already windowed by the caller) with the mask outline.
CellContent renderOriginal(const cv::Mat& rgbBase, const cv::Mat& mask, const DisplayOptions& options);

// One saliency map over the base image: CAM-like maps as a colour-map overlay, guided gradients
// standardised as pytorch-grad-cam shows them. Unavailable and empty maps get their message.
// sharedPeak > 0 (with options.sharedScale): the map is shown as its magnitude / sharedPeak
// (SharedScale.h), one-channel maps and gradients alike, over the scan.
CellContent renderMap(const cv::Mat& rgbBase, const explain::SaliencyMap& map, const cv::Mat& mask,
                      const DisplayOptions& options, const QString& classCaption, double sharedPeak = 0.0);

// Draws a cell into `target` (letterboxed, aspect kept). zoom >= 1 magnifies about `centre`
// (normalised image coordinates, (0.5,0.5) is the middle).
void paintCell(QPainter& painter, const QRectF& target, const CellContent& cell, double zoom = 1.0,
               QPointF centre = {0.5, 0.5}, bool labels = true, bool focused = false);

// The raster and its vector marks only (no labels, no verdict), clipped to `target`. strokeScale
// scales line widths and the centre cross (1 on screen; a figure's small cells take less).
void paintCellImage(QPainter& painter, const QRectF& target, const CellContent& cell, double zoom = 1.0,
                    QPointF centre = {0.5, 0.5}, double strokeScale = 1.0);

// The linked cursor: a point in normalised image coordinates ((0,0) top left, (1,1) bottom right)
// and where it lies in a cell drawn as paintCellImage draws it (letterboxed, zoomed about centre).
// nullopt when `position` is outside the image.
std::optional<QPointF> imagePointAt(const QRectF& target, const QSizeF& imageSize, double zoom,
                                    QPointF centre, QPointF position);
QPointF cellPointOf(const QRectF& target, const QSizeF& imageSize, double zoom, QPointF centre,
                    QPointF normalised);
// A one-pixel crosshair across the cell through `normalised`, in crosshairColour().
QColor crosshairColour();
void paintCrosshair(QPainter& painter, const QRectF& target, const QSizeF& imageSize, double zoom,
                    QPointF centre, QPointF normalised);

// The verdict's round badge in `badge`; symbolFont is the font of its symbol (sized by the caller).
void paintMarkBadge(QPainter& painter, const QRectF& badge, CellMark mark, const QFont& symbolFont);

// A horizontal colour bar for the colour map, labelled 0 and 1.
void paintColourBar(QPainter& painter, const QRectF& target, explain::ColourMap map);

}  // namespace saliency::ui
