#include "common/Csv.h"

#include <cctype>

#include "common/Error.h"

namespace saliency {

namespace {

std::size_t skipDigits(std::string_view text, std::size_t at) {
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
        ++at;
    return at;
}

// A decimal number as the report tables write them (%.6g): sign, digits, point, exponent. Only
// these keep a leading sign unguarded; "-inf", "+0x1A" or "-1+2" are text to a spreadsheet's eye.
bool isPlainNumber(std::string_view text) {
    std::size_t at = text.empty() || (text[0] != '+' && text[0] != '-') ? 0 : 1;
    const std::size_t integerStart = at;
    at = skipDigits(text, at);
    std::size_t digits = at - integerStart;
    if (at < text.size() && text[at] == '.') {
        const std::size_t fractionStart = ++at;
        at = skipDigits(text, at);
        digits += at - fractionStart;
    }
    if (digits == 0)
        return false;
    if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
        ++at;
        if (at < text.size() && (text[at] == '+' || text[at] == '-'))
            ++at;
        const std::size_t exponentStart = at;
        at = skipDigits(text, at);
        if (at == exponentStart)
            return false;
    }
    return at == text.size();
}

}  // namespace

bool csvNeedsFormulaGuard(std::string_view text) {
    if (text.empty())
        return false;
    switch (text.front()) {
        case '=':
        case '@':
        case '\t':
        case '\r':
            return true;
        case '+':
        case '-':
            return !isPlainNumber(text);
        default:
            return false;
    }
}

std::string csvUnguarded(std::string text) {
    if (text.size() >= 2 && text.front() == '\'' && csvNeedsFormulaGuard(std::string_view(text).substr(1)))
        text.erase(0, 1);
    return text;
}

std::string csvField(const std::string& raw) {
    const std::string text = csvNeedsFormulaGuard(raw) ? "'" + raw : raw;
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

namespace {

// A cursor over the text that counts lines as it goes, so that errors and records can name the
// line a person sees in an editor.
class CsvScanner {
  public:
    explicit CsvScanner(std::string_view text) : text_(text) {
        constexpr std::string_view bom = "\xEF\xBB\xBF";
        if (text_.substr(0, bom.size()) == bom)
            pos_ = bom.size();
    }

    std::vector<CsvRecord> records() {
        std::vector<CsvRecord> out;
        while (pos_ < text_.size())
            out.push_back(record());
        return out;
    }

  private:
    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    bool atLineBreak() const { return !atEnd() && (peek() == '\n' || peek() == '\r'); }

    // Consumes CRLF, LF or CR and returns it as written.
    std::string_view lineBreak() {
        const std::size_t start = pos_;
        if (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
            ++pos_;
        ++pos_;
        ++line_;
        return text_.substr(start, pos_ - start);
    }

    CsvRecord record() {
        CsvRecord r{line_, {}};
        for (;;) {
            r.fields.push_back(field());
            if (atEnd())
                return r;
            if (atLineBreak()) {
                lineBreak();
                return r;
            }
            ++pos_;  // the comma
        }
    }

    std::string field() {
        if (!atEnd() && peek() == '"')
            return quotedField();
        const std::size_t start = pos_;
        while (!atEnd() && peek() != ',' && !atLineBreak())
            ++pos_;
        return std::string(text_.substr(start, pos_ - start));
    }

    std::string quotedField() {
        const std::size_t opened = line_;
        ++pos_;  // the opening quote
        std::string out;
        for (;;) {
            if (atEnd())
                throw Error("line " + std::to_string(opened) +
                            ": a quoted field is never closed (missing \")");
            if (atLineBreak()) {
                out += lineBreak();
            } else if (peek() != '"') {
                out += text_[pos_++];
            } else if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                out += '"';  // a doubled quote stands for one
                pos_ += 2;
            } else {
                ++pos_;  // the closing quote
                break;
            }
        }
        if (!atEnd() && peek() != ',' && !atLineBreak())
            throw Error("line " + std::to_string(line_) +
                        ": text after a closing quote (write \"\" for a quote)");
        return out;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

std::vector<CsvRecord> parseCsv(std::string_view text) {
    return CsvScanner(text).records();
}

}  // namespace saliency
