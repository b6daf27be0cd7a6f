#pragma once
// CSV with RFC 4180 quoting. Writing: csvField, through which every CSV the tools write goes.
// Reading: parseCsv, for files people make elsewhere (a radiologist's marks from a spreadsheet).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace saliency {

// One field: as is when it holds no comma, quote or line break, else in double quotes with inner
// quotes doubled. A cell a spreadsheet would run as a formula (OWASP "CSV injection": it starts
// with = + - @, a tab or a carriage return) gets a leading apostrophe first, unless it is a plain
// decimal number such as -0.5 or +3e-4, which stays a number.
std::string csvField(const std::string& text);

// Whether csvField neutralises `text` with a leading apostrophe.
bool csvNeedsFormulaGuard(std::string_view text);

// The inverse of the guard for a cell read back from a CSV this project wrote: "'=1+1" is "=1+1";
// any other text is returned as it is (an apostrophe before ordinary text is the author's).
std::string csvUnguarded(std::string text);

struct CsvRecord {
    std::size_t line = 0;  // 1-based line the record starts on (a quoted line break spans lines)
    std::vector<std::string> fields;
};

// Splits RFC 4180 text into records: fields separated by ',', records by CRLF, LF or a lone CR;
// a field in double quotes may hold commas, line breaks (kept as written) and doubled quotes. A
// leading UTF-8 byte order mark (as spreadsheets write) is dropped; a final line break does not
// start another record; a blank line is a record of one empty field. A quote inside an unquoted
// field is kept as a character. Throws Error "line N: ..." for a quoted field that is never closed
// or text after a closing quote.
std::vector<CsvRecord> parseCsv(std::string_view text);

}  // namespace saliency
