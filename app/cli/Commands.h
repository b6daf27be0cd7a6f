#pragma once
// Each sub-command of saliency-cli: parses its own options, returns the exit status.
#include <string>
#include <vector>

namespace saliency::cli {

struct Command {
    const char* name;
    const char* usage;    // options, shown by --help and on usage errors
    const char* summary;  // one line
    int (*run)(const std::vector<std::string>& args);
};

int runDemoData(const std::vector<std::string>& args);
int runDatasetInfo(const std::vector<std::string>& args);
int runSplit(const std::vector<std::string>& args);
int runPredict(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args, const std::string& commandLine);
int runEvaluate(const std::vector<std::string>& args);
int runExplain(const std::vector<std::string>& args);
int runSanityCheck(const std::vector<std::string>& args);
int runStudy(const std::vector<std::string>& args);
int runReport(const std::vector<std::string>& args);
int runAnnotate(const std::vector<std::string>& args);
int runReaderStudy(const std::vector<std::string>& args);

// The whole command line as typed, for model cards.
const std::string& commandLine();

// Whether stderr is a terminal: progress bars redraw in place there, print plain lines elsewhere.
bool stderrIsTerminal();

}  // namespace saliency::cli
