// Expert routing of tokens, sampled with a seeded generator whose output is fixed by the C++
// standard (mt19937_64) and our own bounded draws, so results are identical on every platform.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "workloads/model_spec.h"
#include "workloads/random_draw.h"

namespace strata::workloads {

/// Mixes (seed, stream ids) into an independent seed, so each (layer, rank) draws the same
/// numbers regardless of the order in which they are generated.
uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b);

class ExpertRouter {
 public:
  ExpertRouter(const MoeSpec& moe, uint64_t seed);

  /// Experts for `tokens` tokens: top_k distinct ids per token, tokens x top_k values.
  /// Uniform scores under group-limited routing: groups_per_token groups are drawn without
  /// replacement, then top_k experts among those groups.
  std::vector<int> route(int tokens);

 private:
  uint64_t below(uint64_t n);  ///< uniform in [0, n), unbiased

  MoeSpec moe_;
  std::mt19937_64 rng_;
};

}  // namespace strata::workloads
