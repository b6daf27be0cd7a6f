#include "data/DemoNoise.h"

#include <cmath>

namespace saliency::demo {

namespace {

std::uint64_t splitmix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Quintic fade: continuous second derivative, so no visible lattice creases.
double fade(double t) {
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

}  // namespace

double ValueNoise::lattice(std::int64_t i, std::int64_t j, std::int64_t k) const {
    std::uint64_t h = splitmix(seed_ ^ static_cast<std::uint64_t>(i));
    h = splitmix(h ^ static_cast<std::uint64_t>(j));
    h = splitmix(h ^ static_cast<std::uint64_t>(k));
    return static_cast<double>(h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

double ValueNoise::at(Vec3 p) const {
    const double fx = std::floor(p.x);
    const double fy = std::floor(p.y);
    const double fz = std::floor(p.z);
    const auto i = static_cast<std::int64_t>(fx);
    const auto j = static_cast<std::int64_t>(fy);
    const auto k = static_cast<std::int64_t>(fz);
    const double tx = fade(p.x - fx);
    const double ty = fade(p.y - fy);
    const double tz = fade(p.z - fz);
    const auto edge = [&](std::int64_t dj, std::int64_t dk) {
        return lerp(lattice(i, j + dj, k + dk), lattice(i + 1, j + dj, k + dk), tx);
    };
    return lerp(lerp(edge(0, 0), edge(1, 0), ty), lerp(edge(0, 1), edge(1, 1), ty), tz);
}

double ValueNoise::fractal(Vec3 p, int octaves) const {
    double sum = 0.0;
    double amplitude = 1.0;
    double total = 0.0;
    for (int o = 0; o < octaves; ++o) {
        // Offsetting each octave avoids the lattice points of all octaves coinciding at the origin.
        sum += amplitude * at(p * std::ldexp(1.0, o) + Vec3{17.3 * o, 31.7 * o, 7.1 * o});
        total += amplitude;
        amplitude *= 0.5;
    }
    // Value noise rarely reaches its extremes; scaling by 1.6 uses the [-1, 1] range better.
    return std::clamp(1.6 * sum / total, -1.0, 1.0);
}

}  // namespace saliency::demo
