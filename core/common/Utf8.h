#pragma once
// UTF-8 validation for names that come from outside (a CSV, a file name, a dialog): SQLite stores
// any bytes, but JSON, Markdown and the GUI need text, so a bad byte is refused where it enters.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace saliency {

// The byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or nothing when the whole text is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text) {
    return !firstInvalidUtf8(text).has_value();
}

// The text with every ill-formed byte replaced by U+FFFD, for names that must be shown anyway
// (a checkpoint's file name on a Linux file system, which is bytes).
std::string validUtf8(std::string_view text);

}  // namespace saliency
