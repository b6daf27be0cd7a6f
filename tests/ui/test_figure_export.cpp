// Figures for papers (issue 12): what a user checks in an exported figure. The same layout at
// every DPI and in PNG, SVG and PDF; the printed width asked for; every label once and inside
// the figure; a legend for what is shown; the transposed layout; the export dialog's choices.
// Offscreen, on a synthetic comparison (two networks, the scan and four maps) built with the
// grid's own cell renderers, so no network has to run.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <set>

#include <opencv2/imgproc.hpp>

#include "CellRendering.h"
#include "ComparisonGrid.h"
#include "FigureExport.h"
#include "FigureExportDialog.h"
#include "saliency/Method.h"

using namespace saliency;
using namespace saliency::ui;

namespace {

// A bright "brain" with a darker "tumour", a Grad-CAM-like blob and a signed gradient.
GridContent comparison(const QStringList& networks, bool marks = false) {
    cv::Mat scan(160, 160, CV_8UC3, cv::Scalar::all(0));
    cv::ellipse(scan, {80, 80}, {60, 70}, 0, 0, 360, cv::Scalar::all(150), -1);
    cv::circle(scan, {100, 60}, 14, cv::Scalar::all(90), -1);
    cv::Mat mask = cv::Mat::zeros(160, 160, CV_8UC1);
    cv::circle(mask, {100, 60}, 14, cv::Scalar(255), -1);
    DisplayOptions display;
    GridContent content;
    content.heading = "Brain Tumor/Y12.png   (true class: Brain Tumor)";
    content.columns << "Scan";
    const std::vector<explain::Method> methods = explain::allMethods();
    for (const auto m : methods)
        content.columns << QString::fromStdString(explain::methodTitle(m));
    for (const QString& name : networks) {
        GridRow row;
        row.title = name;
        row.subtitle = "cnn4\npredicted: Brain Tumor 93%\nright";
        row.cells.push_back(renderOriginal(scan, mask, display));
        for (const auto m : methods) {
            explain::SaliencyMap map;
            map.method = m;
            if (explain::isChannelMap(m)) {
                map.map = cv::Mat(40, 40, CV_32FC3);
                cv::randn(map.map, cv::Scalar::all(0), cv::Scalar::all(0.01));
            } else {
                map.map = cv::Mat::zeros(20, 20, CV_32FC1);
                cv::circle(map.map, {12, 7}, 4, cv::Scalar(1.0), -1);
                cv::GaussianBlur(map.map, map.map, {7, 7}, 2);
            }
            row.cells.push_back(renderMap(scan, map, mask, display, "Brain Tumor 93%"));
        }
        if (marks) {
            row.cells[1].mark = CellMark::Correct;
            row.cells[2].mark = CellMark::Incorrect;
        }
        content.rows.push_back(std::move(row));
    }
    return content;
}

QByteArray readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

cv::Mat grey(const QImage& image) {
    const QImage g = image.convertToFormat(QImage::Format_Grayscale8);
    cv::Mat m(g.height(), g.width(), CV_8UC1, const_cast<uchar*>(g.constBits()),
              static_cast<size_t>(g.bytesPerLine()));
    cv::Mat out;
    m.convertTo(out, CV_32F);
    return out;
}

// Mean SSIM (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03) of two grey images.
double ssim(const cv::Mat& a, const cv::Mat& b) {
    const double c1 = std::pow(0.01 * 255, 2), c2 = std::pow(0.03 * 255, 2);
    auto blur = [](const cv::Mat& m) {
        cv::Mat out;
        cv::GaussianBlur(m, out, {11, 11}, 1.5);
        return out;
    };
    const cv::Mat ma = blur(a), mb = blur(b);
    const cv::Mat va = blur(a.mul(a)) - ma.mul(ma), vb = blur(b.mul(b)) - mb.mul(mb);
    const cv::Mat cov = blur(a.mul(b)) - ma.mul(mb);
    cv::Mat num = (2 * ma.mul(mb) + c1).mul(2 * cov + c2);
    cv::Mat den = (ma.mul(ma) + mb.mul(mb) + c1).mul(va + vb + c2);
    cv::Mat map;
    cv::divide(num, den, map);
    return cv::mean(map)[0];
}

// The texts of an SVG, one per <text> element.
QStringList svgTexts(const QByteArray& svg) {
    QStringList out;
    static const QRegularExpression text("<text[^>]*>([^<]*)</text>");
    for (auto it = text.globalMatch(QString::fromUtf8(svg)); it.hasNext();)
        out << it.next().captured(1).trimmed();
    return out;
}

// How often each label occurs in the texts, a label wrapped over consecutive lines counting once
// ("Guided" + "Grad-CAM" is "Guided Grad-CAM", not a second "Grad-CAM").
std::map<QString, int> labelCounts(const QStringList& texts, const QStringList& labels) {
    std::map<QString, int> counts;
    for (qsizetype i = 0; i < texts.size();) {
        qsizetype consumed = 1;
        QString found;
        for (const QString& label : labels) {
            QString joined = texts[i];
            qsizetype j = i + 1;
            for (; joined != label && j < texts.size() && label.startsWith(joined); ++j)
                joined += (joined.endsWith('-') ? "" : " ") + texts[j];
            if (joined == label && j - i >= consumed) {
                found = label;
                consumed = j - i;
            }
        }
        if (!found.isEmpty())
            ++counts[found];
        i += consumed;
    }
    return counts;
}

}  // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName("Saliency Studio Tests");  // keep users' settings untouched
        QCoreApplication::setApplicationName("test_figure_export");
    }

    void pngIsTheSameFigureAtEveryDpi() {
        const GridContent content = comparison({"cnn4-demo", "efficientnet-b0-demo"});
        QTemporaryDir dir;
        FigureOptions options;
        options.widthMm = kTwoColumnsMm;
        std::map<int, QImage> images;
        for (const int dpi : {96, 300}) {
            options.dpi = dpi;
            const QString file = dir.filePath(QString("figure-%1.png").arg(dpi));
            exportFigure(content, file, options);
            images[dpi] = QImage(file);
            QVERIFY(!images[dpi].isNull());
            // The printed width: 180 mm at `dpi` pixels per inch.
            QVERIFY(std::abs(images[dpi].width() - options.widthMm / 25.4 * dpi) <= 1);
            QCOMPARE(images[dpi].size(), figurePixelSize(content, options));
            QVERIFY(std::abs(images[dpi].dotsPerMeterX() * 0.0254 - dpi) < 0.5);
        }
        // Height in proportion: the layout is the same (a ceil on each side: one pixel).
        QVERIFY(std::abs(images[300].height() * 96.0 / 300 - images[96].height()) <= 1.5);
        // The 300-dpi figure brought down to the 96-dpi size looks like the 96-dpi figure.
        cv::Mat small;
        cv::resize(grey(images[300]), small, {images[96].width(), images[96].height()}, 0, 0, cv::INTER_AREA);
        const cv::Mat reference = grey(images[96]);
        const double similarity = ssim(small, reference);
        const double meanDifference = cv::mean(cv::abs(small - reference))[0];
        qInfo("300 dpi scaled to 96 dpi vs 96 dpi: SSIM %.4f, mean |difference| %.2f of 255", similarity,
              meanDifference);
        // Text is rasterised at each size on its own (sub-pixel positions, anti-aliasing), so the two
        // are not identical; any shift of the layout (a label a line lower, text 3x too large, a
        // column cut off) drops the SSIM well below 0.9 and raises the mean difference above 10.
        QVERIFY2(similarity > 0.9, qPrintable(QString::number(similarity)));
        QVERIFY2(meanDifference < 6, qPrintable(QString::number(meanDifference)));
        // The tolerance tells layouts apart: labels 1 pt larger, at the same DPI, fail it.
        options.dpi = 96;
        options.fontPoints = 9;
        const QString larger = dir.filePath("figure-9pt.png");
        exportFigure(content, larger, options);
        cv::Mat other;
        cv::resize(grey(QImage(larger)), other, {images[96].width(), images[96].height()}, 0, 0,
                   cv::INTER_AREA);
        const double otherSimilarity = ssim(other, reference);
        const double otherDifference = cv::mean(cv::abs(other - reference))[0];
        qInfo("9 pt vs 8 pt labels at 96 dpi: SSIM %.4f, mean |difference| %.2f", otherSimilarity,
              otherDifference);
        QVERIFY(otherSimilarity < 0.9 || otherDifference > 6);
    }

    void pdfPageIsTheWidthAskedFor() {
        const GridContent content = comparison({"cnn4-demo", "efficientnet-b0-demo"});
        QTemporaryDir dir;
        for (const double mm : {kOneColumnMm, kTwoColumnsMm}) {
            FigureOptions options;
            options.widthMm = mm;
            options.layout = mm < 100 ? FigureLayout::MethodsByNetworks : FigureLayout::NetworksByMethods;
            const QString file = dir.filePath("figure.pdf");
            exportFigure(content, file, options);
            const QByteArray pdf = readAll(file);
            QVERIFY(pdf.startsWith("%PDF-"));
            static const QRegularExpression box(R"(/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\])");
            const auto match = box.match(QString::fromLatin1(pdf));
            QVERIFY2(match.hasMatch(), "no /MediaBox");
            // Qt writes the page in whole points: within one point (0.35 mm) of the width asked for.
            const double points = match.captured(1).toDouble();
            QVERIFY2(std::abs(points - mm / 25.4 * 72) <= 1, qPrintable(match.captured(0)));
            QVERIFY(std::abs(match.captured(2).toDouble() - figureSize(content, options).height()) <= 1);
        }
    }

    void svgIsTheWidthAskedForWithPrintSizedTextEachLabelOnce() {
        const GridContent content = comparison({"cnn4-demo", "resnet50"});
        QTemporaryDir dir;
        FigureOptions options;
        options.widthMm = kTwoColumnsMm;
        options.fontPoints = 8;
        const QString file = dir.filePath("figure.svg");
        exportFigure(content, file, options);
        const QByteArray svg = readAll(file);
        static const QRegularExpression width(R"(<svg[^>]*\swidth="([\d.]+)mm")");
        const auto w = width.match(QString::fromUtf8(svg));
        QVERIFY(w.hasMatch());
        QCOMPARE(w.captured(1).toDouble(), kTwoColumnsMm);
        // Printed text size: font-size in view-box units, times the width in points over the view box.
        static const QRegularExpression viewBox(R"re(viewBox="0 0 ([\d.]+) ([\d.]+)")re");
        const auto box = viewBox.match(QString::fromUtf8(svg));
        QVERIFY(box.hasMatch());
        const double pointsPerUnit = kTwoColumnsMm / 25.4 * 72 / box.captured(1).toDouble();
        static const QRegularExpression fontSize(R"re(font-size="([\d.]+)")re");
        std::set<double> sizes;
        for (auto it = fontSize.globalMatch(QString::fromUtf8(svg)); it.hasNext();)
            sizes.insert(std::round(it.next().captured(1).toDouble() * pointsPerUnit * 10) / 10);
        QVERIFY2(sizes.count(8.0) == 1, "labels at 8 pt in print");
        QStringList listed;
        for (const double size : sizes)
            listed << QString::number(size);
        QVERIFY2(*sizes.rbegin() <= 9.0 && *sizes.begin() >= 5.0,
                 qPrintable("all text between 5 and 9 pt in print: " + listed.join(", ")));
        // Every column and network label once: no per-cell badges repeating the headers.
        const QStringList texts = svgTexts(svg);
        const QStringList labels = content.columns + QStringList{"cnn4-demo", "resnet50", "Brain Tumor 93%"};
        auto counts = labelCounts(texts, labels);
        for (const QString& label : content.columns)
            QVERIFY2(counts[label] == 1, qPrintable(label + ": " + texts.join(" | ")));
        QCOMPARE(counts["cnn4-demo"], 1);
        QCOMPARE(counts["resnet50"], 1);
        QCOMPARE(counts["Brain Tumor 93%"], 0);  // the class is in the row header once
        // The colour bar says what the colour means; guided maps are explained.
        QVERIFY(texts.join('\n').contains("saliency, normalised 0-1"));
        QVERIFY(texts.join('\n').contains("mid-grey = no gradient"));
        QVERIFY(!texts.contains("correct"));  // no marks, no legend for them
    }

    void marksHaveALegend() {
        const GridContent content = comparison({"cnn4-demo"}, true);
        QStringList texts;
        for (const auto& t : figureTexts(content, {}))
            texts << t.text;
        QVERIFY(texts.contains("correct"));
        QVERIFY(texts.contains("incorrect"));
        QVERIFY(texts.contains("unsure"));
    }

    void everyLabelFitsInsideTheFigureAndClearOfTheOthers() {
        const QString longName = "efficientnet-b0-demo-finetuned-on-the-kaggle-brain-mri-set";
        const GridContent content = comparison({"cnn4-demo", longName});
        for (const double mm : {kOneColumnMm, kTwoColumnsMm})
            for (const auto layout : {FigureLayout::NetworksByMethods, FigureLayout::MethodsByNetworks}) {
                FigureOptions options;
                options.widthMm = mm;
                options.layout = layout;
                const QSizeF size = figureSize(content, options);
                QVERIFY(std::abs(size.width() - mm / 25.4 * 72) < 1e-6);
                const auto texts = figureTexts(content, options);
                for (size_t i = 0; i < texts.size(); ++i) {
                    const auto& t = texts[i];
                    const QString where =
                        QString("%1 at %2 mm (%3)").arg(t.text).arg(mm).arg(figureLayoutName(layout));
                    QVERIFY2(QRectF(QPointF(0, 0), size).contains(t.rect), qPrintable(where));
                    for (size_t j = i + 1; j < texts.size(); ++j)
                        QVERIFY2(!t.rect.intersects(texts[j].rect.adjusted(0.3, 0.3, -0.3, -0.3)),
                                 qPrintable(where + " overlaps " + texts[j].text));
                }
                // The long name: whole on consecutive lines broken between its parts, or shortened
                // with an ellipsis; never cut without one.
                bool whole = false;
                for (size_t i = 0; i < texts.size() && !whole; ++i) {
                    QString joined;
                    for (size_t j = i; j < texts.size() && longName.startsWith(joined + texts[j].text); ++j) {
                        joined += texts[j].text;
                        whole = joined == longName;
                    }
                }
                const bool elided = std::any_of(texts.begin(), texts.end(), [](const FigureText& t) {
                    return t.text.contains(QChar(0x2026));
                });
                QVERIFY2(whole || elided, qPrintable(figureLayoutName(layout)));
                QVERIFY(std::any_of(texts.begin(), texts.end(), [](const FigureText& t) {
                    return t.text.startsWith("Brain Tumor/");  // the title is there
                }));
            }
    }

    void transposedLayoutIsTallAndTheScanColumnOptional() {
        const GridContent content = comparison({"cnn4-demo", "resnet50"});
        FigureOptions options;
        options.widthMm = kTwoColumnsMm;
        const QSizeF wide = figureSize(content, options);  // 2 rows x 5 columns
        options.layout = FigureLayout::MethodsByNetworks;
        const QSizeF tall = figureSize(content, options);  // 5 rows x 2 columns
        QCOMPARE(tall.width(), wide.width());
        QVERIFY2(wide.height() < wide.width() * 0.6, "two rows of five cells: wider than tall");
        QVERIFY2(tall.height() > tall.width() * 1.5, "five rows of two cells: taller than wide");
        // Without the scan: four rows instead of five, each row a cell and a gap lower.
        options.scanColumn = false;
        const QSizeF noScan = figureSize(content, options);
        const double cell = (tall.height() - noScan.height());
        QVERIFY(cell > 0.3 * tall.width() && cell < 0.5 * tall.width());
        QStringList texts;
        for (const auto& t : figureTexts(content, options))
            texts << t.text;
        QVERIFY(!texts.contains("Scan"));
        QVERIFY(texts.contains("cnn4-demo") && texts.contains("Grad-CAM"));
    }

    void tooManyColumnsForTheWidthIsAClearError() {
        GridContent content = comparison({"cnn4-demo"});
        for (int i = 0; i < 4; ++i) {
            content.columns << content.columns;
            content.rows[0].cells.insert(content.rows[0].cells.end(), content.rows[0].cells.begin(),
                                         content.rows[0].cells.end());
        }
        FigureOptions options;
        options.widthMm = 40;
        QVERIFY_THROWS_EXCEPTION(std::exception, figureSize(content, options));
        options.widthMm = 1000;
        QVERIFY_THROWS_EXCEPTION(std::exception, figureSize(content, options));
        QVERIFY_THROWS_EXCEPTION(std::exception, figureLayoutFromName("sideways"));
        QCOMPARE(figureLayoutFromName("methods-by-networks"), FigureLayout::MethodsByNetworks);
    }

    void dialogReturnsTheOptionsAndShowsTheSize() {
        const GridContent content = comparison({"cnn4-demo", "resnet50"});
        FigureExportDialog dialog(content, FigureExportDialog::Target::File, "/tmp/scan-comparison.png");
        auto* format = dialog.findChild<QComboBox*>("format");
        auto* width = dialog.findChild<QComboBox*>("widthPreset");
        auto* layout = dialog.findChild<QComboBox*>("layout");
        auto* dpi = dialog.findChild<QSpinBox*>("dpi");
        auto* mm = dialog.findChild<QDoubleSpinBox*>("widthMm");
        QVERIFY(format && width && layout && dpi && mm);
        format->setCurrentIndex(0);  // PNG
        width->setCurrentIndex(0);   // one column
        layout->setCurrentIndex(1);  // a row per method
        dpi->setValue(300);
        FigureExportChoice choice = dialog.choice();
        QCOMPARE(choice.format, FigureFormat::Png);
        QCOMPARE(choice.options.widthMm, kOneColumnMm);
        QCOMPARE(choice.options.layout, FigureLayout::MethodsByNetworks);
        const QSize pixels = figurePixelSize(content, choice.options);
        QVERIFY2(dialog.sizeText().startsWith("88.0 x "), qPrintable(dialog.sizeText()));
        QVERIFY2(dialog.sizeText().contains(QString("%1 x %2 px").arg(pixels.width()).arg(pixels.height())),
                 qPrintable(dialog.sizeText()));
        QVERIFY(dialog.canExport());
        // PDF: the suffix follows, no pixels, no DPI.
        format->setCurrentIndex(2);
        QCOMPARE(dialog.choice().path, QString("/tmp/scan-comparison.pdf"));
        QVERIFY(!dialog.sizeText().contains("px"));
        QVERIFY(!dpi->isEnabled());
        // A free width.
        width->setCurrentIndex(2);
        QVERIFY(mm->isEnabled());
        mm->setValue(120);
        QCOMPARE(dialog.choice().options.widthMm, 120.0);
        QVERIFY(dialog.sizeText().startsWith("120.0 x "));
    }
};

QTEST_MAIN(TestFigureExport)
#include "test_figure_export.moc"
