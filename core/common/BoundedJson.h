#pragma once
// JSON from files a user may have been sent (model cards, splits, project rows), parsed with a
// nesting limit: nlohmann::json parses iteratively, but copying, comparing and printing a value
// recurse, so a card nested 200,000 levels deep would overflow the stack later, far from the parse.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/Error.h"

namespace saliency {

// Deeper than any file this project writes (a model card is 4 levels) by a wide margin.
inline constexpr int kMaxJsonDepth = 64;

// Throws Error "JSON nested deeper than 64 levels" or "invalid JSON: ..." (nlohmann's message).
nlohmann::json parseBoundedJson(std::string_view text);

// Parses as above and converts to T; JSON of another shape (an object where a list of numbers was
// written, a string among them) throws Error "unexpected JSON (what): ..." instead of nlohmann's
// type_error, which no caller expecting Error would catch.
template <class T>
T parseBoundedJsonAs(std::string_view text, const std::string& what) {
    const auto value = parseBoundedJson(text);
    try {
        return value.get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw Error("unexpected JSON (" + what + "): " + e.what());
    }
}

}  // namespace saliency
