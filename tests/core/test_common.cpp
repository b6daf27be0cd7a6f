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

    // OWASP's CSV injection rule: a cell a spreadsheet would evaluate gets a leading apostrophe;
    // numbers the tables write (-0.5, +3e-4) stay numbers.
    void csvFieldsNeutraliseFormulas() {
        QCOMPARE(saliency::csvField("=HYPERLINK(\"http://x\")"),
                 std::string("\"'=HYPERLINK(\"\"http://x\"\")\""));
        QCOMPARE(saliency::csvField("+1+2"), std::string("'+1+2"));
        QCOMPARE(saliency::csvField("-2+3+cmd|' /C calc'!A0"), std::string("'-2+3+cmd|' /C calc'!A0"));
        QCOMPARE(saliency::csvField("@SUM(A1)"), std::string("'@SUM(A1)"));
        QCOMPARE(saliency::csvField("\t=1"), std::string("'\t=1"));
        QCOMPARE(saliency::csvField("\r=1"), std::string("\"'\r=1\""));
        QCOMPARE(saliency::csvField("-inf"), std::string("'-inf"));
        QCOMPARE(saliency::csvField("-"), std::string("'-"));
        for (const char* number : {"-0.5", "+3", "-1e-05", "-.5", "-12.", "0.25", "-3.5E+10"})
            QCOMPARE(saliency::csvField(number), std::string(number));
        QCOMPARE(saliency::csvField("a=b"), std::string("a=b"));
        // read back, the guard comes off again; an apostrophe of the author's stays
        QCOMPARE(saliency::csvUnguarded("'=1+1"), std::string("=1+1"));
        QCOMPARE(saliency::csvUnguarded("'-0.5"), std::string("'-0.5"));
        QCOMPARE(saliency::csvUnguarded("'quoted'"), std::string("'quoted'"));
        const auto records = saliency::parseCsv(saliency::csvField("=1,2") + "\n");
        QCOMPARE(saliency::csvUnguarded(records.at(0).fields.at(0)), std::string("=1,2"));
    }

    void csvReaderSplitsRecordsAndFields() {
        const auto records = saliency::parseCsv("scan,verdict\nHealthy/Not Cancer  (7).jpg,correct\n");
        QCOMPARE(records.size(), std::size_t(2));
        QCOMPARE(records[0].line, std::size_t(1));
        QCOMPARE(records[0].fields, (std::vector<std::string>{"scan", "verdict"}));
        QCOMPARE(records[1].line, std::size_t(2));
        QCOMPARE(records[1].fields, (std::vector<std::string>{"Healthy/Not Cancer  (7).jpg", "correct"}));
        // no final line break; empty fields at either end; a blank line is one empty field
        const auto loose = saliency::parseCsv(",a,\n\nb");
        QCOMPARE(loose.size(), std::size_t(3));
        QCOMPARE(loose[0].fields, (std::vector<std::string>{"", "a", ""}));
        QCOMPARE(loose[1].fields, (std::vector<std::string>{""}));
        QCOMPARE(loose[2].fields, (std::vector<std::string>{"b"}));
        QCOMPARE(loose[2].line, std::size_t(3));
        QVERIFY(saliency::parseCsv("").empty());
    }

    void csvReaderUnquotesRfc4180Fields() {
        // CRLF records, a quoted comma, doubled quotes, a quoted line break, a spreadsheet's BOM
        const std::string text =
            "\xEF\xBB\xBFscan,note\r\n"
            "\"a,b.jpg\",\"say \"\"hi\"\"\"\r\n"
            "c.jpg,\"two\r\nlines\"\r\n"
            "d.jpg,\"\"\r\n";
        const auto records = saliency::parseCsv(text);
        QCOMPARE(records.size(), std::size_t(4));
        QCOMPARE(records[0].fields, (std::vector<std::string>{"scan", "note"}));
        QCOMPARE(records[1].fields, (std::vector<std::string>{"a,b.jpg", "say \"hi\""}));
        QCOMPARE(records[2].fields, (std::vector<std::string>{"c.jpg", "two\r\nlines"}));
        QCOMPARE(records[3].fields, (std::vector<std::string>{"d.jpg", ""}));
        QCOMPARE(records[3].line, std::size_t(5));  // the quoted line break counts as a line
        // a quote inside an unquoted field is kept; a lone CR ends a record
        const auto odd = saliency::parseCsv("5\" screen\rx");
        QCOMPARE(odd.size(), std::size_t(2));
        QCOMPARE(odd[0].fields, (std::vector<std::string>{"5\" screen"}));
    }

    void csvReaderRoundTripsTheWriter() {
        const std::vector<std::string> fields = {"plain",      "a,b", "say \"hi\"",
                                                 "two\nlines", "",    "Not Cancer  (1).jpg"};
        std::string line;
        for (const auto& f : fields) {
            if (!line.empty())
                line += ',';
            line += saliency::csvField(f);
        }
        const auto records = saliency::parseCsv(line + "\n");
        QCOMPARE(records.size(), std::size_t(1));
        QCOMPARE(records[0].fields, fields);
    }

    void csvReaderRejectsBrokenQuotes() {
        try {
            saliency::parseCsv("scan,note\nx.jpg,ok\ny.jpg,\"never\nclosed\n");
            QFAIL("an unterminated quote was accepted");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("line 3: a quoted field is never closed (missing \")"));
        }
        try {
            saliency::parseCsv("a\n\"b\"c,d\n");
            QFAIL("text after a closing quote was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).rfind("line 2: text after a closing quote", 0) == 0, e.what());
        }
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
