#include <chrono>
#include <iostream>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "data/DemoData.h"

namespace saliency::cli {

int runDemoData(const std::vector<std::string>& args) {
    Arguments a(args, {});
    const std::filesystem::path out = a.required("out");
    DemoOptions options;
    options.count = a.integer("count", options.count, 1, 1'000'000);
    options.seed = a.unsignedInteger("seed", options.seed);
    options.size = a.integer("size", 0, 32, 4096);
    const std::string confounder = a.value("confounder").value_or("none");
    if (confounder == "eye-sockets") {
        options.confounder = Confounder::EyeSockets;
    } else if (confounder != "none") {
        throw UsageError("--confounder must be 'none' or 'eye-sockets' (got '" + confounder + "')");
    }
    a.rejectUnused();

    const DemoSources sources = DemoSources::locate();
    ConsoleProgress progress(std::cerr, stderrIsTerminal());
    const auto started = std::chrono::steady_clock::now();
    const DemoReport report = generateDemoData(out, sources, options, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "wrote " << report.tumour + report.healthy << " scans to " << out.string() << " ("
              << report.tumour << " tumour with masks, " << report.healthy << " healthy) in " << seconds
              << " s\n";
    return 0;
}

}  // namespace saliency::cli
