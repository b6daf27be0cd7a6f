#include "FigureExportDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace saliency::ui {

namespace {

constexpr double kJournalPageHeightMm = 240;  // a figure taller than this does not fit on a page
constexpr double kMmPerPoint = 25.4 / 72.0;

// The width presets, in the combo's order; the last entry is "other".
const std::vector<std::pair<QString, double>>& widthPresets() {
    static const std::vector<std::pair<QString, double>> presets{
        {"One column (88 mm)", kOneColumnMm}, {"Two columns (180 mm)", kTwoColumnsMm}, {"Other width", 0}};
    return presets;
}

}  // namespace

FigureExportDialog::FigureExportDialog(GridContent preview, Target target, const QString& path,
                                       QWidget* parent)
    : QDialog(parent), preview_(std::move(preview)), target_(target) {
    setWindowTitle(target == Target::File ? "Export figure" : "Export the selected scans' figures");
    build();
    load();
    path_->setText(path);
    update();
}

void FigureExportDialog::build() {
    setMinimumWidth(460);  // room for a path and the size line
    auto* form = new QFormLayout(this);
    path_ = new QLineEdit;
    auto* browse = new QPushButton("Choose...");
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(path_, 1);
    pathRow->addWidget(browse);
    form->addRow(target_ == Target::File ? "File:" : "Folder:", pathRow);

    format_ = new QComboBox;
    format_->addItem("PNG image", static_cast<int>(FigureFormat::Png));
    format_->addItem("SVG vector image", static_cast<int>(FigureFormat::Svg));
    format_->addItem("PDF document", static_cast<int>(FigureFormat::Pdf));
    form->addRow("Format:", format_);

    widthPreset_ = new QComboBox;
    for (const auto& [name, mm] : widthPresets())
        widthPreset_->addItem(name, mm);
    widthMm_ = new QDoubleSpinBox;
    widthMm_->setRange(30, 500);
    widthMm_->setDecimals(1);
    widthMm_->setSuffix(" mm");
    auto* widthRow = new QHBoxLayout;
    widthRow->addWidget(widthPreset_, 1);
    widthRow->addWidget(widthMm_);
    form->addRow("Width:", widthRow);

    dpi_ = new QSpinBox;
    dpi_->setRange(30, 1200);
    dpi_->setSingleStep(50);
    dpi_->setSuffix(" dpi");
    form->addRow("Resolution:", dpi_);

    fontPoints_ = new QDoubleSpinBox;
    fontPoints_->setRange(5, 14);
    fontPoints_->setSingleStep(0.5);
    fontPoints_->setDecimals(1);
    fontPoints_->setSuffix(" pt");
    fontPoints_->setToolTip("Labels; the title is 1 pt larger, details and the legend 1 pt smaller.");
    form->addRow("Font size:", fontPoints_);

    layout_ = new QComboBox;
    layout_->addItem("A row per network, a column per method",
                     static_cast<int>(FigureLayout::NetworksByMethods));
    layout_->addItem("A row per method, a column per network",
                     static_cast<int>(FigureLayout::MethodsByNetworks));
    form->addRow("Layout:", layout_);

    scanColumn_ = new QCheckBox("Show the scan next to its maps");
    colourBar_ = new QCheckBox("Colour bar and key to guided maps");
    title_ = new QCheckBox("Title (the scan's name and true class)");
    form->addRow("", scanColumn_);
    form->addRow("", colourBar_);
    form->addRow("", title_);

    size_ = new QLabel;
    size_->setWordWrap(true);
    form->addRow("Size:", size_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons_->button(QDialogButtonBox::Ok)->setText("Export");
    form->addRow(buttons_);

    // Names for tests and accessibility tools.
    for (auto [widget, name] :
         std::initializer_list<std::pair<QWidget*, const char*>>{{path_, "path"},
                                                                 {format_, "format"},
                                                                 {widthPreset_, "widthPreset"},
                                                                 {widthMm_, "widthMm"},
                                                                 {dpi_, "dpi"},
                                                                 {fontPoints_, "fontPoints"},
                                                                 {layout_, "layout"},
                                                                 {scanColumn_, "scanColumn"},
                                                                 {colourBar_, "colourBar"},
                                                                 {title_, "title"},
                                                                 {size_, "figureSize"}})
        widget->setObjectName(name);
    connect(browse, &QPushButton::clicked, this, &FigureExportDialog::choosePath);
    connect(buttons_, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(widthPreset_, &QComboBox::currentIndexChanged, this, [this] {
        const double mm = widthPreset_->currentData().toDouble();
        if (mm > 0)
            widthMm_->setValue(mm);
        update();
    });
    for (auto* spin : {widthMm_, fontPoints_})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &FigureExportDialog::update);
    connect(dpi_, &QSpinBox::valueChanged, this, &FigureExportDialog::update);
    for (auto* combo : {format_, layout_})
        connect(combo, &QComboBox::currentIndexChanged, this, &FigureExportDialog::update);
    for (auto* box : {scanColumn_, colourBar_, title_})
        connect(box, &QCheckBox::toggled, this, &FigureExportDialog::update);
    connect(path_, &QLineEdit::textChanged, this, &FigureExportDialog::update);
}

void FigureExportDialog::load() {
    const QSettings settings;
    const FigureOptions defaults;
    format_->setCurrentIndex(std::clamp(settings.value("figure/format", 0).toInt(), 0, 2));
    const double mm = settings.value("figure/widthMm", defaults.widthMm).toDouble();
    int preset = static_cast<int>(widthPresets().size()) - 1;
    for (int i = 0; i + 1 < static_cast<int>(widthPresets().size()); ++i)
        if (widthPresets()[static_cast<size_t>(i)].second == mm)
            preset = i;
    widthPreset_->setCurrentIndex(preset);
    widthMm_->setValue(mm);
    dpi_->setValue(settings.value("figure/dpi", defaults.dpi).toInt());
    fontPoints_->setValue(settings.value("figure/fontPoints", defaults.fontPoints).toDouble());
    layout_->setCurrentIndex(settings.value("figure/layout", 0).toInt() == 1 ? 1 : 0);
    scanColumn_->setChecked(settings.value("figure/scanColumn", defaults.scanColumn).toBool());
    colourBar_->setChecked(settings.value("figure/colourBar", defaults.colourBar).toBool());
    title_->setChecked(settings.value("figure/title", defaults.title).toBool());
}

void FigureExportDialog::save() const {
    QSettings settings;
    const FigureOptions o = choice().options;
    settings.setValue("figure/format", format_->currentIndex());
    settings.setValue("figure/widthMm", o.widthMm);
    settings.setValue("figure/dpi", o.dpi);
    settings.setValue("figure/fontPoints", o.fontPoints);
    settings.setValue("figure/layout", layout_->currentIndex());
    settings.setValue("figure/scanColumn", o.scanColumn);
    settings.setValue("figure/colourBar", o.colourBar);
    settings.setValue("figure/title", o.title);
}

FigureFormat FigureExportDialog::format() const {
    return static_cast<FigureFormat>(format_->currentData().toInt());
}

FigureExportChoice FigureExportDialog::choice() const {
    FigureExportChoice c;
    c.path = path_->text().trimmed();
    c.format = format();
    c.options.widthMm = widthMm_->value();
    c.options.dpi = dpi_->value();
    c.options.fontPoints = fontPoints_->value();
    c.options.layout = static_cast<FigureLayout>(layout_->currentData().toInt());
    c.options.scanColumn = scanColumn_->isChecked();
    c.options.colourBar = colourBar_->isChecked();
    c.options.title = title_->isChecked();
    return c;
}

void FigureExportDialog::choosePath() {
    const QString suffix = figureSuffix(format());
    const QString chosen =
        target_ == Target::File
            ? QFileDialog::getSaveFileName(this, "Export figure", path_->text(),
                                           QString("%1 (*.%2)").arg(format_->currentText(), suffix))
            : QFileDialog::getExistingDirectory(this, "Export the selected scans' figures into",
                                                path_->text());
    if (!chosen.isEmpty())
        path_->setText(chosen);
}

QString FigureExportDialog::sizeText() const {
    return size_->text();
}

bool FigureExportDialog::canExport() const {
    return buttons_->button(QDialogButtonBox::Ok)->isEnabled();
}

void FigureExportDialog::update() {
    const bool png = format() == FigureFormat::Png;
    dpi_->setEnabled(png);
    widthMm_->setEnabled(widthPreset_->currentData().toDouble() <= 0);
    // The file's suffix follows the format.
    if (target_ == Target::File && !path_->text().isEmpty()) {
        const QFileInfo info(path_->text());
        const QString suffix = figureSuffix(format());
        if (info.suffix().toLower() != suffix) {
            const QString base =
                info.suffix().isEmpty() ? path_->text() : path_->text().chopped(info.suffix().size() + 1);
            const QSignalBlocker blocker(path_);
            path_->setText(base + "." + suffix);
        }
    }
    bool ok = !path_->text().trimmed().isEmpty();
    try {
        const FigureOptions options = choice().options;
        const QSizeF points = figureSize(preview_, options);
        const double heightMm = points.height() * kMmPerPoint;
        QString text = QString("%1 x %2 mm").arg(options.widthMm, 0, 'f', 1).arg(heightMm, 0, 'f', 1);
        if (png) {
            const QSize pixels = figurePixelSize(preview_, options);
            text += QString(", %1 x %2 px").arg(pixels.width()).arg(pixels.height());
        }
        if (heightMm > kJournalPageHeightMm)
            text +=
                QString(
                    "\nTaller than a journal page (about %1 mm): try the other layout or a narrower width.")
                    .arg(kJournalPageHeightMm);
        size_->setText(text);
    } catch (const std::exception& e) {
        size_->setText(QString::fromStdString(e.what()));
        ok = false;
    }
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

std::optional<FigureExportChoice> FigureExportDialog::askForFile(QWidget* parent, const GridContent& preview,
                                                                 const QString& suggestedFile) {
    FigureExportDialog dialog(preview, Target::File, suggestedFile, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

std::optional<FigureExportChoice> FigureExportDialog::askForFolder(QWidget* parent,
                                                                   const GridContent& preview,
                                                                   const QString& suggestedFolder) {
    FigureExportDialog dialog(preview, Target::Folder, suggestedFolder, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.choice();
}

}  // namespace saliency::ui
