#include "common/BoundedJson.h"

#include <string>

#include "common/Error.h"

namespace saliency {

nlohmann::json parseBoundedJson(std::string_view text) {
    // The callback sees the depth of each value as it is opened, before anything is built deeper.
    const nlohmann::json::parser_callback_t limit = [](int depth, nlohmann::json::parse_event_t event,
                                                       nlohmann::json&) {
        const bool opens = event == nlohmann::json::parse_event_t::object_start ||
                           event == nlohmann::json::parse_event_t::array_start;
        if (opens && depth >= kMaxJsonDepth)
            throw Error("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        return true;
    };
    try {
        return nlohmann::json::parse(text, limit);
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("invalid JSON: ") + e.what());
    }
}

}  // namespace saliency
