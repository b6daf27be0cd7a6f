#pragma once
// The sizes a reader accepts, checked from a file's header before any decoder or buffer runs, so
// that a small hostile file (a 261 KB PNG declaring 16384 x 16384, a .nii.gz bomb) is refused
// instead of taking gigabytes. The defaults fit every real scan with room to spare; each can be
// raised (or lowered) with an environment variable, read once per process (docs/formats.md).
#include <cstdint>
#include <filesystem>

namespace saliency {

struct ReadLimits {
    // Width x height of a 2D image or of one DICOM frame: SALIENCY_MAX_IMAGE_PIXELS.
    std::uint64_t imagePixels = std::uint64_t{8192} * 8192;
    // Voxels of a volume (a NIfTI file, all its volumes; a multi-frame DICOM file, all frames):
    // SALIENCY_MAX_VOLUME_VOXELS.
    std::uint64_t volumeVoxels = std::uint64_t{512} * 512 * 512;
    // Bytes of a file's data after decompression (an image's pixels, a DICOM file's pixel data,
    // a NIfTI file's voxels): SALIENCY_MAX_DECODED_BYTES.
    std::uint64_t decodedBytes = std::uint64_t{256} << 20;
};

// The limits in force: the defaults, with each environment variable that holds a positive whole
// number taking its place.
const ReadLimits& readLimits();

// Throw FileError naming the size, the limit and the variable that raises it. Products are
// computed without overflow (any factor may be as large as a hostile header makes it).
void checkImagePixels(const std::filesystem::path& path, std::uint64_t width, std::uint64_t height);
void checkVolumeVoxels(const std::filesystem::path& path, std::uint64_t voxels);
void checkDecodedBytes(const std::filesystem::path& path, std::uint64_t bytes);

// a * b, or UINT64_MAX when it does not fit: compared with a limit, it is simply too large.
std::uint64_t saturatingProduct(std::uint64_t a, std::uint64_t b);

}  // namespace saliency
