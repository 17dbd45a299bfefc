// Uniform draws whose sequence the C++ standard fixes on every platform: mt19937_64 output with
// our own rejection sampling (the standard distributions are implementation-defined).
#pragma once

#include <cstdint>
#include <random>

namespace strata::workloads {

/// Uniform in [0, n), unbiased; n > 0.
inline uint64_t uniform_below(std::mt19937_64& rng, uint64_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % n;
}

/// Uniform in [0, 1) with 53 random bits.
inline double uniform_unit(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

}  // namespace strata::workloads
