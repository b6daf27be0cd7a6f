// Errors and the progress/cancel interface shared by every long job.
#include <QtTest>

#include <sstream>

#include "common/Csv.h"
#include "common/Error.h"
#include "common/Progress.h"

using namespace saliency;

namespace {

struct RecordingProgress final : Progress {
    std::vector<std::string> events;
    std::int64_t cancelAt = -1;
    void start(const std::string& task, std::int64_t total) override {
        events.push_back("start " + task + " " + std::to_string(total));
    }
    bool update(std::int64_t done, const std::string&) override {
        events.push_back("update " + std::to_string(done));
        return cancelAt < 0 || done < cancelAt;
    }
    void finish() override { events.push_back("finish"); }
};

}  // namespace

class TestCommon : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        QCOMPARE(saliency::csvField("plain"), std::string("plain"));
        QCOMPARE(saliency::csvField("Not Cancer  (1).jpg"), std::string("Not Cancer  (1).jpg"));
        QCOMPARE(saliency::csvField("a,b"), std::string("\"a,b\""));
        QCOMPARE(saliency::csvField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(saliency::csvField("two\nlines"), std::string("\"two\nlines\""));
        QCOMPARE(saliency::csvField(""), std::string(""));
    }

    void fileErrorNamesFileAndReason() {
        const FileError e("/data/scan.jpg", "truncated JPEG data");
        QCOMPARE(std::string(e.what()), std::string("/data/scan.jpg: truncated JPEG data"));
        QCOMPARE(e.reason(), std::string("truncated JPEG data"));
        QCOMPARE(e.path(), std::filesystem::path("/data/scan.jpg"));
    }

    void scopeFinishesEvenOnException() {
        RecordingProgress p;
        try {
            ProgressScope scope(p, "work", 3);
            scope.update(1);
            throw std::runtime_error("boom");
        } catch (const std::runtime_error&) {
        }
        QCOMPARE(p.events, (std::vector<std::string>{"start work 3", "update 1", "finish"}));
    }

    void cancelIsReported() {
        RecordingProgress p;
        p.cancelAt = 2;
        ProgressScope scope(p, "work", 5);
        QVERIFY(scope.update(1));
        QVERIFY(!scope.update(2));
    }

    void consoleProgressPlainLinesWhenNotATerminal() {
        std::ostringstream out;
        {
            ConsoleProgress progress(out, false);
            ProgressScope scope(progress, "demo-data", 4);
            for (int i = 1; i <= 4; ++i)
                QVERIFY(scope.update(i));
        }
        // start and end only: logs stay readable
        const std::string text = out.str();
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 2);
        QVERIFY(text.rfind("demo-data: 0/4 (", 0) == 0);
        QVERIFY(text.find("\ndemo-data: 4/4 (") != std::string::npos);
    }

    void consoleProgressDrawsABarOnATerminal() {
        std::ostringstream out;
        ConsoleProgress progress(out, true);
        progress.start("scan", 10);
        progress.update(10, "last.jpg");
        progress.finish();
        QVERIFY(out.str().find("[##############################] 10/10") != std::string::npos);
        QVERIFY(out.str().find("last.jpg") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestCommon)
#include "test_common.moc"
