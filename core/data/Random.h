#pragma once
// A seeded generator whose streams are identical on every platform and standard library:
// std::uniform_real_distribution and friends are implementation-defined, so we derive our own.
#include <cstdint>
#include <random>

namespace saliency {

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t next() { return engine_(); }
    double uniform() { return double(engine_() >> 11) * (1.0 / 9007199254740992.0); }  // [0,1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int uniformInt(int lo, int hiInclusive) {
        return lo + static_cast<int>(uniform() * double(hiInclusive - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }
    double normal();  // Box-Muller
    // A child generator for an independent sub-stream (e.g. one per image), stable under reordering.
    static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream);

  private:
    std::mt19937_64 engine_;
};

}  // namespace saliency
