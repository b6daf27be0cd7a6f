#pragma once
// JSON from files a user may have been sent (model cards, splits, project rows), parsed with a
// nesting limit: nlohmann::json parses iteratively, but copying, comparing and printing a value
// recurse, so a card nested 200,000 levels deep would overflow the stack later, far from the parse.
#include <string_view>

#include <nlohmann/json.hpp>

namespace saliency {

// Deeper than any file this project writes (a model card is 4 levels) by a wide margin.
inline constexpr int kMaxJsonDepth = 64;

// Throws Error "JSON nested deeper than 64 levels" or "invalid JSON: ..." (nlohmann's message).
nlohmann::json parseBoundedJson(std::string_view text);

}  // namespace saliency
