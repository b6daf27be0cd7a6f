#pragma once
// The readers take paths (they check sizes against the file, memory-map or stream it), so each fuzz
// input is written to a scratch file first. One file per process, rewritten for every input and
// removed at exit; TMPDIR decides where (scripts/fuzz.sh points it at a RAM disk when one exists).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace saliency::fuzz {

// Writes `data` to "<TMPDIR>/saliency-fuzz-<pid>/<name>" and returns that path.
std::filesystem::path writeInput(std::string_view name, std::span<const std::uint8_t> data);

}  // namespace saliency::fuzz
