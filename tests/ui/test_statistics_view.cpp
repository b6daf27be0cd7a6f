// ui/StatisticsView: a small project database written row by row (no network), loaded off the GUI
// thread; the charts must carry exactly the project's numbers (bars = Wilson intervals, heat-map
// cells = mean pair IoU, one scatter dot per centre), clicks ask for the right scans, and the
// exports are valid PNG/SVG/PDF and CSV files. Offscreen; no timing assertions.
#include <QComboBox>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

// qcustomplot.h declares its signals with Qt's `signals` keyword and loops with `foreach`, both of
// which QT_NO_KEYWORDS (set for every test) removes: give them back for this one header.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include "StatisticsCharts.h"
#include "StatisticsData.h"
#include "StatisticsView.h"
#include "common/Error.h"
#include "metrics/Proportion.h"
#include "study/ProjectDatabase.h"

namespace fs = std::filesystem;
using namespace saliency;
using namespace saliency::study;
using namespace saliency::ui;

namespace {

constexpr int kScans = 10;
constexpr int kShare = static_cast<int>(StatisticsChart::JudgedCorrect);
constexpr int kNetworkIou = static_cast<int>(StatisticsChart::NetworkIou);
constexpr int kMethodIou = static_cast<int>(StatisticsChart::MethodIou);
constexpr int kCentres = static_cast<int>(StatisticsChart::Centres);
constexpr int kDistances = static_cast<int>(StatisticsChart::CentreDistances);
constexpr int kMask = static_cast<int>(StatisticsChart::MaskAgreement);

std::string scanName(int i) {
    return (i < 6 ? "Brain Tumor/t" : "Healthy/h") + std::to_string(i) + ".png";
}

// Known values the charts must reproduce.
double modelPairIou(const std::string& method, int scan) {
    return method == "cam" ? (scan + 1) / 20.0 : scan / 10.0;
}
bool modelPairIouDefined(const std::string& method, int scan) {
    return !(method == "gradcam" && scan == 0);  // two empty regions
}
double centreX(int model, int scan) {
    return 0.05 + 0.09 * scan + 0.01 * model;
}

// Two networks (cnn4, vgg16) x two methods (cam, gradcam) x 10 scans (6 tumours with masks).
// cnn4's CAM map of the last scan is empty (no centre). Verdicts: cnn4 Grad-CAM 8 of 10 correct,
// cnn4 CAM 3 correct, 1 incorrect, 1 unsure, vgg16 Grad-CAM 0 of 10, vgg16 CAM none.
struct ProjectBuilder {
    fs::path file;
    std::vector<std::int64_t> scans;
    std::vector<std::int64_t> models;
    std::map<std::tuple<int, int, std::string>, std::int64_t> maps;  // (scan, model, method)

    void build(bool withAnnotations) {
        ProjectDatabase project(file);
        project.bindDataSet(file.parent_path() / "data", {"Brain Tumor", "Healthy"});
        models.push_back(model(project, "cnn4", "1"));
        models.push_back(model(project, "vgg16", "2"));
        for (int i = 0; i < kScans; ++i)
            addScan(project, i);
        for (int i = 0; i < kScans; ++i)
            addPairs(project, i);
        if (withAnnotations)
            annotate(project);
    }

    std::int64_t model(ProjectDatabase& project, const std::string& name, const std::string& fingerprint) {
        return project
            .registerModel({.name = name,
                            .checkpointPath = "/models/" + name + ".pt",
                            .architecture = name,
                            .cardJson = "{}",
                            .fingerprint = fingerprint})
            .id;
    }

    void addScan(ProjectDatabase& project, int i) {
        const bool tumour = i < 6;
        std::optional<std::string> mask;
        if (tumour)
            mask = "masks/" + scanName(i);
        const std::int64_t id = project.putScan({.path = scanName(i),
                                                 .classIndex = tumour ? 0 : 1,
                                                 .className = tumour ? "Brain Tumor" : "Healthy",
                                                 .splitPart = "test",
                                                 .maskPath = mask,
                                                 .width = 64,
                                                 .height = 64,
                                                 .fingerprint = std::to_string(i)});
        scans.push_back(id);
        for (int m = 0; m < 2; ++m) {
            // cnn4 right on all but scan 9; vgg16 right on all.
            const int predicted = (m == 0 && i == 9) ? 0 : (tumour ? 0 : 1);
            project.putPrediction(
                {id, models[m], {0.f, 0.f}, {0.5f, 0.5f}, predicted, predicted == (tumour ? 0 : 1)});
            for (const std::string method : {"cam", "gradcam"})
                maps[{i, m, method}] = project.putMap(mapRecord(id, m, method, i, tumour));
        }
    }

    MapRecord mapRecord(std::int64_t scan, int m, const std::string& method, int i, bool tumour) {
        MapRecord r{
            .scanId = scan, .modelId = models[m], .method = method, .targetClass = 0, .layer = "features"};
        r.width = r.height = 64;
        r.empty = m == 0 && method == "cam" && i == kScans - 1;
        if (!r.empty) {
            r.measures.centreX = centreX(m, i);
            r.measures.centreY = method == "cam" ? 0.4 : 0.6;
            r.measures.regionArea = 0.1;
        }
        if (tumour) {
            r.measures.maskIou = 0.1 * (i + 1) + (m == 1 ? 0.05 : 0.0);
            r.measures.pointingHit = i % 2 == 0;
            r.measures.energyInside = 0.5;
            r.measures.truth = study::TruthSource::Mask;  // measured against the scan's mask
        }
        return r;
    }

    void addPairs(ProjectDatabase& project, int i) {
        for (const std::string method : {"cam", "gradcam"}) {
            PairRecord p{maps[{i, 0, method}], maps[{i, 1, method}], PairKind::Models};
            if (modelPairIouDefined(method, i))
                p.iou = modelPairIou(method, i);
            if (!(method == "cam" && i == kScans - 1))  // cnn4's empty map has no centre
                p.centreDistance = std::abs(centreX(0, i) - centreX(1, i));
            project.putPair(p);
        }
        for (int m = 0; m < 2; ++m)
            project.putPair(
                {maps[{i, m, "cam"}], maps[{i, m, "gradcam"}], PairKind::Methods, m == 0 ? 0.5 : 0.25, 0.2});
    }

    void annotate(ProjectDatabase& project) {
        for (int i = 0; i < kScans; ++i)
            project.setAnnotation(
                {{scans[i], models[0], "gradcam", ""}, i < 8 ? Verdict::Correct : Verdict::Incorrect});
        for (int i = 0; i < 5; ++i) {
            const Verdict v = i < 3 ? Verdict::Correct : i == 3 ? Verdict::Incorrect : Verdict::Unsure;
            project.setAnnotation({{scans[i], models[0], "cam", ""}, v});
        }
        for (int i = 0; i < kScans; ++i)
            project.setAnnotation({{scans[i], models[1], "gradcam", ""}, Verdict::Incorrect});
    }
};

template <typename T>
std::vector<T*> plottablesOf(QCustomPlot* plot) {
    std::vector<T*> out;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        if (auto* p = qobject_cast<T*>(plot->plottable(i)))
            out.push_back(p);
    }
    return out;
}

template <typename T>
T* named(QCustomPlot* plot, const QString& name) {
    for (T* p : plottablesOf<T>(plot)) {
        if (p->name() == name)
            return p;
    }
    return nullptr;
}

QString titleOf(QCustomPlot* plot) {
    auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    return title ? title->text().simplified() : QString();  // as one line, however it was wrapped
}

QString subtitleOf(QCustomPlot* plot) {
    auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(1, 0));
    return title ? title->text().simplified() : QString();
}

// The bar of `bars` at `key` (plot coordinates) and its error bar; false when there is none.
bool barAt(QCPBars* bars, double key, double& value, double& minus, double& plus) {
    auto* errors = named<QCPErrorBars>(bars->parentPlot(), bars->name() + " 95% interval");
    for (int i = 0; i < bars->dataCount(); ++i) {
        if (std::abs(bars->data()->at(i)->key - key) < 1e-9) {
            value = bars->data()->at(i)->value;
            minus = errors->data()->at(i).errorMinus;
            plus = errors->data()->at(i).errorPlus;
            return true;
        }
    }
    return false;
}

// Key of method `method` (of `methods`) over network `model`, as GroupedBars lays them out.
double barKey(int model, int method, int methods) {
    const double width = 0.8 / methods;
    return model + (method - (methods - 1) / 2.0) * width;
}

std::vector<std::string> lines(const fs::path& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// The share of pixels that are not (almost) white.
double inkShare(const QImage& image) {
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    std::size_t ink = 0;
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* row = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            ink += row[x] < 230 ? 1 : 0;
    }
    return static_cast<double>(ink) / (static_cast<double>(grey.width()) * grey.height());
}

// Mean absolute difference of two images' grey levels (0 to 255).
double meanDifference(const QImage& a, const QImage& b) {
    const QImage ga = a.convertToFormat(QImage::Format_Grayscale8);
    const QImage gb = b.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0;
    for (int y = 0; y < ga.height(); ++y) {
        for (int x = 0; x < ga.width(); ++x)
            sum += std::abs(int(ga.constScanLine(y)[x]) - int(gb.constScanLine(y)[x]));
    }
    return sum / (static_cast<double>(ga.width()) * ga.height());
}

// Mean SSIM (Wang et al. 2004) of the grey levels over 8x8 windows with stride 4.
double structuralSimilarity(const QImage& a, const QImage& b) {
    const QImage ga = a.convertToFormat(QImage::Format_Grayscale8);
    const QImage gb = b.convertToFormat(QImage::Format_Grayscale8);
    const double c1 = std::pow(0.01 * 255, 2), c2 = std::pow(0.03 * 255, 2);
    double total = 0;
    int windows = 0;
    for (int y0 = 0; y0 + 8 <= ga.height(); y0 += 4) {
        for (int x0 = 0; x0 + 8 <= ga.width(); x0 += 4) {
            double ma = 0, mb = 0, va = 0, vb = 0, cov = 0;
            for (int y = y0; y < y0 + 8; ++y) {
                for (int x = x0; x < x0 + 8; ++x) {
                    ma += ga.constScanLine(y)[x];
                    mb += gb.constScanLine(y)[x];
                }
            }
            ma /= 64;
            mb /= 64;
            for (int y = y0; y < y0 + 8; ++y) {
                for (int x = x0; x < x0 + 8; ++x) {
                    const double da = ga.constScanLine(y)[x] - ma, db = gb.constScanLine(y)[x] - mb;
                    va += da * da;
                    vb += db * db;
                    cov += da * db;
                }
            }
            va /= 63;
            vb /= 63;
            cov /= 63;
            total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            ++windows;
        }
    }
    return total / windows;
}

// The first page's MediaBox (points), from the PDF's text.
QSizeF pdfPageSize(const QString& file) {
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    const QString text = QString::fromLatin1(f.readAll());
    const QRegularExpression box(R"(/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\])");
    const QRegularExpressionMatch m = box.match(text);
    if (!m.hasMatch())
        return {};
    return {m.captured(3).toDouble() - m.captured(1).toDouble(),
            m.captured(4).toDouble() - m.captured(2).toDouble()};
}

QByteArray head(const QString& file, int n) {
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    return f.read(n);
}

// The box a text item takes on the figure (padding included), turned as it is drawn.
QRectF itemBox(QCPItemText* item) {
    QPolygonF corners;
    for (QCPItemAnchor* a : {item->topLeft, item->topRight, item->bottomRight, item->bottomLeft})
        corners << a->pixelPosition();
    return corners.boundingRect();
}

// The box a title element's text takes, centred in the element as QCPTextElement draws it.
// The brief's study: 2 networks x 4 methods x 40 scans, with long method names, made up from the
// loaded statistics (only the matrices matter to the heat maps).
StatisticsData fourMethods(StatisticsData d) {
    d.methods = {"gradcam", "integrated_gradients", "guided_backprop", "occlusion"};
    auto matrix = [](study::PairKind kind, std::string group, std::vector<std::string> labels) {
        PairMatrix m;
        m.kind = kind;
        m.group = std::move(group);
        m.labels = std::move(labels);
        const std::size_t n = m.labels.size();
        m.iou.resize(n * n);
        m.centreDistance.resize(n * n);
        for (std::size_t i = 0; i < n * n; ++i) {
            if (i / n != i % n) {
                m.iou[i].n = 40;
                m.iou[i].mean = 0.2 + 0.05 * static_cast<double>(i % 7);
            }
        }
        return m;
    };
    d.networkMatrices.clear();
    for (const auto& method : d.methods)
        d.networkMatrices.push_back(matrix(study::PairKind::Models, method, d.models));
    d.methodMatrices.clear();
    for (const auto& model : d.models)
        d.methodMatrices.push_back(matrix(study::PairKind::Methods, model, d.methods));
    return d;
}

QRectF elementBox(QCPTextElement* element) {
    const QRectF text = QFontMetricsF(element->font())
                            .boundingRect(QRectF(element->rect()), Qt::AlignCenter, element->text());
    return text;
}

}  // namespace

class TestStatisticsView : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        root_ = dir_.path().toStdString();
        annotated_.file = root_ / "annotated.sqlite";
        annotated_.build(true);
        plain_.file = root_ / "plain.sqlite";
        plain_.build(false);
    }

    void loadsOffTheGuiThreadAndSupersedes() {
        StatisticsView view;
        QSignalSpy ready(&view, &StatisticsView::statisticsReady);
        view.setProject(plain_.file);
        QVERIFY(view.isLoading());  // returned before the work was done
        view.setProject(annotated_.file);
        QVERIFY(ready.wait(20000));
        QCOMPARE(ready.count(), 1);  // the first request's result was dropped, not shown
        QVERIFY(fs::equivalent(view.statistics()->rows.statistics.projectFile, annotated_.file));
        QVERIFY(!view.isLoading());
        QCOMPARE(view.statistics()->rows.annotations.size(), std::size_t(25));
    }

    void clearAndGivenStatisticsWinOverAReadInFlight() {
        StatisticsView view;
        QSignalSpy ready(&view, &StatisticsView::statisticsReady);
        QSignalSpy failed(&view, &StatisticsView::loadFailed);
        view.setProject(annotated_.file);
        view.clear();
        QTRY_VERIFY(!view.isLoading());
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 0);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!view.statistics());

        auto given = std::make_shared<const StatisticsData>(loadStatisticsData(plain_.file));
        view.setProject(annotated_.file);
        view.setStatistics(given);
        QCOMPARE(ready.count(), 1);
        QTRY_VERIFY(!view.isLoading());
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 1);  // the read of the annotated project was dropped
        QCOMPARE(view.statistics(), given);
        QCOMPARE(view.projectFile(), plain_.file);
    }

    void missingProjectReportsAnError() {
        StatisticsView view;
        QSignalSpy failed(&view, &StatisticsView::loadFailed);
        view.setProject(root_ / "missing.sqlite");
        QVERIFY(failed.wait(20000));
        QVERIFY(failed.at(0).at(0).toString().contains("missing.sqlite"));
        QVERIFY(!view.statistics());
    }

    void barsAreWilsonIntervalsWithCounts() {
        StatisticsView view;
        load(view, annotated_.file);
        QCustomPlot* plot = view.plot(kShare);
        QVERIFY(titleOf(plot).contains("judged correct"));
        auto* gradcam = named<QCPBars>(plot, "Grad-CAM");
        auto* cam = named<QCPBars>(plot, "CAM");
        QVERIFY(gradcam && cam);
        // cnn4 Grad-CAM: 8 of 10 -> [0.490, 0.943].
        double value = 0, minus = 0, plus = 0;
        QVERIFY(barAt(gradcam, barKey(0, 1, 2), value, minus, plus));
        QCOMPARE(value, 0.8);
        QVERIFY(std::abs(value - minus - 0.49016247153664183) < 1e-12);
        QVERIFY(std::abs(value + plus - 0.9433178485456247) < 1e-12);
        // cnn4 CAM: 3 of 4 (the unsure one left out).
        const auto threeOfFour = *metrics::wilsonInterval(3, 4);
        QVERIFY(barAt(cam, barKey(0, 0, 2), value, minus, plus));
        QCOMPARE(value, 0.75);
        QVERIFY(std::abs(value - minus - threeOfFour.low) < 1e-12);
        QVERIFY(std::abs(value + plus - threeOfFour.high) < 1e-12);
        // vgg16 Grad-CAM: 0 of 10, a zero bar with an upper bound; vgg16 CAM: no verdict, no bar.
        QVERIFY(barAt(gradcam, barKey(1, 1, 2), value, minus, plus));
        QCOMPARE(value, 0.0);
        QCOMPARE(minus, 0.0);
        QVERIFY(std::abs(plus - metrics::wilsonInterval(0, 10)->high) < 1e-12);
        QVERIFY(!barAt(cam, barKey(1, 0, 2), value, minus, plus));
        // n above every bar, the empty one included.
        QStringList counts;
        for (int i = 0; i < plot->itemCount(); ++i) {
            if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
                counts << text->text();
        }
        counts.sort();
        QCOMPARE(counts, QStringList({"n=0", "n=10", "n=10", "n=4"}));
    }

    void withoutVerdictsTheShareOfNonEmptyMapsIsShownAndSaid() {
        StatisticsView view;
        load(view, plain_.file);
        QCustomPlot* plot = view.plot(kShare);
        QVERIFY(titleOf(plot).contains("non-empty"));
        QVERIFY(titleOf(plot).contains("no maps judged yet"));
        QVERIFY(subtitleOf(plot).contains("No map has a verdict yet"));
        QCOMPARE(plot->axisRect(0)->axis(QCPAxis::atLeft)->label(), QString("non-empty maps"));
        double value = 0, minus = 0, plus = 0;
        QVERIFY(barAt(named<QCPBars>(plot, "CAM"), barKey(0, 0, 2), value, minus, plus));
        QCOMPARE(value, 0.9);  // cnn4's CAM: 9 of 10 maps non-empty
        QVERIFY(std::abs(value - minus - metrics::wilsonInterval(9, 10)->low) < 1e-12);
        // The accuracy chart needs verdicts and says so.
        QCOMPARE(
            plottablesOf<QCPGraph>(view.plot(static_cast<int>(StatisticsChart::AccuracyVsJudged))).size(),
            std::size_t(0));
    }

    void heatMapCellsAreMeanPairIous() {
        StatisticsView view;
        load(view, annotated_.file);
        const auto maps = plottablesOf<QCPColorMap>(view.plot(kNetworkIou));
        QCOMPARE(maps.size(), std::size_t(2));  // one per method
        for (const std::string method : {"cam", "gradcam"}) {
            auto* map = named<QCPColorMap>(view.plot(kNetworkIou), QString::fromStdString(method));
            QVERIFY(map);
            double sum = 0;
            int n = 0;
            for (int i = 0; i < kScans; ++i) {
                if (modelPairIouDefined(method, i)) {
                    sum += modelPairIou(method, i);
                    ++n;
                }
            }
            QVERIFY(std::abs(map->data()->cell(1, 0) - sum / n) < 1e-12);
            QVERIFY(std::abs(map->data()->cell(0, 1) - sum / n) < 1e-12);
            QVERIFY(std::isnan(map->data()->cell(0, 0)));  // the diagonal: grey
            QVERIFY(std::isnan(map->data()->cell(1, 1)));
        }
        auto* cnn4 = named<QCPColorMap>(view.plot(kMethodIou), "cnn4");
        auto* vgg16 = named<QCPColorMap>(view.plot(kMethodIou), "vgg16");
        QVERIFY(cnn4 && vgg16);
        QVERIFY(std::abs(cnn4->data()->cell(1, 0) - 0.5) < 1e-12);
        QVERIFY(std::abs(vgg16->data()->cell(0, 1) - 0.25) < 1e-12);
        QCOMPARE(cnn4->colorScale()->dataRange(), QCPRange(0, 1));
    }

    void scatterHasADotPerCentreAndHistogramsCountPairs() {
        StatisticsView view;
        load(view, annotated_.file);
        int dots = 0;
        for (auto* graph : plottablesOf<QCPGraph>(view.plot(kCentres))) {
            if (graph->name() == "CAM" || graph->name() == "Grad-CAM")
                dots += graph->dataCount();
        }
        QCOMPARE(dots, 2 * 2 * kScans - 1);  // cnn4's empty CAM map has no centre
        // Histograms: every pair with both centres counted once (cam: 9, gradcam: 10).
        for (const auto& [name, expected] : {std::pair{"CAM", 9}, std::pair{"Grad-CAM", 10}}) {
            auto* graph = named<QCPGraph>(view.plot(kDistances), name);
            QVERIFY(graph);
            double total = 0;
            for (int i = 0; i + 1 < graph->dataCount(); ++i)  // the last point only closes the step
                total += graph->data()->at(i)->value;
            QCOMPARE(total, double(expected));
        }
        // Mask agreement: cnn4 CAM over the 6 masked scans, IoU 0.1 .. 0.6.
        double value = 0, minus = 0, plus = 0;
        QCustomPlot* mask = view.plot(kMask);
        auto* bars = plottablesOf<QCPBars>(mask).front();
        QCOMPARE(bars->name(), QString("CAM"));
        QVERIFY(barAt(bars, barKey(0, 0, 2), value, minus, plus));
        QVERIFY(std::abs(value - 0.35) < 1e-12);
        QVERIFY(std::abs(minus - std::sqrt(0.035)) < 1e-12);  // sample SD of 0.1 .. 0.6
    }

    void clicksAskForTheScansBehindABarOrACell() {
        StatisticsView view;
        load(view, annotated_.file);
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy filter(&view, &StatisticsView::filterRequested);

        click(view, kShare, "cnn4", "cam");
        QCOMPARE(filter.count(), 1);
        QCOMPARE(filter.at(0).at(0).toString(), QString("cnn4"));
        QCOMPARE(filter.at(0).at(1).toString(), QString("cam"));
        // The maps judged correct or incorrect (not the unsure one).
        QCOMPARE(filter.at(0).at(4).toStringList(),
                 QStringList({"Brain Tumor/t0.png", "Brain Tumor/t1.png", "Brain Tumor/t2.png",
                              "Brain Tumor/t3.png"}));

        click(view, kNetworkIou, "vgg16", "gradcam", "cnn4");
        QCOMPARE(filter.count(), 2);
        QCOMPARE(filter.at(1).at(0).toString(), QString("vgg16"));
        QCOMPARE(filter.at(1).at(2).toString(), QString("cnn4"));
        QCOMPARE(filter.at(1).at(4).toStringList().size(), kScans);

        click(view, kMethodIou, "cnn4", "cam", "gradcam");
        QCOMPARE(filter.count(), 3);
        QCOMPARE(filter.at(2).at(3).toString(), QString("gradcam"));

        click(view, kMask, "vgg16", "gradcam");
        QCOMPARE(filter.count(), 4);
        QCOMPARE(filter.at(3).at(4).toStringList().size(), 6);  // the scans with a mask

        // A dot of the centre scatter: its scan.
        click(view, kCentres, "cnn4", "gradcam");
        QCOMPARE(filter.count(), 5);
        QCOMPARE(filter.at(4).at(4).toStringList(), QStringList({"Brain Tumor/t0.png"}));

        // Off every target: nothing.
        click(view, kShare, {}, {}, {}, QPointF(3, 3));
        QCOMPARE(filter.count(), 5);
    }

    void refreshShowsNewVerdicts() {
        fs::copy_file(annotated_.file, root_ / "refresh.sqlite", fs::copy_options::overwrite_existing);
        StatisticsView view;
        load(view, root_ / "refresh.sqlite");
        {
            ProjectDatabase project(root_ / "refresh.sqlite", OpenMode::ExistingOnly);
            project.setAnnotation({{annotated_.scans[0], annotated_.models[1], "cam", ""}, Verdict::Correct});
        }
        QSignalSpy ready(&view, &StatisticsView::statisticsReady);
        view.refresh();
        QVERIFY(ready.wait(20000));
        double value = 0, minus = 0, plus = 0;
        QVERIFY(barAt(named<QCPBars>(view.plot(kShare), "CAM"), barKey(1, 0, 2), value, minus, plus));
        QCOMPARE(value, 1.0);  // vgg16 CAM: 1 of 1
    }

    void exportsEveryChartAsPngSvgAndPdf() {
        StatisticsView view;
        load(view, annotated_.file);
        const QString out = QString::fromStdString((root_ / "charts").string());
        QDir().mkpath(out);
        const ChartPaper oneColumn{ChartPaper::kOneColumnMm, 144, 8};
        for (int i = 0; i < StatisticsView::chartCount(); ++i) {
            const QString stem = out + "/" + StatisticsView::chartFileStem(i);
            view.exportChart(i, stem + ".png", oneColumn);
            const QImage png(stem + ".png");
            QVERIFY2(!png.isNull(), qPrintable(stem));
            QCOMPARE(png.width(), pngWidthPixels(oneColumn));  // 88 mm at 144 dpi
            QCOMPARE(std::lround(png.dotsPerMeterX() * 0.0254), 144L);
            QVERIFY(inkShare(png) > 0.02);  // a chart, not a blank page
            view.exportChart(i, stem + ".svg", oneColumn);
            QSvgRenderer svg(stem + ".svg");
            QVERIFY2(svg.isValid(), qPrintable(stem));
            view.exportChart(i, stem + ".pdf", oneColumn);
            QCOMPARE(head(stem + ".pdf", 5), QByteArray("%PDF-"));
            QVERIFY(!QFile::exists(stem + ".pdf.part"));
        }
        // The SVG is vector: the bar chart's labels are text, not pixels, and it is 88 mm wide.
        QFile svg(out + "/share_correct.svg");
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY(svgText.contains("Grad-CAM"));
        QVERIFY2(svgText.contains("width=\"88"), svgText.left(600).constData());
        QVERIFY_THROWS_EXCEPTION(saliency::Error, view.exportChart(kShare, out + "/chart.gif", {}));
        QVERIFY_THROWS_EXCEPTION(saliency::Error, view.exportChart(kShare, out + "/chart.png", {180, 5, 8}));
        QVERIFY_THROWS_EXCEPTION(saliency::Error, view.exportChart(kShare, out + "/chart.png", {5, 300, 8}));
    }

    // What a reader checks at one and two columns (and the extremes): no two texts of a heat map
    // overlap, all lie inside the figure and left of the colour scale, and the cell text fits its cell.
    void heatMapTextFitsAtEveryWidth() {
        StatisticsView view;
        load(view, annotated_.file);
        const StatisticsData wide = fourMethods(*view.statistics());
        for (const StatisticsData* data : {view.statistics().get(), &wide})
            for (const int chart : {kNetworkIou, kMethodIou}) {
                for (const double mm : {60.0, ChartPaper::kOneColumnMm, ChartPaper::kTwoColumnsMm, 250.0}) {
                    const QString where = QString("%1 at %2 mm, %3 methods")
                                              .arg(StatisticsView::chartFileStem(chart))
                                              .arg(mm)
                                              .arg(data->methods.size());
                    // HM_DUMP=<folder>: also write the PNGs, to look at what the assertions below measured.
                    if (qEnvironmentVariableIsSet("HM_DUMP"))
                        exportChart(
                            static_cast<StatisticsChart>(chart), *data,
                            (qEnvironmentVariable("HM_DUMP") + "/" + StatisticsView::chartFileStem(chart) +
                             QString("-%1-%2.png").arg(mm).arg(data->methods.size()))
                                .toStdString(),
                            {mm, 150, 8});
                    QCustomPlot plot;
                    const QSize size =
                        layOutForExport(plot, static_cast<StatisticsChart>(chart), *data, {mm, 96, 8});
                    (void)plot.toPixmap(size.width(), size.height(), 1.0);  // lays out and places the items
                    const QRectF figure(QPointF(0, 0), QSizeF(size));
                    QCPColorScale* scale = nullptr;
                    std::vector<std::pair<QRectF, QString>> boxes;
                    for (int i = 0; i < plot.plotLayout()->elementCount(); ++i) {
                        if (auto* text = qobject_cast<QCPTextElement*>(plot.plotLayout()->elementAt(i)))
                            boxes.emplace_back(elementBox(text), text->text());
                    }
                    for (QCPLayoutElement* e : plot.plotLayout()->elements(true)) {
                        if (auto* s = qobject_cast<QCPColorScale*>(e))
                            scale = s;
                    }
                    QVERIFY2(scale, qPrintable(where));
                    QVERIFY2(!scale->axis()->label().isEmpty(), qPrintable(where));
                    QVERIFY2(figure.contains(QRectF(scale->outerRect())), qPrintable(where));
                    int cellTexts = 0;
                    for (int i = 0; i < plot.itemCount(); ++i) {
                        auto* item = qobject_cast<QCPItemText*>(plot.item(i));
                        if (!item || item->text().isEmpty())
                            continue;
                        const QRectF box = itemBox(item);
                        const QString what = where + ": '" + item->text() + "'";
                        QVERIFY2(box.right() <= scale->outerRect().left(), qPrintable(what));
                        if (item->clipToAxisRect()) {  // a cell's text: inside its cell
                            const QPointF at = item->position->coords();
                            QCPAxisRect* rect = item->clipAxisRect();
                            const QPointF a =
                                rect->axis(QCPAxis::atBottom)->coordToPixel(at.x() - 0.5) * QPointF(1, 0) +
                                rect->axis(QCPAxis::atLeft)->coordToPixel(at.y() - 0.5) * QPointF(0, 1);
                            const QPointF b =
                                rect->axis(QCPAxis::atBottom)->coordToPixel(at.x() + 0.5) * QPointF(1, 0) +
                                rect->axis(QCPAxis::atLeft)->coordToPixel(at.y() + 0.5) * QPointF(0, 1);
                            const QRectF cell = QRectF(a, b).normalized();
                            const QRectF ink = QFontMetricsF(item->font())
                                                   .boundingRect(QRectF(box.center() - QPointF(500, 500),
                                                                        QSizeF(1000, 1000)),
                                                                 Qt::AlignCenter, item->text());
                            QVERIFY2(cell.contains(ink), qPrintable(what));
                            ++cellTexts;
                        }
                        boxes.emplace_back(box, item->text());
                    }
                    // The values are shown from one column up (at 60 mm a 4 x 4 matrix has no room for them).
                    QVERIFY2(cellTexts > 0 || mm < ChartPaper::kOneColumnMm, qPrintable(where));
                    for (std::size_t i = 0; i < boxes.size(); ++i) {
                        QVERIFY2(figure.contains(boxes[i].first), qPrintable(where + ": " + boxes[i].second));
                        for (std::size_t j = i + 1; j < boxes.size(); ++j)
                            QVERIFY2(!boxes[i].first.intersects(boxes[j].first),
                                     qPrintable(where + ": '" + boxes[i].second + "' and '" +
                                                boxes[j].second + "'"));
                    }
                }
            }
    }

    // The layout is the same at every DPI: the 300-dpi PNG scaled down to the 96-dpi one's size
    // matches it (text not 3x too large, nothing moved), for every chart.
    void pngAt300DpiScaledDownMatches96Dpi() {
        StatisticsView view;
        load(view, annotated_.file);
        const QString out = QString::fromStdString((root_ / "dpi").string());
        QDir().mkpath(out);
        for (int i = 0; i < StatisticsView::chartCount(); ++i) {
            const QString stem = out + "/" + StatisticsView::chartFileStem(i);
            view.exportChart(i, stem + "-96.png", {ChartPaper::kTwoColumnsMm, 96, 8});
            view.exportChart(i, stem + "-300.png", {ChartPaper::kTwoColumnsMm, 300, 8});
            const QImage low(stem + "-96.png");
            const QImage high(stem + "-300.png");
            QCOMPARE(low.width(), 680);  // 180 mm at 96 dpi
            QCOMPARE(high.width(), 2125);
            QVERIFY(std::abs(high.height() * 96.0 / 300.0 - low.height()) <= 1.0);
            const QImage scaled = high.scaled(low.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            const double ssim = structuralSimilarity(scaled, low);
            QVERIFY2(ssim > 0.9, qPrintable(QString("%1: SSIM %2").arg(stem).arg(ssim)));
        }
    }

    // A PDF page is exactly the width asked for, and as high as the layout needs.
    void pdfPageIsTheWidthAskedFor() {
        StatisticsView view;
        load(view, annotated_.file);
        for (const double mm : {ChartPaper::kOneColumnMm, ChartPaper::kTwoColumnsMm, 120.0}) {
            const QString file =
                QString::fromStdString((root_ / ("page-" + std::to_string(int(mm)) + ".pdf")).string());
            view.exportChart(kNetworkIou, file, {mm, 300, 8});
            const QSizeF page = pdfPageSize(file);
            QVERIFY2(std::abs(page.width() - mm / 25.4 * 72) < 1.0,
                     qPrintable(QString::number(page.width())));
            QVERIFY(page.height() > 0.3 * page.width());
        }
    }

    // The dock's export and `saliency-cli report` draw the same chart from the same data: same size,
    // same pixels, for every chart (the report run with no display at all).
    void dockExportEqualsTheReportsChart() {
        const QString report = QString::fromStdString((root_ / "report").string());
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("QT_QPA_PLATFORM");
        env.remove("WAYLAND_DISPLAY");
        cli.setProcessEnvironment(env);
        cli.start(SALIENCY_CLI,
                  {"report", "--project", QString::fromStdString(annotated_.file.string()), "--out", report});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        StatisticsView view;
        load(view, annotated_.file);
        const ChartPaper paper = view.exportPaper();  // the dock's defaults are the report's
        QCOMPARE(paper.widthMm, ChartPaper::kTwoColumnsMm);
        QCOMPARE(paper.dpi, 300.0);
        for (int i = 0; i < StatisticsView::chartCount(); ++i) {
            const QString stem = StatisticsView::chartFileStem(i);
            const QString mine =
                QString::fromStdString((root_ / ("dock-" + stem.toStdString() + ".png")).string());
            view.exportChart(i, mine, paper);
            const QImage dock(mine);
            const QImage reported(report + "/charts/" + stem + ".png");
            QVERIFY2(!reported.isNull(), qPrintable(stem));
            QCOMPARE(dock.size(), reported.size());
            QVERIFY(inkShare(dock) > 0.02);
            QVERIFY2(meanDifference(dock, reported) < 0.5, qPrintable(stem));
        }
    }

    // Two annotators: kappa in the header, and the charts count one annotator's verdicts on request.
    void verdictsOfOneAnnotatorOrEveryone() {
        const fs::path file = root_ / "two-annotators.sqlite";
        fs::copy_file(annotated_.file, file, fs::copy_options::overwrite_existing);
        {
            ProjectDatabase project(file);
            for (int i = 0; i < kScans; ++i)  // B calls every cnn4 Grad-CAM map incorrect
                project.setAnnotation(
                    {{annotated_.scans[i], annotated_.models[0], "gradcam", "B"}, Verdict::Incorrect});
        }
        using Share = std::pair<std::size_t, std::size_t>;  // (judged correct, judged)
        const auto share = [](const StatisticsView& view) {
            for (const auto& e : view.statistics()->shares)
                if (e.model == "cnn4" && e.method == "gradcam")
                    return std::pair(e.successes, e.trials);
            return Share(99, 99);
        };
        StatisticsView view;
        load(view, file);
        QCOMPARE(share(view), Share(8, 20));            // the default annotator's 8/10 + B's 0/10
        QCOMPARE(view.annotatorChooser()->count(), 3);  // everyone, (default), B
        QVERIFY(view.annotatorChooser()->isEnabled());
        QVERIFY2(view.findChild<QLabel*>()->text().contains("κ"),
                 qPrintable(view.findChild<QLabel*>()->text()));

        QSignalSpy ready(&view, &StatisticsView::statisticsReady);
        view.setJudgedBy(std::string("B"));
        QVERIFY(ready.wait(20000));
        QCOMPARE(share(view), Share(0, 10));
        QCOMPARE(view.annotatorChooser()->currentText(), QString("Verdicts: B"));
        // the agreement still compares both annotators
        QCOMPARE(view.statistics()->rows.statistics.annotatorAgreement.empty(), false);
        view.setJudgedBy(std::string(""));
        QVERIFY(ready.wait(20000));
        QCOMPARE(share(view), Share(8, 10));
        view.setJudgedBy(std::nullopt);
        QVERIFY(ready.wait(20000));
        QCOMPARE(share(view), Share(8, 20));
    }

    void exportsTablesAsCsv() {
        StatisticsView view;
        QVERIFY_THROWS_EXCEPTION(saliency::Error, view.exportTables(dir_.path()));
        load(view, annotated_.file);
        const fs::path folder = root_ / "tables";
        const QStringList files = view.exportTables(QString::fromStdString(folder.string()));
        QCOMPARE(files.size(), 12);  // the charts' eight, the seed's three, annotator agreement
        const auto share = lines(folder / "share_judged_correct.csv");
        QCOMPARE(share.size(), std::size_t(5));  // header + 2 networks x 2 methods
        QCOMPARE(share[0], std::string("network,method,judged_correct_count,judged_correct_n,judged_correct,"
                                       "judged_correct_wilson95_low,judged_correct_wilson95_high"));
        QCOMPARE(share[2], std::string("cnn4,gradcam,8,10,0.8,0.490162,0.943318"));
        QCOMPARE(share[3], std::string("vgg16,cam,0,0,,,"));
        const auto pairs = lines(folder / "network_pairs.csv");
        QCOMPARE(pairs.size(), std::size_t(3));
        QVERIFY(pairs[1].starts_with("cam,cnn4,vgg16,0.275,"));    // mean of 0.05 .. 0.5
        QVERIFY(pairs[2].starts_with("gradcam,cnn4,vgg16,0.5,"));  // mean of 0.1 .. 0.9 (scan 0 undefined)
        QCOMPARE(lines(folder / "centres.csv").size(), std::size_t(1 + 2 * 2 * kScans - 1));
        QCOMPARE(lines(folder / "method_pairs.csv").size(), std::size_t(3));
        const auto mask = lines(folder / "mask_agreement.csv");
        QCOMPARE(mask.size(), std::size_t(5));
        QVERIFY(mask[1].starts_with("cnn4,cam,6,0,0.35,"));
        const auto accuracy = lines(folder / "accuracy_vs_judged.csv");
        QVERIFY(accuracy[1].starts_with("cnn4,cam,9,10,0.9,"));  // cnn4 wrong on the last scan
        const auto histogram = lines(folder / "centre_distance_histogram.csv");
        QCOMPARE(histogram.size(), 1 + 2 * view.statistics()->distances.bins);
        // The seed's table 1: Grad-CAM maps judged correct per network, "8 (80%)" as the thesis prints it.
        const auto seed = lines(folder / "seed_table1_judged_correct.csv");
        QCOMPARE(seed.size(), std::size_t(3));  // header + 2 networks
        QVERIFY2(seed[1].starts_with("cnn4,8 (80%),8,10,0.8"), seed[1].c_str());
        QCOMPARE(lines(folder / "seed_table2_iou.csv").size(), std::size_t(2));  // header + 1 pair
        QVERIFY(lines(folder / "seed_table2_iou.csv")[1].starts_with("cnn4 vs vgg16,0.275,0.5,"));
        QCOMPARE(lines(folder / "annotator_agreement.csv").size(), std::size_t(1));  // one annotator: no pair
        for (const auto& f : files)
            QVERIFY(!QFile::exists(f + ".part"));
    }

    // A project made in the app records its scans (and their masks) before any map: the mask tab
    // says the masks are there and what is missing, not that there are none.
    void maskTabSeesMasksBeforeAnyMap() {
        const fs::path file = root_ / "marked-only.sqlite";
        {
            ProjectDatabase project(file);
            project.bindDataSet(root_ / "data", {"Brain Tumor", "Healthy"});
            for (int i = 0; i < 3; ++i)
                project.putScan(
                    {.path = scanName(i),
                     .classIndex = 0,
                     .className = "Brain Tumor",
                     .splitPart = "test",
                     .maskPath = i < 2 ? std::optional<std::string>("masks/" + scanName(i)) : std::nullopt,
                     .width = 64,
                     .height = 64,
                     .fingerprint = std::to_string(i)});
        }
        StatisticsView view;
        load(view, file);
        QCOMPARE(view.statistics()->scansWithMask, std::size_t(2));
        const QString message = subtitleOf(view.plot(kMask));
        QVERIFY2(message.contains("2 of the project's scans have a ground-truth mask"), qPrintable(message));
        QVERIFY(!message.contains("No scan"));
        // With maps of those scans the chart draws bars instead (the annotated project).
        load(view, annotated_.file);
        QCOMPARE(view.statistics()->scansWithMask, std::size_t(6));
        QVERIFY(view.plot(kMask)->plottableCount() > 0);
    }

    void emptyProjectShowsMessages() {
        const fs::path file = root_ / "empty.sqlite";
        { ProjectDatabase project(file); }
        StatisticsView view;
        load(view, file);
        for (int i = 0; i < StatisticsView::chartCount(); ++i) {
            QCOMPARE(view.plot(i)->plottableCount(), 0);
            QVERIFY(!titleOf(view.plot(i)).isEmpty());
        }
        view.exportChart(kShare, QString::fromStdString((root_ / "empty.png").string()), {180, 96, 8});
        QVERIFY(!QImage(QString::fromStdString((root_ / "empty.png").string())).isNull());
    }

  private:
    static void load(StatisticsView& view, const fs::path& file) {
        QSignalSpy ready(&view, &StatisticsView::statisticsReady);
        view.setProject(file);
        QVERIFY(ready.wait(20000));
    }

    // Shows the chart, lays it out (a replot) and clicks the middle of the target, or `at`.
    static void click(StatisticsView& view, int chart, const QString& model, const QString& method,
                      const QString& other = {}, QPointF at = {}) {
        view.setCurrentChart(chart);
        view.plot(chart)->replot();
        if (at.isNull())
            at = view.targetCentre(chart, model, method, other);
        QVERIFY2(!at.isNull(), qPrintable("no target for " + model + " " + method + " " + other));
        QTest::mouseClick(view.plot(chart), Qt::LeftButton, {}, at.toPoint());
    }

    QTemporaryDir dir_;
    fs::path root_;
    ProjectBuilder annotated_;
    ProjectBuilder plain_;
};

QTEST_MAIN(TestStatisticsView)
#include "test_statistics_view.moc"
