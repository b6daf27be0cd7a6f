// saliency-cli end to end, as a user or a script calls it (DESIGN.md section 7).
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(QStringLiteral(SALIENCY_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(),
            p.readAllStandardError()};
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

        const QString report = dir.filePath("report");
        const Run reported = cli({"report", "--project", project, "--out", report});
        QVERIFY2(reported.code == 0, reported.err.constData());
        for (const char* name :
             {"report.md", "report.json", "model_method.csv", "model_pairs.csv", "method_pairs.csv",
              "mask_agreement.csv", "annotator_agreement.csv", "seed_table1_judged_correct.csv",
              "seed_table2_iou.csv", "seed_table3_centre_distance.csv"})
            QVERIFY2(QFile::exists(report + "/" + name), name);
        QVERIFY2(reported.out.contains("charts/iou_networks.svg"), reported.out.constData());
        // The charts: well-formed SVG, each listed in report.md, nothing half-written left behind.
        const QStringList charts = QDir(report + "/charts").entryList(QDir::Files, QDir::Name);
        QCOMPARE(charts, (QStringList{"accuracy_vs_judged.svg", "centre_distances.svg", "centres_of_mass.svg",
                                      "iou_methods.svg", "iou_networks.svg", "mask_agreement.svg",
                                      "share_correct.svg"}));
        QFile markdown(report + "/report.md");
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        for (const QString& chart : charts) {
            QFile svg(report + "/charts/" + chart);
            QVERIFY(svg.open(QIODevice::ReadOnly));
            QXmlStreamReader xml(&svg);
            QVERIFY(xml.readNextStartElement());
            QCOMPARE(xml.name().toString(), QString("svg"));
            while (!xml.atEnd())
                xml.readNext();
            QVERIFY2(!xml.hasError(), qPrintable(chart + ": " + xml.errorString()));
            QVERIFY2(md.contains(("(charts/" + chart + ")").toUtf8()), qPrintable(chart));
        }
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
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
