#include "data/ViewSidecar.h"

#include <charconv>
#include <fstream>
#include <locale>
#include <sstream>

#include "common/Csv.h"
#include "common/Error.h"

namespace saliency {

namespace {

constexpr std::size_t kMaxSidecarBytes = 64u << 20;  // a million rows are under 64 MB

bool knownView(const std::string& view) {
    return view == "axial" || view == "coronal" || view == "sagittal";
}

[[noreturn]] void fail(std::size_t line, const std::string& what) {
    throw Error(std::string(kViewsFile) + " line " + std::to_string(line) + ": " + what);
}

std::optional<int> parseInt(const std::string& cell, std::size_t line) {
    if (cell.empty())
        return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size())
        fail(line, "the slice '" + cell + "' is not a whole number");
    return value;
}

std::optional<double> parseDouble(const std::string& cell, std::size_t line) {
    if (cell.empty())
        return std::nullopt;
    std::istringstream in(cell);
    in.imbue(std::locale::classic());
    double value = 0.0;
    in >> value;
    if (!in || !in.eof())
        fail(line, "the slice position '" + cell + "' is not a number");
    return value;
}

std::optional<bool> parseFlag(const std::string& cell, std::size_t line) {
    if (cell.empty())
        return std::nullopt;
    if (cell == "1" || cell == "true")
        return true;
    if (cell == "0" || cell == "false")
        return false;
    fail(line, "eye_level must be 0 or 1, got '" + cell + "'");
}

}  // namespace

std::string viewsCsv(const std::vector<ViewRow>& rows) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << "file,view,slice,slice_mm,eye_level\n";
    for (const ViewRow& row : rows) {
        const ScanView& v = row.view;
        out << csvField(row.file) << ',' << csvField(v.view) << ',';
        if (v.slice)
            out << *v.slice;
        out << ',';
        if (v.sliceMm) {
            std::ostringstream mm;
            mm.imbue(std::locale::classic());
            mm.setf(std::ios::fixed);
            mm.precision(1);
            mm << *v.sliceMm;
            out << mm.str();
        }
        out << ',';
        if (v.eyeLevel)
            out << (*v.eyeLevel ? '1' : '0');
        out << '\n';
    }
    return out.str();
}

std::map<std::string, ScanView> parseViews(const std::string& text) {
    const std::vector<CsvRecord> records = parseCsv(text);
    if (records.empty())
        fail(1, "empty; expected the header 'file,view,slice,slice_mm,eye_level'");
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < records.front().fields.size(); ++c)
        column[records.front().fields[c]] = c;
    for (const char* required : {"file", "view"})
        if (!column.count(required))
            fail(records.front().line, std::string("no '") + required + "' column in the header");
    auto cell = [&column](const CsvRecord& r, const char* name) -> std::string {
        const auto it = column.find(name);
        return it != column.end() && it->second < r.fields.size() ? csvUnguarded(r.fields[it->second])
                                                                  : std::string();
    };
    std::map<std::string, ScanView> views;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const CsvRecord& r = records[i];
        if (r.fields.size() == 1 && r.fields.front().empty())
            continue;  // a blank line
        const std::string file = cell(r, "file");
        if (file.empty())
            fail(r.line, "no file name");
        ScanView view;
        view.view = cell(r, "view");
        if (!knownView(view.view))
            fail(r.line, "the view must be axial, coronal or sagittal, got '" + view.view + "'");
        view.slice = parseInt(cell(r, "slice"), r.line);
        view.sliceMm = parseDouble(cell(r, "slice_mm"), r.line);
        view.eyeLevel = parseFlag(cell(r, "eye_level"), r.line);
        views[file] = view;
    }
    return views;
}

std::map<std::string, ScanView> readViews(const std::filesystem::path& root) {
    const std::filesystem::path path = root / kViewsFile;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return {};
    if (std::filesystem::file_size(path, ec) > kMaxSidecarBytes)
        throw FileError(path, "larger than 64 MB: not a views sidecar");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof())
        throw FileError(path, "cannot read the file");
    return parseViews(text.str());
}

}  // namespace saliency
