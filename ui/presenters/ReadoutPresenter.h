#pragma once
// The readout under the mouse (DESIGN.md section 2, presenters): the grid reports the linked
// cursor in normalised image coordinates; this turns it into the scan's pixel, the scan's own
// intensity (modality values for DICOM/NIfTI) and every network's map values at that point, as
// one line of text for the status bar. Cheap: no copy of a map or a scan per mouse move.
#include <optional>

#include <QObject>
#include <QPoint>
#include <QPointF>
#include <QString>

#include "saliency/Method.h"
#include "saliency/SaliencyMap.h"

namespace saliency::ui {

class DatasetPresenter;
class ExplanationService;
class GridPresenter;

class ReadoutPresenter : public QObject {
    Q_OBJECT
  public:
    ReadoutPresenter(const DatasetPresenter& dataset, const ExplanationService& service,
                     const GridPresenter& grid, QObject* parent = nullptr);

    // The scan's pixel under `normalised` ((0,0) top left, (1,1) bottom right); nullopt without a scan.
    std::optional<QPoint> pixel(QPointF normalised) const;
    std::optional<float> intensity(QPointF normalised) const;
    // A map's value there: CAM-like maps their [0,1] value, guided (signed, 3-channel) maps the
    // largest absolute gradient over the channels; nullopt while the map is not computed.
    std::optional<float> mapValue(int modelId, explain::Method method, QPointF normalised) const;
    // "x 120  y 88  intensity 431  |  cnn4-demo: CAM 0.82 Grad-CAM 0.75 GB 0.0012 GGC 0.0004";
    // empty without a scan.
    QString readout(QPointF normalised) const;

    void cursorMoved(QPointF normalised);  // readoutChanged with the readout there
    void cursorLeft();                     // readoutChanged with an empty text

    Q_SIGNAL void readoutChanged(const QString& text);

  private:
    static std::optional<float> valueIn(const explain::SaliencyMap* map, QPointF normalised);

    const DatasetPresenter& dataset_;
    const ExplanationService& service_;
    const GridPresenter& grid_;
};

}  // namespace saliency::ui
