#include <iostream>
#include <sstream>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "common/Error.h"
#include "models/TorchThreads.h"
#include "study/MapsCsv.h"
#include "study/StudyRunner.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

// --models a.pt,b.pt (also repeatable).
std::vector<fs::path> parseCheckpoints(Arguments& a) {
    std::vector<fs::path> out;
    for (const auto& list : a.values("models")) {
        std::stringstream in(list);
        std::string item;
        while (std::getline(in, item, ',')) {
            if (!item.empty())
                out.emplace_back(item);
        }
    }
    if (out.empty())
        throw UsageError("--models needs at least one checkpoint (CKPT,CKPT,...)");
    return out;
}

std::vector<explain::Method> parseMethodList(const std::string& text) {
    try {
        return explain::parseMethods(text);
    } catch (const Error& e) {
        throw UsageError(std::string("--methods: ") + e.what());
    }
}

study::StudyOptions parseOptions(Arguments& a) {
    study::StudyOptions options;
    options.data = a.required("data");
    options.checkpoints = parseCheckpoints(a);
    options.methods = parseMethodList(a.value("methods").value_or("all"));
    options.splitFile = a.value("split");
    const auto part = a.value("part");
    if (part && !options.splitFile)
        throw UsageError("--part needs --split FILE");
    options.part = part.value_or("test");
    if (options.part != "train" && options.part != "validation" && options.part != "test")
        throw UsageError("--part must be train, validation or test (got '" + options.part + "')");
    options.batchSize = a.integer("batch", 8, 1, 1024);
    return options;
}

void printSummary(const study::StudySummary& s, std::size_t methods, const fs::path& project) {
    for (const auto& skipped : s.skipped)
        std::cerr << "saliency-cli study: skipped " << skipped.path << ": " << skipped.reason << "\n";
    for (const auto& warning : s.warnings)
        std::cerr << "saliency-cli study: warning: " << warning << "\n";
    std::cout << "studied " << s.studied << " of " << s.scans << " scans (" << s.alreadyStored
              << " already stored, " << s.skipped.size() << " skipped) with " << s.models.size() << " model"
              << (s.models.size() == 1 ? "" : "s") << " x " << methods << " method"
              << (methods == 1 ? "" : "s") << ": " << s.mapsAdded << " maps and " << s.pairsAdded
              << " pairs added -> " << project.string() << "\n";
}

}  // namespace

int runStudy(const std::vector<std::string>& args) {
    Arguments a(args, {"faithfulness", "robustness"});
    study::StudyOptions options = parseOptions(a);
    options.faithfulness = a.flag("faithfulness");
    options.robustness = a.flag("robustness");
    const fs::path out = a.required("out");
    const auto csv = a.value("csv");
    a.rejectUnused();

    models::configureTorchThreads();
    study::ProjectDatabase project(out);
    ConsoleProgress progress(std::cerr, stderrIsTerminal());
    const study::StudySummary summary = study::runStudy(project, options, progress);
    printSummary(summary, options.methods.size(), out);
    if (summary.scans == 0)
        throw Error("no scans to study in " + options.data.string() +
                    (options.splitFile ? " (the split's " + options.part + " part is empty)" : ""));
    if (summary.studied == 0 && summary.alreadyStored == 0)
        throw Error("no scan could be studied (" + std::to_string(summary.skipped.size()) + " skipped)");
    if (csv) {
        const std::size_t rows = study::writeMapsCsv(project, *csv);
        std::cout << "per-map statistics: " << csv->c_str() << " (" << rows << " rows)\n";
    }
    return 0;
}

}  // namespace saliency::cli
