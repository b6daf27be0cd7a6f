#pragma once
// Test fixtures made at test time (never committed as binaries): raw bytes, CMYK JPEG through
// libjpeg, DICOM through DCMTK and NIfTI through niftilib.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace testfiles {

using Bytes = std::vector<unsigned char>;

void writeBytes(const std::filesystem::path& path, const Bytes& bytes);
void writeText(const std::filesystem::path& path, std::string_view text);
Bytes readBytes(const std::filesystem::path& path);

// A PNG of only a signature, an IHDR claiming width x height and an IEND: valid structure, no pixels.
Bytes pngHeaderOnly(std::uint32_t width, std::uint32_t height);

// A 4-component JPEG in Adobe's convention (as Photoshop writes it: stored values are 255 - ink),
// written with libjpeg. Pixel (x, y) takes cmyk[x < width / 2 ? 0 : 1] (ink amounts, 0..255).
void writeCmykJpeg(const std::filesystem::path& path, int width, int height,
                   const std::array<std::array<unsigned char, 4>, 2>& cmyk);

struct DicomSpec {
    int rows = 4;
    int columns = 3;
    int frames = 1;                           // NumberOfFrames is written when > 1
    std::string photometric = "MONOCHROME2";  // or MONOCHROME1, RGB
    int bitsAllocated = 16;                   // 8 or 16
    bool signedPixels = false;
    std::vector<std::int32_t> pixels;  // rows * columns * frames * samples, row by row, frame by frame
    std::optional<std::string> slope, intercept, windowCentre, windowWidth;  // as DS strings
    std::optional<std::array<double, 3>> position;
    std::optional<std::array<double, 6>> orientation;
    std::optional<int> instance;
    std::string seriesUid = "1.2.826.0.1.3680043.2.1143.1";
    std::array<double, 2> pixelSpacing{0.5, 0.75};  // between rows, between columns
    bool withPixelData = true;
};
void writeDicom(const std::filesystem::path& path, const DicomSpec& spec);

struct NiftiSpec {
    std::array<int, 3> size{4, 5, 6};
    std::vector<std::int16_t> voxels;  // i fastest; int16 datatype
    float slope = 0.0f;
    float intercept = 0.0f;
    std::array<float, 3> pixdim{1.0f, 2.0f, 3.0f};
    // Rows of sform (x, y, z in RAS+); the qform is left unset. Default: diag(pixdim).
    std::optional<std::array<std::array<float, 4>, 3>> sform;
};
// .nii or .nii.gz by the name's ending.
void writeNifti(const std::filesystem::path& path, const NiftiSpec& spec);

}  // namespace testfiles
