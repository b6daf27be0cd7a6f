// saliency-cli: the headless twin of Saliency Studio (DESIGN.md section 7, docs/cli.md).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "BuildCommit.h"
#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "training/BuildInfo.h"

namespace saliency::cli {

bool stderrIsTerminal() {
    return isatty(STDERR_FILENO) == 1;
}

namespace {
std::string& mutableCommandLine() {
    static std::string line;
    return line;
}
}  // namespace

const std::string& commandLine() {
    return mutableCommandLine();
}

namespace {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"demo-data", "--out DIR [--count N] [--seed S] [--size PX] [--confounder none|eye-sockets]",
         "make a demo data set of brain MRI scans with synthetic tumours and masks", runDemoData},
        {"dataset-info", "--data DIR [--json]",
         "describe a data set: classes, sizes, formats, masks, and every skipped file", runDatasetInfo},
        {"split", "--data DIR --out FILE.json [--seed S] [--fractions TRAIN,VAL,TEST]",
         "save a stratified, seeded train/validation/test split", runSplit},
        {"predict",
         "(--model CKPT | --arch ARCH --weights FILE [--classes a,b] [--image-size PX]) --image IMG [--image "
         "IMG ...] "
         "[--json]",
         "classify scans: logits, probabilities, class", runPredict},
        {"train",
         "--data DIR --arch ARCH --out CKPT [--weights FILE] [--freeze-backbone] [--epochs E] [--batch B] "
         "[--lr LR] "
         "[--optimiser adam|sgd] [--schedule none|step|cosine] [--image-size PX] [--device auto|cpu|cuda] "
         "[--seed S] "
         "[--patience P] [--split FILE] [--no-augment] [--resume] [--threads N] [--json]",
         "train or fine-tune a network; the best epoch is saved as a checkpoint with its model card",
         [](const std::vector<std::string>& a) { return runTrain(a, commandLine()); }},
        {"evaluate",
         "(--model CKPT | --arch ARCH --weights FILE --classes a,b) --data DIR [--split FILE [--part "
         "test|validation|train]] "
         "[--csv FILE] [--json]",
         "accuracy, precision, recall, F1, confusion matrix, ROC AUC; per-image predictions as CSV",
         runEvaluate},
        {"explain",
         "(--model CKPT | --arch ARCH --weights FILE [--classes a,b]) (--image IMG [--image IMG ...] | "
         "--data DIR) "
         "[--method cam|gradcam|guided-backprop|guided-gradcam|gradcam++|scorecam|layercam|smoothgrad|"
         "integrated-gradients|all|extras|a,b] [--class C] [--layer NAME] [--scorecam-batch B] "
         "[--smoothgrad-samples N] [--smoothgrad-noise F] [--smoothgrad-base gradient|guided-backprop|"
         "integrated-gradients] [--ig-steps M] [--ig-baseline zero|black] [--shared-scale] --out DIR",
         "saliency maps: NAME.npy (float32), NAME.png (overlay) and result.json per method and image",
         runExplain},
        {"sanity-check",
         "(--model CKPT | --arch ARCH --weights FILE [--classes a,b]) (--image IMG [--image IMG ...] | "
         "--data DIR) [--methods cam|gradcam|...|all|a,b] [--cascading|--independent] [--seed S] "
         "[--threshold T] [--batch N] --out DIR",
         "model-randomisation sanity check: strip.png, sanity.csv/json (Spearman, SSIM per stage) and a "
         "verdict per method",
         runSanityCheck},
        {"study",
         "--data DIR --models CKPT[,CKPT...] --out PROJECT.sqlite [--methods cam|gradcam|...|all|a,b] "
         "[--split FILE [--part test|validation|train]] [--batch N] [--faithfulness] [--robustness] [--csv FILE]",
         "every model x method over a data set into a project database (resumable); per-map CSV", runStudy},
        {"report",
         "--project PROJECT.sqlite --out DIR [--annotator NAME] [--width-mm MM] [--dpi DPI] [--font-pt PT]",
         "a study's statistics: CSV tables, report.md, report.json and the charts (PNG, SVG, PDF)",
         runReport},
        {"annotate",
         "--project PROJECT.sqlite (--import FILE.csv [--replace] | --export FILE.csv) [--annotator NAME]\n"
         "       saliency-cli annotate --merge COPY.sqlite COPY.sqlite... --out PROJECT.sqlite",
         "a radiologist's marks (correct|incorrect|unsure per scan x network x method) in or out as CSV; "
         "readers' copies of a project merged into one",
         runAnnotate},
        {"reader-study",
         "create --project PROJECT.sqlite --name NAME --readers NAME[,NAME...] [--models NAME,...] "
         "[--methods gradcam,...] [--scans N] [--repeat SHARE] [--seed S]\n"
         "       saliency-cli reader-study status --project PROJECT.sqlite\n"
         "       saliency-cli reader-study export --project PROJECT.sqlite --name NAME --out DIR",
         "blinded reader studies: sessions in a seeded order with repeats, progress, and the export "
         "(judgements.csv with the key, protocol.md)",
         runReaderStudy},
    };
    return all;
}

void printHelp(std::ostream& out) {
    out << "usage: saliency-cli COMMAND [OPTIONS]\n       saliency-cli --version\n\ncommands:\n";
    for (const auto& c : commands())
        out << "  " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
    out << "\nExit status 0 on success; 1 with a one-line reason on stderr when the work failed;\n"
           "2 when the command line was wrong. See docs/cli.md.\n";
}

}  // namespace
}  // namespace saliency::cli

namespace {

// Every refusal is one line on stderr: a message with line breaks (a library's, or LibTorch's with
// its backtrace) is cut before the backtrace and joined.
std::string oneLine(std::string text) {
    if (const auto trace = text.find("\nException raised from"); trace != std::string::npos)
        text.erase(trace);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    std::string out;
    for (const char c : text) {
        if (c == '\n')
            out += "; ";
        else if (c != '\r')
            out += c;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace saliency::cli;
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::string& line = mutableCommandLine();
    line = "saliency-cli";
    for (const auto& arg : args)
        line += " " + (arg.find(' ') == std::string::npos ? arg : "'" + arg + "'");
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printHelp(args.empty() ? std::cerr : std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << saliency::versionReport("saliency-cli", saliency::buildCommit());
        return 0;
    }
    for (const auto& command : commands()) {
        if (args[0] != command.name)
            continue;
        const std::vector<std::string> rest(args.begin() + 1, args.end());
        if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
            std::cout << "usage: saliency-cli " << command.name << " " << command.usage << "\n  "
                      << command.summary << "\n";
            return 0;
        }
        try {
            return command.run(rest);
        } catch (const UsageError& e) {
            std::cerr << "saliency-cli " << command.name << ": " << e.what() << "\nusage: saliency-cli "
                      << command.name << " " << command.usage << "\n";
            return 2;
        } catch (const std::bad_alloc&) {
            std::cerr << "saliency-cli " << command.name << ": error: out of memory\n";
            return 1;
        } catch (const std::exception& e) {
            std::cerr << "saliency-cli " << command.name << ": error: " << oneLine(e.what()) << "\n";
            return 1;
        }
    }
    std::cerr << "saliency-cli: unknown command '" << args[0] << "' (try --help)\n";
    return 2;
}
