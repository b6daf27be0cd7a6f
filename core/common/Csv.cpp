#include "common/Csv.h"

#include "common/Error.h"

namespace saliency {

std::string csvField(const std::string& text) {
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
