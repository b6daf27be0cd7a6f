#pragma once
// Seeded 3D value noise: smooth, band-limited randomness for tumour borders and textures.
// Built on integer hashing only, so a seed gives the same field on every platform.
#include <cstdint>

#include "data/DemoGeometry.h"

namespace saliency::demo {

class ValueNoise {
  public:
    explicit ValueNoise(std::uint64_t seed) : seed_(seed) {}
    // Smooth noise in [-1, 1] with features about one unit apart.
    double at(Vec3 p) const;
    // Fractal sum of `octaves` layers (each twice as fine, half as strong), roughly in [-1, 1].
    double fractal(Vec3 p, int octaves) const;

  private:
    double lattice(std::int64_t i, std::int64_t j, std::int64_t k) const;
    std::uint64_t seed_;
};

}  // namespace saliency::demo
