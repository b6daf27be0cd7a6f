// saliency-cli reader-study: blinded reader studies (study/ReaderStudy.h) made, followed and exported
// from the command line; readers judge in the app (Mark > Reader study...).
#include <iostream>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "study/ReaderStudy.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

int create(Arguments& a) {
    const fs::path projectFile = a.required("project");
    study::ReaderStudyPlan plan;
    plan.name = a.required("name");
    plan.readers = a.list("readers");
    plan.models = a.list("models");
    plan.methods = a.list("methods");
    plan.scans = static_cast<std::size_t>(a.integer("scans", 0, 0, 1'000'000));
    plan.repeatShare = a.real("repeat", 0.1, 0.0, 0.5);
    plan.seed = a.unsignedInteger("seed", 1);
    a.rejectUnused();
    if (plan.readers.empty())
        throw UsageError("--readers NAME[,NAME...] is required");
    study::ProjectDatabase project(projectFile, study::OpenMode::ExistingOnly);
    const auto ids = study::createReaderStudy(project, plan);
    for (const auto& session : project.readerSessions()) {
        if (session.study != plan.name)
            continue;
        std::cout << "reader study '" << plan.name << "': " << session.reader << ", " << session.items
                  << " items (order seed " << session.seed << ")\n";
    }
    std::cout << ids.size() << " session" << (ids.size() == 1 ? "" : "s") << " -> " << projectFile.string()
              << " (readers judge in the app: Mark > Reader study...)\n";
    return 0;
}

int status(Arguments& a) {
    const fs::path projectFile = a.required("project");
    a.rejectUnused();
    study::ProjectDatabase project(projectFile, study::OpenMode::ReadOnly);
    const auto sessions = project.readerSessions();
    if (sessions.empty()) {
        std::cout << "no reader study in " << projectFile.string() << "\n";
        return 0;
    }
    for (const auto& s : sessions)
        std::cout << s.study << "\t" << s.reader << "\t" << s.judged << " of " << s.items << " judged\n";
    return 0;
}

int exportStudy(Arguments& a) {
    const fs::path projectFile = a.required("project");
    const std::string name = a.required("name");
    const fs::path out = a.required("out");
    a.rejectUnused();
    study::ProjectDatabase project(projectFile, study::OpenMode::ReadOnly);
    const std::string csv = study::readerStudyCsv(project, name).text();
    const std::string protocol = study::readerStudyProtocol(project, name);
    fs::create_directories(out);
    writeFileAtomically(out / "judgements.csv", csv);
    writeFileAtomically(out / "protocol.md", protocol);
    std::cout << "reader study '" << name << "' -> " << (out / "judgements.csv").string() << ", "
              << (out / "protocol.md").string() << "\n";
    return 0;
}

}  // namespace

int runReaderStudy(const std::vector<std::string>& args) {
    if (args.empty())
        throw UsageError("give an action: create, status or export");
    const std::string action = args.front();
    Arguments a(std::vector<std::string>(args.begin() + 1, args.end()), {});
    if (action == "create")
        return create(a);
    if (action == "status")
        return status(a);
    if (action == "export")
        return exportStudy(a);
    throw UsageError("unknown action '" + action + "': create, status or export");
}

}  // namespace saliency::cli
