#include "io/ReadLimits.h"

#include <cstdlib>
#include <limits>
#include <string>

#include "common/Error.h"

namespace saliency {

namespace {

// A positive whole number from the environment, else the default (a typo must not lift a limit).
std::uint64_t fromEnvironment(const char* name, std::uint64_t fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0')
        return fallback;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text, &end, 10);
    return (*end == '\0' && value > 0 && text[0] != '-') ? value : fallback;
}

std::string megas(std::uint64_t n) {
    return std::to_string((n + 500000) / 1000000) + " M";
}

}  // namespace

const ReadLimits& readLimits() {
    static const ReadLimits limits = [] {
        ReadLimits l;
        l.imagePixels = fromEnvironment("SALIENCY_MAX_IMAGE_PIXELS", l.imagePixels);
        l.volumeVoxels = fromEnvironment("SALIENCY_MAX_VOLUME_VOXELS", l.volumeVoxels);
        l.decodedBytes = fromEnvironment("SALIENCY_MAX_DECODED_BYTES", l.decodedBytes);
        return l;
    }();
    return limits;
}

std::uint64_t saturatingProduct(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
        return std::numeric_limits<std::uint64_t>::max();
    return a * b;
}

void checkImagePixels(const std::filesystem::path& path, std::uint64_t width, std::uint64_t height) {
    const std::uint64_t pixels = saturatingProduct(width, height);
    const std::uint64_t limit = readLimits().imagePixels;
    if (pixels > limit) {
        throw FileError(path, "image is too large: " + std::to_string(width) + " x " +
                                  std::to_string(height) + " pixels, over the limit of " +
                                  std::to_string(limit) + " pixels (" + megas(limit) +
                                  "px; set SALIENCY_MAX_IMAGE_PIXELS to raise it)");
    }
}

void checkVolumeVoxels(const std::filesystem::path& path, std::uint64_t voxels) {
    const std::uint64_t limit = readLimits().volumeVoxels;
    if (voxels > limit) {
        const std::string count = voxels == std::numeric_limits<std::uint64_t>::max()
                                      ? std::string("more than 2^64")
                                      : std::to_string(voxels);
        throw FileError(path, "volume is too large: " + count + " voxels, over the limit of " +
                                  std::to_string(limit) + " (set SALIENCY_MAX_VOLUME_VOXELS to raise it)");
    }
}

void checkDecodedBytes(const std::filesystem::path& path, std::uint64_t bytes) {
    const std::uint64_t limit = readLimits().decodedBytes;
    if (bytes > limit) {
        const std::string count = bytes == std::numeric_limits<std::uint64_t>::max()
                                      ? std::string("more than 2^64")
                                      : std::to_string(bytes);
        throw FileError(path, "the decoded data would take " + count + " bytes, over the limit of " +
                                  std::to_string(limit) + " (" + std::to_string(limit >> 20) +
                                  " MiB; set SALIENCY_MAX_DECODED_BYTES to raise it)");
    }
}

}  // namespace saliency
