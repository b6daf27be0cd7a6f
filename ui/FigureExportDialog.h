#pragma once
// Asks how to export the comparison as a figure: where, format, printed width (one column, two
// columns or free), resolution (PNG), font size, which way the table goes, scan column, colour
// bar, title; shows the size that results, in mm and pixels. The choices are remembered.
// Thin: the figure itself is FigureExport's.
#include <optional>

#include <QDialog>

#include "ComparisonGrid.h"
#include "FigureExport.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace saliency::ui {

struct FigureExportChoice {
    QString path;  // the file, or the folder for a selection
    FigureFormat format = FigureFormat::Png;
    FigureOptions options;  // display, zoom and centre are the caller's
};

class FigureExportDialog : public QDialog {
    Q_OBJECT
  public:
    enum class Target { File, Folder };

    // preview: the comparison the size is computed for (a selection's figures have its rows and
    // columns). path: the suggested file or folder.
    FigureExportDialog(GridContent preview, Target target, const QString& path, QWidget* parent = nullptr);

    FigureExportChoice choice() const;
    QString sizeText() const;  // what the dialog shows: "180 x 76 mm, 2126 x 898 px"
    bool canExport() const;

    // Modal; nullopt when cancelled.
    static std::optional<FigureExportChoice> askForFile(QWidget* parent, const GridContent& preview,
                                                        const QString& suggestedFile);
    static std::optional<FigureExportChoice> askForFolder(QWidget* parent, const GridContent& preview,
                                                          const QString& suggestedFolder);

  private:
    void build();
    void load();
    void save() const;
    void choosePath();
    void update();
    FigureFormat format() const;

    GridContent preview_;
    Target target_;
    QLineEdit* path_ = nullptr;
    QComboBox* format_ = nullptr;
    QComboBox* widthPreset_ = nullptr;
    QDoubleSpinBox* widthMm_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    QDoubleSpinBox* fontPoints_ = nullptr;
    QComboBox* layout_ = nullptr;
    QCheckBox* scanColumn_ = nullptr;
    QCheckBox* colourBar_ = nullptr;
    QCheckBox* title_ = nullptr;
    QLabel* size_ = nullptr;
    QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace saliency::ui
