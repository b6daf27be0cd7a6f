// saliency-cli end to end, as a user or a script calls it (DESIGN.md section 7).
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

// Environment variables removed for a run: none, or those that name a display.
const QStringList kNoDisplay = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"};

Run cli(const QStringList& args, int timeoutMs = 120000, const QStringList& unset = {}) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& name : unset)
        env.remove(name);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SALIENCY_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The share of pixels that are not (almost) white.
double inkShare(const QImage& image) {
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    std::size_t ink = 0;
    for (int y = 0; y < grey.height(); ++y) {
        for (int x = 0; x < grey.width(); ++x)
            ink += grey.constScanLine(y)[x] < 230 ? 1 : 0;
    }
    return static_cast<double>(ink) / (static_cast<double>(grey.width()) * grey.height());
}

// Python with torch (the reference side of the tests) rewrites a checkpoint: `change` is Python
// run with `c` bound to the loaded checkpoint dict.
bool rewriteCheckpoint(const QString& from, const QString& to, const QString& change) {
    QProcess p;
    p.start(
        "/usr/bin/python3",
        {"-c", "import sys, torch\nc = torch.load(sys.argv[1])\n" + change + "\ntorch.save(c, sys.argv[2])\n",
         from, to});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray pngHeaderOnly(quint32 width, quint32 height) {
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    const auto be32 = [&png](quint32 v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            png.append(static_cast<char>((v >> shift) & 0xFF));
    };
    be32(13);
    png.append("IHDR");
    be32(width);
    be32(height);
    png.append("\x08\x00\x00\x00\x00", 5);
    be32(0);  // CRC: never read, the size is refused first
    be32(0);
    png.append("IEND");
    be32(0xAE426082);
    return png;
}

// A refusal: exit status 1 and exactly one line on stderr that says why.
bool refusedInOneLine(const Run& run, const char* reason) {
    return run.code == 1 && run.err.count('\n') == 1 && run.err.contains(reason);
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void helpAndUsageErrors() {
        const Run help = cli({"--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("demo-data"));
        QVERIFY(help.out.contains("dataset-info"));
        QVERIFY(help.out.contains("annotate --project PROJECT.sqlite"));
        QCOMPARE(cli({"no-such-command"}).code, 2);
        const Run missing = cli({"dataset-info"});
        QCOMPARE(missing.code, 2);
        QVERIFY(missing.err.contains("--data is required"));
        const Run typo = cli({"dataset-info", "--data", "/tmp", "--jsn"});
        QCOMPARE(typo.code, 2);
        QVERIFY(typo.err.contains("--jsn"));
        QCOMPARE(cli({"demo-data", "--out", "/tmp/x", "--count", "zero"}).code, 2);
        QCOMPARE(cli({"demo-data", "--out", "/tmp/x", "--confounder", "ears"}).code, 2);
    }

    // --version: the project's version, the commit it was built from, LibTorch's version, CUDA or not.
    void versionNamesTheBuild() {
        const Run version = cli({"--version"});
        QCOMPARE(version.code, 0);
        const QStringList lines = QString::fromUtf8(version.out).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QStringLiteral("saliency-cli " SALIENCY_EXPECTED_VERSION));
        QVERIFY2(QRegularExpression("^LibTorch \\d+\\.\\d+\\.\\d+").match(lines[2]).hasMatch(),
                 qPrintable(lines[2]));
        QVERIFY2(lines[3] == "CUDA not available" ||
                     QRegularExpression("^CUDA available \\(\\d+ devices?\\)$").match(lines[3]).hasMatch(),
                 qPrintable(lines[3]));
        // The commit is the source tree's, read when the program was built ("unknown" outside git).
        QProcess git;
        git.start("git", {"-C", SALIENCY_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
        const bool inGit =
            git.waitForFinished() && git.exitStatus() == QProcess::NormalExit && git.exitCode() == 0;
        const QString head = QString::fromUtf8(git.readAllStandardOutput()).trimmed();
        if (inGit)
            QVERIFY2(lines[1] == "commit " + head || lines[1] == "commit " + head + "-dirty",
                     qPrintable(lines[1]));
        else
            QCOMPARE(lines[1], QStringLiteral("commit unknown"));
        QVERIFY(cli({"--help"}).out.contains("saliency-cli --version"));
    }

    void unusableDataSetsFailWithOneLine() {
        QTemporaryDir dir;
        const Run missing = cli({"dataset-info", "--data", dir.filePath("nope")});
        QCOMPARE(missing.code, 1);
        QCOMPARE(missing.err.count('\n'), 1);
        QVERIFY(missing.err.contains("does not exist"));
        // class folders but nothing readable: not usable, every file listed with its reason
        fs::create_directories(dir.filePath("Healthy").toStdString());
        std::ofstream(dir.filePath("Healthy/a.jpg").toStdString()) << "hello";
        const Run broken = cli({"dataset-info", "--data", dir.path()});
        QCOMPARE(broken.code, 1);
        QVERIFY(broken.out.contains("Healthy/a.jpg"));
        QVERIFY(broken.err.contains("no readable image"));
    }

    void demoDataThenDatasetInfoThenSplit() {
        QTemporaryDir dir;
        const QString data = dir.filePath("demo");
        const Run made = cli({"demo-data", "--out", data, "--count", "12", "--seed", "3", "--size", "96"});
        QVERIFY2(made.code == 0, made.err.constData());
        QVERIFY(made.out.contains("wrote 12 scans"));

        const Run info = cli({"dataset-info", "--data", data, "--json"});
        QVERIFY2(info.code == 0, info.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(info.out).object();
        QCOMPARE(doc["images"].toInt(), 12);
        QCOMPARE(doc["usable"].toBool(), true);
        const QJsonArray classes = doc["classes"].toArray();
        QCOMPARE(classes.size(), 2);
        QCOMPARE(classes[0].toObject()["name"].toString(), QString("Brain Tumor"));
        QCOMPARE(classes[1].toObject()["name"].toString(), QString("Healthy"));
        const int tumour = classes[0].toObject()["images"].toInt();
        QVERIFY(tumour > 0 && tumour < 12);
        QCOMPARE(classes[0].toObject()["with_mask"].toInt(), tumour);
        QCOMPARE(classes[1].toObject()["with_mask"].toInt(), 0);
        QCOMPARE(doc["width"].toObject()["min"].toInt(), 96);
        QCOMPARE(doc["skipped"].toArray().size(), 0);

        const Run text = cli({"dataset-info", "--data", data});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("Brain Tumor"));

        const Run split = cli({"split", "--data", data, "--out", dir.filePath("split.json"), "--seed", "1"});
        QVERIFY2(split.code == 0, split.err.constData());
        QFile file(dir.filePath("split.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject s = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(s["train"].toArray().size() + s["validation"].toArray().size() + s["test"].toArray().size(),
                 12);
    }

    void trainPredictEvaluate() {
        QTemporaryDir dir;
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "16", "--seed", "4", "--size", "64"}).code, 0);
        const QString ckpt = dir.filePath("cnn4.pt");
        const Run trained = cli({"train", "--data", data, "--arch", "cnn4", "--epochs", "1", "--image-size",
                                 "32", "--batch", "4", "--threads", "1", "--out", ckpt});
        QVERIFY2(trained.code == 0, trained.err.constData());
        QVERIFY(trained.out.contains("epoch 1:"));
        QVERIFY(QFile::exists(ckpt));
        QVERIFY(QFile::exists(ckpt + ".json"));
        QVERIFY(QFile::exists(ckpt + ".split.json"));

        const QString image = data + "/Brain Tumor/Cancer (1).jpg";
        const Run one = cli({"predict", "--model", ckpt, "--image", image, "--json"});
        QVERIFY2(one.code == 0, one.err.constData());
        const QJsonObject p = QJsonDocument::fromJson(one.out).object();
        QCOMPARE(p["logits"].toArray().size(), 2);
        QCOMPARE(p["probabilities"].toArray().size(), 2);
        const double sum =
            p["probabilities"].toArray()[0].toDouble() + p["probabilities"].toArray()[1].toDouble();
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        const int index = p["class_index"].toInt();
        QCOMPARE(p["class"].toString(), index == 0 ? QString("Brain Tumor") : QString("Healthy"));
        const Run two = cli({"predict", "--model", ckpt, "--image", image, "--image", image, "--json"});
        QCOMPARE(QJsonDocument::fromJson(two.out).array().size(), 2);

        const QString csv = dir.filePath("predictions.csv");
        const Run evaluated = cli({"evaluate", "--model", ckpt, "--data", data, "--json", "--csv", csv});
        QVERIFY2(evaluated.code == 0, evaluated.err.constData());
        QCOMPARE(QJsonDocument::fromJson(evaluated.out).object()["images"].toInt(), 16);
        QFile rows(csv);
        QVERIFY(rows.open(QIODevice::ReadOnly));
        QCOMPARE(rows.readAll().count('\n'), 17);  // header + one row per image

        // explain: every method's .npy, .png and result.json; one sub-folder per image for --data
        const QString maps = dir.filePath("maps");
        const Run explained = cli({"explain", "--model", ckpt, "--image", image, "--out", maps});
        QVERIFY2(explained.code == 0, explained.err.constData());
        for (const char* method : {"cam", "gradcam", "guided-backprop", "guided-gradcam"}) {
            QFile npy(maps + "/" + method + ".npy");
            QVERIFY2(npy.open(QIODevice::ReadOnly), method);
            QVERIFY(npy.read(6) == QByteArray("\x93NUMPY"));
            QVERIFY(QFile::exists(maps + "/" + method + ".png"));
        }
        QFile resultFile(maps + "/result.json");
        QVERIFY(resultFile.open(QIODevice::ReadOnly));
        const QJsonObject result = QJsonDocument::fromJson(resultFile.readAll()).object();
        QCOMPARE(result["methods"].toObject()["gradcam"].toObject()["shape"].toArray().size(), 2);
        QCOMPARE(result["methods"].toObject()["guided-backprop"].toObject()["shape"].toArray().size(), 3);
        // --shared-scale: one colour scale per method over the images, the largest magnitude of them
        const QString sharedDir = dir.filePath("shared");
        const QString second = data + "/Healthy/Not Cancer  (1).jpg";
        const Run sharedRun = cli({"explain", "--model", ckpt, "--image", image, "--image", second,
                                   "--method", "gradcam,guided-backprop", "--shared-scale", "--out", sharedDir});
        QVERIFY2(sharedRun.code == 0, sharedRun.err.constData());
        QVERIFY(sharedRun.out.contains("one colour scale per method over 2 image(s)"));
        for (const char* method : {"gradcam", "guided-backprop"}) {
            std::vector<double> shared, own;
            for (const QString& sub : QDir(sharedDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
                QFile f(sharedDir + "/" + sub + "/result.json");
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QJsonObject r = QJsonDocument::fromJson(f.readAll()).object();
                QCOMPARE(r["colour_scale"].toString(), QString("shared per method over the images"));
                const QJsonObject scale = r["methods"].toObject()[method].toObject()["scale"].toObject();
                shared.push_back(scale["shared_peak"].toDouble());
                own.push_back(scale["own_peak"].toDouble());
            }
            QCOMPARE(shared.size(), std::size_t(2));
            QCOMPARE(shared[0], shared[1]);
            QCOMPARE(shared[0], std::max(own[0], own[1]));
            QVERIFY2(own[0] > 0 && own[1] > 0, method);
        }
        const Run perImage = cli({"explain", "--model", ckpt, "--data", data, "--method", "gradcam",
                                  "--class", "Healthy", "--out", dir.filePath("all")});
        QVERIFY2(perImage.code == 0, perImage.err.constData());
        QVERIFY(QFile::exists(dir.filePath("all/Cancer (1)/gradcam.npy")));
        QVERIFY(!QFile::exists(dir.filePath("all/Cancer (1)/cam.npy")));
        QCOMPARE(cli({"explain", "--model", ckpt, "--image", image, "--class", "Nope", "--out", maps}).code,
                 2);
        // the methods beyond the seed ("extras"), with their settings in result.json
        const QString extras = dir.filePath("extras");
        const Run beyond =
            cli({"explain", "--model", ckpt, "--image", image, "--method", "extras", "--smoothgrad-samples",
                 "2", "--ig-steps", "3", "--ig-baseline", "black", "--out", extras});
        QVERIFY2(beyond.code == 0, beyond.err.constData());
        for (const char* method : {"gradcam++", "scorecam", "layercam", "smoothgrad", "integrated-gradients"})
            QVERIFY2(QFile::exists(extras + "/" + method + ".npy"), method);
        QFile extrasFile(extras + "/result.json");
        QVERIFY(extrasFile.open(QIODevice::ReadOnly));
        const QJsonObject extrasMethods =
            QJsonDocument::fromJson(extrasFile.readAll()).object()["methods"].toObject();
        QCOMPARE(extrasMethods["scorecam"].toObject()["shape"].toArray().size(), 2);
        const QJsonObject ig = extrasMethods["integrated-gradients"].toObject();
        QCOMPARE(ig["shape"].toArray().size(), 3);
        QCOMPARE(ig["layer"].toString(), QString("input"));
        QCOMPARE(ig["settings"].toObject()["baseline"].toString(), QString("black"));
        QVERIFY(ig["settings"].toObject().contains("convergence_delta"));
        QCOMPARE(extrasMethods["smoothgrad"].toObject()["settings"].toObject()["samples"].toInt(), 2);
        QCOMPARE(cli({"explain", "--model", ckpt, "--image", image, "--method", "smoothgrad",
                      "--smoothgrad-base", "occlusion", "--out", extras})
                     .code,
                 2);

        // wrong model files and options: one-line errors, not crashes
        const Run notCkpt = cli({"predict", "--model", image, "--image", image});
        QCOMPARE(notCkpt.code, 1);
        QVERIFY(notCkpt.err.contains("not a Saliency Studio checkpoint"));
        QCOMPARE(cli({"predict", "--model", ckpt, "--arch", "cnn4", "--image", image}).code, 2);
        QCOMPARE(cli({"train", "--data", data, "--arch", "alexnet", "--out", dir.filePath("x.pt")}).code, 1);
    }

    // sanity-check on the demo network: what a user looks at. Guided Backprop keeps its map while the
    // weights are destroyed (Adebayo et al. 2018), Grad-CAM loses it; each method gets a verdict.
    void sanityCheckOnTheDemoNetwork() {
        QTemporaryDir dir;
        const QString demo = QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt");
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "4", "--seed", "8", "--size", "128"}).code, 0);
        const QString out = dir.filePath("sanity");
        const Run run = cli({"sanity-check", "--model", demo, "--data", data, "--out", out});
        QVERIFY2(run.code == 0, run.err.constData());
        QVERIFY2(run.out.contains("Guided Backprop: fails"), run.out.constData());
        QVERIFY2(run.out.contains("Grad-CAM: passes"), run.out.constData());
        QVERIFY(run.out.contains("rule: a method fails when"));

        const QJsonObject doc = QJsonDocument::fromJson(readAll(out + "/sanity.json")).object();
        QCOMPARE(doc["mode"].toString(), QString("cascading"));
        QCOMPARE(doc["images"].toArray().size(), 4);
        const QJsonArray stages = doc["stages"].toArray();
        QCOMPARE(stages.first().toString(), QString("classifier.1"));  // the head first
        QCOMPARE(stages.size(), 5);
        const QJsonObject methods = doc["methods"].toObject();
        const QJsonArray guided = methods["guided-backprop"].toObject()["mean_ssim"].toArray();
        const QJsonArray gradCam = methods["gradcam"].toObject()["mean_ssim"].toArray();
        QCOMPARE(guided.size(), 5);
        QCOMPARE(methods["gradcam"].toObject()["ssim"].toArray().first().toArray().size(), 4);  // per image
        // With the head random, Guided Backprop's map is still the trained one's, Grad-CAM's is gone;
        // both fall as the cascade goes down.
        QVERIFY2(guided[0].toDouble() > 0.8, qPrintable(QString::number(guided[0].toDouble())));
        QVERIFY2(gradCam[0].toDouble() < 0.3, qPrintable(QString::number(gradCam[0].toDouble())));
        QVERIFY(guided[4].toDouble() < guided[0].toDouble());
        QCOMPARE(methods["guided-backprop"].toObject()["verdict"].toString(), QString("fails"));
        QCOMPARE(methods["gradcam"].toObject()["verdict"].toString(), QString("passes"));

        // The tables: a row per stage and method, a verdict per method with the rule stated.
        const QList<QByteArray> rows = readAll(out + "/sanity.csv").trimmed().split('\n');
        QCOMPARE(rows.first(), QByteArray("stage_index,stage,method,images,mean_spearman,mean_ssim"));
        QCOMPARE(rows.size(), 1 + 5 * 4);
        const QList<QByteArray> verdicts = readAll(out + "/verdicts.csv").trimmed().split('\n');
        QCOMPARE(verdicts.first(), QByteArray("method,verdict,judged_ssim,threshold,rule"));
        QCOMPARE(verdicts.size(), 1 + 4);
        QVERIFY(verdicts[3].startsWith("guided-backprop,fails,"));
        // The random-logit test beside it: a row per method; guided backprop hardly changes with the
        // class (Sixt et al. 2020), Grad-CAM does.
        const QList<QByteArray> logit = readAll(out + "/random_logit.csv").trimmed().split('\n');
        QCOMPARE(logit.first(), QByteArray("method,images,mean_spearman,mean_ssim,verdict"));
        QCOMPARE(logit.size(), 1 + 4);
        const QJsonArray logitMethods = doc["random_logit"].toObject()["methods"].toArray();
        QCOMPARE(logitMethods.size(), 4);
        QVERIFY2(logitMethods[2].toObject()["mean_ssim"].toDouble() > logitMethods[1].toObject()["mean_ssim"].toDouble(),
                 readAll(out + "/random_logit.csv").constData());
        QVERIFY(run.out.contains("random-logit test (Sixt et al. 2020)"));
        // The strip: a row per method, a column per stage and the trained network's maps.
        const QImage strip(out + "/strip.png");
        QVERIFY(!strip.isNull());
        QVERIFY(strip.width() > 6 * 128 && strip.height() > 4 * 128);

        // Independent randomisation, one method; bad input in one line, usage errors with status 2.
        const Run one = cli({"sanity-check", "--model", demo, "--image", data + "/Brain Tumor/Cancer (1).jpg",
                             "--methods", "gradcam", "--independent", "--out", dir.filePath("one")});
        QVERIFY2(one.code == 0, one.err.constData());
        QCOMPARE(
            QJsonDocument::fromJson(readAll(dir.filePath("one/sanity.json"))).object()["mode"].toString(),
            QString("independent"));
        QCOMPARE(cli({"sanity-check", "--model", demo, "--out", out}).code, 2);
        QCOMPARE(cli({"sanity-check", "--model", demo, "--data", data, "--cascading", "--independent",
                      "--out", out})
                     .code,
                 2);
        QCOMPARE(
            cli({"sanity-check", "--model", demo, "--data", data, "--methods", "edges", "--out", out}).code,
            2);
        const Run missing =
            cli({"sanity-check", "--model", demo, "--image", dir.filePath("none.png"), "--out", out});
        QCOMPARE(missing.code, 1);  // the reason is the last line, after the progress lines
        QVERIFY2(missing.err.trimmed().split('\n').last().contains("sanity-check: error:") &&
                     missing.err.contains("file not found"),
                 missing.err.constData());
    }

    void studyThenReport() {
        QTemporaryDir dir;
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "10", "--seed", "6", "--size", "64"}).code, 0);
        const QString tiny = dir.filePath("tiny.pt");
        const Run trained = cli({"train", "--data", data, "--arch", "cnn4", "--epochs", "1", "--image-size",
                                 "32", "--batch", "4", "--threads", "1", "--out", tiny});
        QVERIFY2(trained.code == 0, trained.err.constData());
        const QString demo = QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt");
        const QString project = dir.filePath("study.sqlite");
        const QString csv = dir.filePath("maps.csv");
        const QStringList study = {"study",     "--data",      data,    "--models", demo + "," + tiny,
                                   "--methods", "cam,gradcam", "--out", project,    "--csv",
                                   csv,         "--batch",     "4"};
        const Run first = cli(study);
        QVERIFY2(first.code == 0, first.err.constData());
        QVERIFY2(first.out.contains("studied 10 of 10 scans"), first.out.constData());
        QFile rows(csv);
        QVERIFY(rows.open(QIODevice::ReadOnly));
        QCOMPARE(rows.readAll().count('\n'), 1 + 10 * 2 * 2);  // header + one row per map
        // resumes: a rerun finds everything stored
        const Run again = cli(study);
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(again.out.contains("studied 0 of 10 scans (10 already stored"), again.out.constData());

        // report on a machine with no display: DISPLAY and QT_QPA_PLATFORM unset.
        const QString report = dir.filePath("report");
        const Run reported = cli({"report", "--project", project, "--out", report}, 120000, kNoDisplay);
        QVERIFY2(reported.code == 0, reported.err.constData());
        for (const char* name :
             {"report.md", "report.json", "model_method.csv", "model_pairs.csv", "method_pairs.csv",
              "mask_agreement.csv", "annotator_agreement.csv", "seed_table1_judged_correct.csv",
              "seed_table2_iou.csv", "seed_table3_centre_distance.csv"})
            QVERIFY2(QFile::exists(report + "/" + name), name);
        QVERIFY2(reported.out.contains("charts/iou_networks.svg"), reported.out.constData());
        // The charts: each as PNG, SVG and PDF, nothing half-written left behind; the PNGs in report.md.
        const QStringList stems = {"accuracy_vs_judged", "centre_distances", "centres_of_mass", "iou_methods",
                                   "iou_networks",       "mask_agreement",   "metric_families", "share_correct"};
        QStringList expected;
        for (const QString& stem : stems)
            expected << stem + ".pdf" << stem + ".png" << stem + ".svg";
        expected.sort();
        QCOMPARE(QDir(report + "/charts").entryList(QDir::Files, QDir::Name), expected);
        QFile markdown(report + "/report.md");
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        for (const QString& stem : stems) {
            const QString chart = report + "/charts/" + stem;
            QVERIFY2(md.contains(("(charts/" + stem + ".png)").toUtf8()), qPrintable(stem));
            // Two columns (180 mm) at 300 dpi by default, and a chart, not a message or a blank page.
            const QImage png(chart + ".png");
            QCOMPARE(png.width(), 2125);
            QCOMPARE(std::lround(png.dotsPerMeterX() * 0.0254), 300L);
            const QByteArray svg = readAll(chart + ".svg");
            QVERIFY2(svg.contains("<svg") && svg.contains("</svg>"), qPrintable(stem));
            if (stem == "accuracy_vs_judged") {  // needs verdicts: there are none yet, and it says so
                QVERIFY(svg.contains("No map has been judged yet"));
            } else {  // a chart naming both networks, not a message
                QVERIFY2(inkShare(png) > 0.03, qPrintable(stem));
                QVERIFY2(svg.contains("cnn4-demo") && svg.contains("tiny"), qPrintable(stem));
            }
            QVERIFY2(!svg.contains("run a study first"), qPrintable(stem));
            const QByteArray pdf = readAll(chart + ".pdf");
            QVERIFY(pdf.startsWith("%PDF-"));
            // A page 180 mm wide (510.2 pt), to within a layout pixel.
            const QRegularExpressionMatch box =
                QRegularExpression(R"(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\])").match(QString::fromLatin1(pdf));
            QVERIFY2(box.hasMatch(), qPrintable(stem));
            QVERIFY2(std::abs(box.captured(1).toDouble() - 180 / 25.4 * 72) < 1.0,
                     qPrintable(box.captured(0)));
        }
        // The mask chart has bars: the demo's tumour scans have masks and maps.
        QVERIFY(readAll(report + "/charts/mask_agreement.svg").contains("Pointing game"));
        // One column at 96 dpi, larger text: the PNG is 88 mm wide at 96 dpi.
        const QString narrow = dir.filePath("report-88");
        const Run narrowRun = cli({"report", "--project", project, "--out", narrow, "--width-mm", "88",
                                   "--dpi", "96", "--font-pt", "7"},
                                  120000, kNoDisplay);
        QVERIFY2(narrowRun.code == 0, narrowRun.err.constData());
        QCOMPARE(QImage(narrow + "/charts/share_correct.png").width(), 333);
        QCOMPARE(cli({"report", "--project", project, "--out", narrow, "--dpi", "5"}).code, 2);
        // Two networks: one pair in the seed's tables 2 and 3; no verdicts yet: table 1 empty cells.
        QVERIFY(md.contains("## The seed's tables"));
        QFile table1(report + "/seed_table1_judged_correct.csv");
        QVERIFY(table1.open(QIODevice::ReadOnly));
        QCOMPARE(table1.readAll(),
                 QByteArray("network,correctly_computed_saliency_maps_gradcam,correct,judged,share,unsure\n"
                            "cnn4-demo,,0,0,,0\n"
                            "tiny,,0,0,,0\n"));
        QFile table2(report + "/seed_table2_iou.csv");
        QVERIFY(table2.open(QIODevice::ReadOnly));
        const QList<QByteArray> iouRows = table2.readAll().split('\n');
        QCOMPARE(iouRows.size(), 3);  // header, one pair, the empty string after the last newline
        QVERIFY2(iouRows[1].startsWith("cnn4-demo vs tiny,"), iouRows[1].constData());
        QFile jsonFile(report + "/report.json");
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(json["scans"].toInt(), 10);
        QCOMPARE(json["model_method"].toArray().size(), 4);
        QCOMPARE(json["model_pairs"].toArray().size(), 2);   // cam and gradcam: the two networks
        QCOMPARE(json["method_pairs"].toArray().size(), 2);  // per network: cam vs gradcam
        const QJsonObject pair = json["model_pairs"].toArray()[0].toObject();
        QCOMPARE(pair["iou"].toObject()["n"].toInt() + pair["iou"].toObject()["undefined"].toInt(), 10);
        const QJsonObject seed = json["seed_tables"].toObject();
        QCOMPARE(seed["judged_correct_gradcam"].toArray().size(), 2);
        QCOMPARE(seed["iou"].toArray().size(), 1);
        const QJsonObject seedIou = seed["iou"].toArray()[0].toObject()["gradcam"].toObject();
        QCOMPARE(seedIou["n"].toInt() + seedIou["undefined"].toInt(), 10);
        QCOMPARE(json["annotators"].toArray().size(), 0);
        QCOMPARE(json["annotator_agreement"].toArray().size(), 0);

        // wrong input: one-line errors (1) and usage errors (2)
        const Run missing = cli({"report", "--project", dir.filePath("nope.sqlite"), "--out", report});
        QCOMPARE(missing.code, 1);
        QCOMPARE(missing.err.count('\n'), 1);
        QVERIFY(missing.err.contains("does not exist"));
        const Run notProject = cli({"report", "--project", csv, "--out", report});
        QCOMPARE(notProject.code, 1);
        QVERIFY(notProject.err.contains("not an SQLite database"));
        QCOMPARE(cli({"study", "--data", data, "--models", tiny, "--methods", "nope", "--out", project}).code,
                 2);
        QCOMPARE(cli({"study", "--data", data, "--models", tiny, "--part", "test", "--out", project}).code,
                 2);
        QCOMPARE(cli({"study", "--data", data, "--out", project}).code, 2);
    }

    // Issue 14: hostile models, images and projects are refused with one line and exit 1, never a
    // crash, a verdict from NaN, or a new project in place of a file that is not one.
    void hostileInputIsRefusedInOneLine() {
        QTemporaryDir dir;
        const QString demo = QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt");
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "6", "--seed", "6", "--size", "64"}).code, 0);
        const QString image = data + "/Healthy/Not Cancer  (1).jpg";
        const auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        };

        // checkpoints: damaged bytes, non-finite weights, a card nested 200,000 levels deep
        QFile original(demo);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray damaged = original.readAll();
        for (int i = 0; i < 64; ++i)
            damaged[damaged.size() / 2 + i] = static_cast<char>(damaged[damaged.size() / 2 + i] ^ 0x5A);
        write("damaged.pt", damaged);
        const Run crc = cli({"predict", "--model", dir.filePath("damaged.pt"), "--image", image});
        QVERIFY2(refusedInOneLine(crc, "CRC-32"), crc.err.constData());
        QVERIFY(rewriteCheckpoint(demo, dir.filePath("nan.pt"),
                                  "w = next(iter(c['state_dict'].values())); w.view(-1)[0] = float('nan')"));
        const Run nan = cli({"predict", "--model", dir.filePath("nan.pt"), "--image", image});
        QVERIFY2(refusedInOneLine(nan, "NaN or infinite"), nan.err.constData());
        QVERIFY(!nan.out.contains("nan"));
        const Run evaluated = cli({"evaluate", "--model", dir.filePath("nan.pt"), "--data", data});
        QVERIFY2(refusedInOneLine(evaluated, "NaN or infinite"), evaluated.err.constData());
        QVERIFY(rewriteCheckpoint(demo, dir.filePath("deep.pt"),
                                  "c['model_card'] = '[' * 200000 + ']' * 200000"));
        const Run deep = cli({"predict", "--model", dir.filePath("deep.pt"), "--image", image});
        QVERIFY2(refusedInOneLine(deep, "nested deeper than 64 levels"), deep.err.constData());

        // an image whose header declares 16384 x 16384
        write("bomb.png", pngHeaderOnly(16384, 16384));
        const Run bomb = cli({"predict", "--model", demo, "--image", dir.filePath("bomb.png")});
        QVERIFY2(refusedInOneLine(bomb, "SALIENCY_MAX_IMAGE_PIXELS"), bomb.err.constData());

        // a 0-byte file is not a project: refused by report and annotate, and left as it was
        write("empty.sqlite", {});
        const Run report =
            cli({"report", "--project", dir.filePath("empty.sqlite"), "--out", dir.filePath("r")});
        QVERIFY2(refusedInOneLine(report, "empty (0 bytes)"), report.err.constData());
        const Run annotate =
            cli({"annotate", "--project", dir.filePath("empty.sqlite"), "--export", dir.filePath("m.csv")});
        QVERIFY2(refusedInOneLine(annotate, "empty (0 bytes)"), annotate.err.constData());
        QCOMPARE(QFileInfo(dir.filePath("empty.sqlite")).size(), qint64(0));

        // names: invalid UTF-8 refused with its line; formulas neutralised in the export
        const QString project = dir.filePath("study.sqlite");
        const Run studied =
            cli({"study", "--data", data, "--models", demo, "--methods", "gradcam", "--out", project});
        QVERIFY2(studied.code == 0, studied.err.constData());
        write("latin1.csv",
              "scan,network,method,verdict,annotator\n"
              "Healthy/Not Cancer  (1).jpg,cnn4-demo,gradcam,correct,Dr M\xfcller\n");
        const Run latin1 = cli({"annotate", "--project", project, "--import", dir.filePath("latin1.csv")});
        QVERIFY2(refusedInOneLine(latin1, "line 2: field 5 is not valid UTF-8"), latin1.err.constData());
        write("formula.csv",
              "scan,network,method,verdict,note,annotator\n"
              "Healthy/Not Cancer  (1).jpg,cnn4-demo,gradcam,correct,=1+1,<i>Dr</i> A\n"
              "Healthy/Not Cancer  (1).jpg,cnn4-demo,gradcam,incorrect,,Dr B\n");
        QCOMPARE(cli({"annotate", "--project", project, "--import", dir.filePath("formula.csv")}).code, 0);
        QCOMPARE(cli({"annotate", "--project", project, "--export", dir.filePath("out.csv")}).code, 0);
        QFile exported(dir.filePath("out.csv"));
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QVERIFY(exported.readAll().contains(",correct,'=1+1,<i>Dr</i> A\n"));

        // a project in a folder nobody may write: the report reads it (as an unprivileged user when
        // the tests run as root, for whom no folder is read-only)
        const QString place = dir.filePath("readonly");
        QVERIFY(QDir().mkpath(place));
        QVERIFY(QFile::copy(project, place + "/study.sqlite"));
        const QString out = dir.filePath("out");
        QVERIFY(QDir().mkpath(out));
        for (const QString& path : {dir.path(), out, data})
            QFile::setPermissions(path, QFileDevice::Permissions(0x7777));
        QFile::setPermissions(place + "/study.sqlite",
                              QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        QFile::setPermissions(place, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                         QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                         QFileDevice::ExeOther);
        const QStringList reportArgs = {"report", "--project", place + "/study.sqlite", "--out",
                                        out + "/report"};
        Run readOnly;
        if (::geteuid() == 0) {
            QProcess p;
            p.start("setpriv", QStringList{"--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                           QStringLiteral(SALIENCY_CLI)} +
                                   reportArgs);
            QVERIFY(p.waitForFinished(120000));
            readOnly = {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        } else {
            readOnly = cli(reportArgs);
        }
        QVERIFY2(readOnly.code == 0, readOnly.err.constData());
        QVERIFY(QFile::exists(out + "/report/report.md"));
        QStringList left = QDir(place).entryList(QDir::Files);
        QCOMPARE(left, QStringList{"study.sqlite"});
        QFile markdown(out + "/report/report.md");
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        QVERIFY2(md.contains("&lt;i&gt;Dr&lt;/i&gt; A") && !md.contains("<i>"), md.constData());
        QFile::setPermissions(place, QFileDevice::Permissions(0x7700));  // so that the folder can be removed
    }

    // Marks in and out of a project as CSV: a radiologist's spreadsheet, a second annotator merged in.
    // Three readers mark in copies of one project; --merge brings them together, report gives the
    // agreement of all three and the review queue; a copy of another study is one line, exit 1 and
    // no output file.
    void annotateMergesReadersCopies() {
        QTemporaryDir dir;
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "6", "--seed", "6", "--size", "64"}).code, 0);
        const QString organiser = dir.filePath("organiser.sqlite");
        const Run studied = cli({"study", "--data", data, "--models",
                                 QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt"), "--methods",
                                 "gradcam", "--out", organiser});
        QVERIFY2(studied.code == 0, studied.err.constData());
        const QStringList readers = {"ann", "ben", "cat"};
        const QStringList verdicts = {"correct,correct,incorrect", "correct,incorrect,incorrect",
                                      "correct,unsure,incorrect"};
        QStringList copies;
        for (int r = 0; r < readers.size(); ++r) {
            copies << dir.filePath(readers[r] + ".sqlite");
            QVERIFY(QFile::copy(organiser, copies.back()));
            const QStringList v = verdicts[r].split(',');
            QFile csv(dir.filePath(readers[r] + ".csv"));
            QVERIFY(csv.open(QIODevice::WriteOnly));
            csv.write("scan,network,method,verdict\n");
            for (int s = 0; s < 3; ++s)
                csv.write(QString("Brain Tumor/Cancer (%1).jpg,cnn4-demo,gradcam,%2\n")
                              .arg(s + 1)
                              .arg(v[s])
                              .toUtf8());
            csv.close();
            const Run imported = cli({"annotate", "--project", copies.back(), "--import", csv.fileName(),
                                      "--annotator", readers[r]});
            QVERIFY2(imported.code == 0, imported.err.constData());
        }
        const QString merged = dir.filePath("merged.sqlite");
        const Run merge = cli(QStringList{"annotate", "--merge"} + copies + QStringList{"--out", merged});
        QVERIFY2(merge.code == 0, merge.err.constData());
        QVERIFY2(merge.out.contains("merged 3 copies: 9 marks (6 added"), merge.out.constData());
        const Run report = cli({"report", "--project", merged, "--out", dir.filePath("report")});
        QVERIFY2(report.code == 0, report.err.constData());
        QFile md(dir.filePath("report/report.md"));
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QByteArray text = md.readAll();
        QVERIFY(text.contains("| Fleiss' kappa | 3 | 9 |") &&
                text.contains("| Krippendorff's alpha | 3 | 9 |"));
        QFile queue(dir.filePath("report/review_queue.csv"));
        QVERIFY(queue.open(QIODevice::ReadOnly));
        const QByteArray rows = queue.readAll();
        // Scan 2 splits the readers three ways: first in the queue.
        QVERIFY2(rows.contains("reader-disagreement,1,Brain Tumor/Cancer (2).jpg,cnn4-demo,gradcam,0.666667,"
                               "\"1 correct, 1 incorrect, 1 unsure\""),
                 rows.constData());

        // Another study's copy: its scans come from another data set.
        const QString otherData = dir.filePath("other");
        QCOMPARE(cli({"demo-data", "--out", otherData, "--count", "6", "--seed", "7", "--size", "64"}).code,
                 0);
        const QString other = dir.filePath("other.sqlite");
        QCOMPARE(cli({"study", "--data", otherData, "--models",
                      QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt"), "--methods", "gradcam",
                      "--out", other})
                     .code,
                 0);
        const QString refusedFile = dir.filePath("refused.sqlite");
        const Run refused = cli({"annotate", "--merge", copies[0], other, "--out", refusedFile});
        QCOMPARE(refused.code, 1);
        QCOMPARE(refused.err.count('\n'), 1);
        QVERIFY2(refused.err.contains("is not a copy of the same study"), refused.err.constData());
        QVERIFY(!QFile::exists(refusedFile));
    }

    void annotateImportsAndExportsMarks() {
        QTemporaryDir dir;
        const QString data = dir.filePath("demo");
        QCOMPARE(cli({"demo-data", "--out", data, "--count", "6", "--seed", "6", "--size", "64"}).code, 0);
        const QString project = dir.filePath("study.sqlite");
        const Run studied = cli({"study", "--data", data, "--models",
                                 QStringLiteral(SALIENCY_SOURCE_DIR "/models/cnn4-demo.pt"), "--methods",
                                 "cam,gradcam", "--out", project});
        QVERIFY2(studied.code == 0, studied.err.constData());
        auto write = [&](const QString& name, const QByteArray& text) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text);
        };
        auto exported = [&](const QStringList& extra = {}) {
            const QString out = dir.filePath("exported.csv");
            const Run run = cli(QStringList{"annotate", "--project", project, "--export", out} + extra);
            QFile file(out);
            return run.code == 0 && file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("failed");
        };
        // Already in the export's form and order, so that the round trip compares bytes. Paths with
        // spaces; notes with a comma, a line break and quotes.
        const QByteArray marks =
            "scan,network,method,verdict,note,annotator\n"
            "Brain Tumor/Cancer (1).jpg,cnn4-demo,gradcam,correct,\"on the tumour, clearly\",\n"
            "Brain Tumor/Cancer (2).jpg,cnn4-demo,gradcam,correct,,\n"
            "Brain Tumor/Cancer (3).jpg,cnn4-demo,cam,unsure,,\n"
            "Brain Tumor/Cancer (3).jpg,cnn4-demo,gradcam,incorrect,\"eye sockets\nnot the tumour\",\n"
            "Healthy/Not Cancer  (1).jpg,cnn4-demo,gradcam,unsure,\"said \"\"maybe\"\"\",\n";
        write("marks.csv", marks);
        const QStringList import = {"annotate", "--project", project, "--import", dir.filePath("marks.csv")};
        const Run first = cli(import);
        QVERIFY2(first.code == 0, first.err.constData());
        QVERIFY2(first.out.contains("imported 5 marks from ") &&
                     first.out.contains(": 5 added, 0 unchanged, 0 replaced"),
                 first.out.constData());
        QCOMPARE(first.out.count('\n'), 1);
        const Run again = cli(import);
        QCOMPARE(again.code, 0);
        QVERIFY2(again.out.contains(": 0 added, 5 unchanged, 0 replaced"), again.out.constData());
        QCOMPARE(exported(), marks);

        // A changed verdict is refused as a whole (the new line with it is not written either) ...
        write("changed.csv",
              "scan,network,method,verdict\r\n"
              "Brain Tumor/Cancer (2).jpg,cnn4-demo,gradcam,INCORRECT\r\n"
              "Healthy/Not Cancer  (2).jpg,cnn4-demo,Grad-CAM,correct\r\n");
        const QStringList change = {"annotate", "--project", project, "--import",
                                    dir.filePath("changed.csv")};
        const Run conflict = cli(change);
        QCOMPARE(conflict.code, 1);
        QCOMPARE(conflict.err.count('\n'), 1);
        QVERIFY2(
            conflict.err.contains("1 mark is stored with another verdict or note (first at line 2: stored "
                                  "correct, the file incorrect); nothing was written; --replace"),
            conflict.err.constData());
        QCOMPARE(exported(), marks);
        // ... and taken with --replace; without a note column, the stored notes stay.
        const Run replaced = cli(change + QStringList{"--replace"});
        QVERIFY2(replaced.code == 0, replaced.err.constData());
        QVERIFY2(replaced.out.contains(": 1 added, 0 unchanged, 1 replaced"), replaced.out.constData());
        QByteArray expected = marks;
        expected.replace("Cancer (2).jpg,cnn4-demo,gradcam,correct",
                         "Cancer (2).jpg,cnn4-demo,gradcam,incorrect");
        expected += "Healthy/Not Cancer  (2).jpg,cnn4-demo,gradcam,correct,,\n";
        QCOMPARE(exported(), expected);

        // A second annotator's marks from a file without an annotator column.
        write("second.csv",
              "scan,network,method,verdict\n"
              "Brain Tumor/Cancer (1).jpg,cnn4-demo,gradcam,Correct\n"
              "Brain Tumor/Cancer (2).jpg,cnn4-demo,gradcam,correct\n");
        const Run second = cli({"annotate", "--project", project, "--import", dir.filePath("second.csv"),
                                "--annotator", "Dr B"});
        QVERIFY2(second.code == 0, second.err.constData());
        QVERIFY2(second.out.contains(": 2 added, 0 unchanged, 0 replaced"), second.out.constData());
        QCOMPARE(exported({"--annotator", "Dr B"}),
                 QByteArray("scan,network,method,verdict,note,annotator\n"
                            "Brain Tumor/Cancer (1).jpg,cnn4-demo,gradcam,correct,,Dr B\n"
                            "Brain Tumor/Cancer (2).jpg,cnn4-demo,gradcam,correct,,Dr B\n"));
        QCOMPARE(exported().count('\n'), 1 + 6 + 2 + 1);  // the quoted line break in a note

        // A bad line: one error naming the file and line, nothing written (not even the good line 2).
        write("bad.csv",
              "scan,network,method,verdict\n"
              "Healthy/Not Cancer  (3).jpg,cnn4-demo,cam,correct\n"
              "Healthy/Not Cancer  (3).jpg,tiny,cam,correct\n");
        const QByteArray before = exported();
        const Run bad = cli({"annotate", "--project", project, "--import", dir.filePath("bad.csv")});
        QCOMPARE(bad.code, 1);
        QCOMPARE(bad.err.count('\n'), 1);
        QVERIFY2(
            bad.err.contains("bad.csv: line 3: unknown network 'tiny' (the project's networks: cnn4-demo)"),
            bad.err.constData());
        write("verdict.csv", "scan,network,method,verdict\nHealthy/Not Cancer  (3).jpg,cnn4-demo,cam,yes\n");
        const Run verdict = cli({"annotate", "--project", project, "--import", dir.filePath("verdict.csv")});
        QCOMPARE(verdict.code, 1);
        QVERIFY2(
            verdict.err.contains("verdict.csv: line 2: verdict 'yes' is not correct, incorrect or unsure"),
            verdict.err.constData());
        QCOMPARE(exported(), before);

        // The report counts every annotator's verdicts: Grad-CAM 4 correct, 2 incorrect, 1 unsure.
        const QString report = dir.filePath("report");
        const Run reported = cli({"report", "--project", project, "--out", report});
        QVERIFY2(reported.code == 0, reported.err.constData());
        QVERIFY2(reported.out.contains("and 8 annotations"), reported.out.constData());
        QFile table1(report + "/seed_table1_judged_correct.csv");
        QVERIFY(table1.open(QIODevice::ReadOnly));
        QCOMPARE(table1.readAll(),
                 QByteArray("network,correctly_computed_saliency_maps_gradcam,correct,judged,share,unsure\n"
                            "cnn4-demo,4 (66.67%),4,6,0.666667,1\n"));
        QFile jsonFile(report + "/report.json");
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(json["annotators"].toArray().size(), 2);
        // With --annotator, one radiologist's verdicts, as the seed's table 1 is: Dr B judged 2 correct.
        const QString own = dir.filePath("report-b");
        const Run ownReport = cli({"report", "--project", project, "--out", own, "--annotator", "Dr B"});
        QVERIFY2(ownReport.code == 0, ownReport.err.constData());
        QFile ownTable(own + "/seed_table1_judged_correct.csv");
        QVERIFY(ownTable.open(QIODevice::ReadOnly));
        QCOMPARE(ownTable.readAll(),
                 QByteArray("network,correctly_computed_saliency_maps_gradcam,correct,judged,share,unsure\n"
                            "cnn4-demo,2 (100%),2,2,1,0\n"));
        QFile ownMarkdown(own + "/report.md");
        QVERIFY(ownMarkdown.open(QIODevice::ReadOnly));
        QVERIFY(ownMarkdown.readAll().contains("annotator Dr B"));

        // usage errors (2) and a missing project (1)
        QCOMPARE(cli({"annotate", "--project", project}).code, 2);
        QCOMPARE(cli({"annotate", "--project", project, "--import", "a.csv", "--export", "b.csv"}).code, 2);
        QCOMPARE(cli({"annotate", "--project", project, "--export", "b.csv", "--replace"}).code, 2);
        const Run missing = cli({"annotate", "--project", dir.filePath("nope.sqlite"), "--export", "b.csv"});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("does not exist"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
