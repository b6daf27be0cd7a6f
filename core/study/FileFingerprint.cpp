#include "study/FileFingerprint.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>

#include "common/Error.h"

namespace saliency::study {

std::string fileFingerprint(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FileError(file, "cannot open for reading");
    std::uint64_t hash = 1469598103934665603ull;
    std::array<char, 1 << 16> buffer{};
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        for (std::size_t i = 0; i < got; ++i) {
            hash ^= static_cast<unsigned char>(buffer[i]);
            hash *= 1099511628211ull;
        }
    }
    if (in.bad())
        throw FileError(file, "read error");
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

}  // namespace saliency::study
