#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "study/AnnotationCsv.h"
#include "study/ProjectMerge.h"

namespace fs = std::filesystem;

namespace saliency::cli {

namespace {

std::string readWholeFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FileError(file, fs::exists(file) ? "cannot be read" : "does not exist");
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        throw FileError(file, "read error");
    return text;
}

std::string counted(std::size_t n) {
    return std::to_string(n) + " mark" + (n == 1 ? "" : "s");
}

int importFile(study::ProjectDatabase& project, const fs::path& file,
               const std::optional<std::string>& annotator, bool replace) {
    std::vector<study::MarkLine> marks;
    study::MarkImport result;
    try {
        marks = study::readMarksCsv(project, readWholeFile(file), annotator);
        result = study::importMarks(project, marks, replace);
    } catch (const study::MarkConflicts& e) {
        throw FileError(file, std::string(e.what()) + "; --replace overwrites them");
    } catch (const FileError&) {
        throw;
    } catch (const Error& e) {
        throw FileError(file, e.what());  // "FILE: line N: reason"
    }
    std::cout << "imported " << counted(marks.size()) << " from " << file.string() << ": " << result.added
              << " added, " << result.unchanged << " unchanged, " << result.replaced << " replaced -> "
              << project.file().string() << "\n";
    return 0;
}

int exportFile(study::ProjectDatabase& project, const fs::path& file,
               const std::optional<std::string>& annotator) {
    const study::CsvTable table = study::marksCsv(project, annotator);
    writeFileAtomically(file, table.text());
    std::cout << "exported " << counted(table.rows()) << " -> " << file.string() << "\n";
    return 0;
}

// `--merge A.sqlite B.sqlite ... --out P.sqlite`: the copies follow --merge up to the next option.
int mergeCopies(const std::vector<std::string>& args) {
    std::vector<fs::path> copies;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "--merge") {
            rest.push_back(args[i]);
            continue;
        }
        while (i + 1 < args.size() && !args[i + 1].starts_with("--"))
            copies.emplace_back(args[++i]);
    }
    Arguments a(rest, {});
    const fs::path output = a.required("out");
    a.rejectUnused();
    if (copies.size() < 2)
        throw UsageError("--merge needs two or more project copies");
    const study::MergeSummary summary = study::mergeProjects(copies, output);
    std::cout << "merged " << summary.copies << " copies: " << counted(summary.marks) << " (" << summary.added
              << " added from the later copies, " << summary.unchanged << " in more than one copy)";
    if (summary.readerJudgements > 0)
        std::cout << ", " << summary.readerJudgements << " reader-study judgements added";
    if (summary.lesionMarks > 0)
        std::cout << ", " << summary.lesionMarks << " lesion marks added (run the study again to measure the "
                                                   "maps against them)";
    std::cout << " -> " << output.string() << "\n";
    return 0;
}

}  // namespace

int runAnnotate(const std::vector<std::string>& args) {
    if (std::find(args.begin(), args.end(), "--merge") != args.end())
        return mergeCopies(args);
    Arguments a(args, {"replace"});
    const fs::path projectFile = a.required("project");
    const auto importPath = a.value("import");
    const auto exportPath = a.value("export");
    const bool replace = a.flag("replace");
    const auto annotator = a.value("annotator");
    a.rejectUnused();
    if (importPath.has_value() == exportPath.has_value())
        throw UsageError("give either --import FILE.csv or --export FILE.csv");
    if (replace && exportPath)
        throw UsageError("--replace is for --import");
    if ((importPath && importPath->empty()) || (exportPath && exportPath->empty()))
        throw UsageError("the CSV file name is empty");

    // An export only reads: it works on a project in a read-only folder too.
    study::ProjectDatabase project(projectFile,
                                   importPath ? study::OpenMode::ExistingOnly : study::OpenMode::ReadOnly);
    if (importPath)
        return importFile(project, *importPath, annotator, replace);
    return exportFile(project, *exportPath, annotator);
}

}  // namespace saliency::cli
