#include "data/Random.h"

#include <cmath>
#include <numbers>

namespace saliency {

double Rng::normal() {
    // Box-Muller; 1 - uniform() is in (0,1], so the log is finite.
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Rng::mix(std::uint64_t seed, std::uint64_t stream) {
    // splitmix64 of the pair: nearby (seed, stream) pairs give unrelated generator seeds.
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace saliency
