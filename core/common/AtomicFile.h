#pragma once
// Writing a file so that a crash, a kill or a full disk never leaves a half-written one: the data
// goes to "<file>.part", which is renamed over the target only when complete (rename is atomic on
// POSIX). Until then readers see the previous version, untouched.
#include <filesystem>
#include <functional>
#include <string_view>

namespace saliency {

// Throws FileError naming `file` (cannot create, write error, cannot replace); no .part is left.
void writeFileAtomically(const std::filesystem::path& file, std::string_view bytes);

// For writers that create the file themselves (e.g. LibTorch's archives): `write` writes the
// temporary path it is given; exceptions it throws propagate after the temporary is removed.
void replaceFileAtomically(const std::filesystem::path& file,
                           const std::function<void(const std::filesystem::path& temporary)>& write);

}  // namespace saliency
