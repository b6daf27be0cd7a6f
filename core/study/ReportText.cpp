#include "study/ReportText.h"

#include <algorithm>
#include <cstdio>

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "saliency/Method.h"

namespace saliency::study {

std::string markdownText(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '|':
            case '~':
                out += '\\';
                out += c;
                break;
            case '\n':
            case '\r':
                out += ' ';
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string markdownCode(const std::string& text) {
    // Inside a code span nothing but a backtick ends it; a table still splits at '|', and a line
    // break ends the line. A fence longer than the longest run of backticks inside keeps it closed.
    std::string body;
    std::size_t run = 0, longest = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
        if (c == '|')
            body += "\\|";
        else if (c == '\n' || c == '\r')
            body += ' ';
        else
            body += c;
    }
    const std::string fence(longest + 1, '`');
    const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
    return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

void markdownRow(std::ostringstream& md, const std::vector<std::string>& cells) {
    md << "|";
    for (const auto& c : cells)
        md << " " << markdownText(c) << " |";
    md << "\n";
}

void markdownHeader(std::ostringstream& md, const std::vector<std::string>& cells) {
    markdownRow(md, cells);
    md << "|";
    for (std::size_t i = 0; i < cells.size(); ++i)
        md << "---|";
    md << "\n";
}

std::string fixed(double value, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

std::string summaryText(const metrics::Summary& s) {
    if (!s.mean)
        return s.nUndefined ? "– (" + std::to_string(s.nUndefined) + " undefined)" : "–";
    std::string text = fixed(*s.mean, 3);
    if (s.stdDev)
        text += " ± " + fixed(*s.stdDev, 3);
    text += " (n=" + std::to_string(s.n);
    if (s.nUndefined)
        text += ", " + std::to_string(s.nUndefined) + " undefined";
    return text + ")";
}

std::string shareText(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return "–";
    return fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) + "% (" +
           std::to_string(part) + "/" + std::to_string(whole) + ")";
}

std::string methodLabel(const std::string& name) {
    const auto method = explain::parseMethod(name);
    return method ? explain::methodTitle(*method) : name;
}

std::vector<std::filesystem::path> writeReportFiles(
    const std::filesystem::path& folder, const std::vector<std::pair<std::string, std::string>>& files) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        throw FileError(folder, "cannot create the report folder: " + ec.message());
    std::vector<std::filesystem::path> written;
    for (const auto& [name, text] : files) {
        writeFileAtomically(folder / name, text);
        written.push_back(folder / name);
    }
    return written;
}

}  // namespace saliency::study
