#pragma once
// One CSV field with RFC 4180 quoting: as is when it holds no comma, quote or line break, else in
// double quotes with inner quotes doubled. Every CSV the tools write goes through it.
#include <string>

namespace saliency {

std::string csvField(const std::string& text);

}  // namespace saliency
