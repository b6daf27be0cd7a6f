// A marking session that a test kills with SIGKILL (tests/ui/test_ui.cpp): marks maps through
// ProjectSession, as the app does, and prints a line only after each mark has returned, i.e. once
// the app would show it as saved. Runs until killed or until every scan is marked.
//   marking_child PROJECT.sqlite DATA_DIR
// With --reader, a reader-study session instead (issue 17): judges the session's items in order,
// as the reader window does, printing "position<TAB>verdict<TAB>confidence" after each.
//   marking_child --reader PROJECT.sqlite DATA_DIR SESSION_ID
#include <cstdio>
#include <memory>
#include <string>

#include <QCoreApplication>

#include "ProjectSession.h"
#include "data/Dataset.h"
#include "saliency/Method.h"
#include "study/ReaderStudy.h"

namespace {

int readerSession(const char* project, const char* data, std::int64_t sessionId) {
    using namespace saliency;
    ui::ProjectSession session(project, false);
    session.bindDataSet(std::make_shared<const Dataset>(scanDataset(data)));
    study::ReaderSessionRecord record;
    for (const auto& s : session.readerSessions())
        if (s.id == sessionId)
            record = s;
    session.setAnnotator(QString::fromStdString(record.reader));
    while (true) {
        const auto items = session.readerItems(sessionId);
        const auto next = study::nextUnjudged(items);
        if (!next)
            return 0;
        const auto& item = items[*next];
        const auto verdict = item.position % 3 == 0 ? study::Verdict::Incorrect : study::Verdict::Correct;
        const int confidence = item.position % 5 + 1;
        session.recordReaderJudgement(record, item, verdict, confidence, "", 0.5);
        std::printf("%d\t%s\t%d\n", item.position, study::verdictName(verdict).c_str(), confidence);
        std::fflush(stdout);
    }
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (argc == 5 && std::string(argv[1]) == "--reader")
        return readerSession(argv[2], argv[3], std::stoll(argv[4]));
    if (argc != 3) {
        std::fprintf(stderr, "usage: marking_child PROJECT.sqlite DATA_DIR\n");
        return 2;
    }
    using namespace saliency;
    ui::ProjectSession session(argv[1], true);
    auto dataset = std::make_shared<const Dataset>(scanDataset(argv[2]));
    session.bindDataSet(dataset);
    explain::ModelInfo info;
    info.name = "net";
    info.source = "/nonexistent/net.pt";
    info.architecture = "cnn4";
    info.cardJson = "{}";
    session.registerModel(1, info, "00000000000000aa");
    const study::Verdict verdicts[] = {study::Verdict::Correct, study::Verdict::Incorrect,
                                       study::Verdict::Unsure};
    int n = 0;
    for (int round = 0; round < 1000; ++round) {
        for (const auto& item : dataset->items) {
            const QString scan = QString::fromStdString(item.relativePath.generic_string());
            for (const auto method : explain::allMethods()) {
                const auto verdict = verdicts[(n + round) % 3];
                session.mark(scan, 1, method, verdict);
                std::printf("%s\t%s\t%s\n", qPrintable(scan), explain::methodName(method).c_str(),
                            study::verdictName(verdict).c_str());
                std::fflush(stdout);
                ++n;
            }
        }
    }
    return 0;
}
