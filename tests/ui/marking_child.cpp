// A marking session that a test kills with SIGKILL (tests/ui/test_ui.cpp): marks maps through
// ProjectSession, as the app does, and prints a line only after each mark has returned, i.e. once
// the app would show it as saved. Runs until killed or until every scan is marked.
//   marking_child PROJECT.sqlite DATA_DIR
#include <cstdio>
#include <memory>

#include <QCoreApplication>

#include "ProjectSession.h"
#include "data/Dataset.h"
#include "saliency/Method.h"

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
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
