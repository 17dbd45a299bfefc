#include "workloads/routing.h"

#include <algorithm>

#include "workloads/random_draw.h"

namespace strata::workloads {

uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b) {
  // splitmix64 steps over the combined words.
  auto mix = [](uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return mix(mix(mix(seed) ^ a) ^ b);
}

ExpertRouter::ExpertRouter(const MoeSpec& moe, uint64_t seed) : moe_(moe), rng_(seed) {}

uint64_t ExpertRouter::below(uint64_t n) { return uniform_below(rng_, n); }

std::vector<int> ExpertRouter::route(int tokens) {
  const int per_group = moe_.routed_experts / moe_.groups;
  std::vector<int> out;
  out.reserve(size_t(tokens) * moe_.top_k);
  std::vector<int> groups(moe_.groups), pool;
  for (int t = 0; t < tokens; ++t) {
    // Partial Fisher-Yates: the first groups_per_token entries are the chosen groups.
    for (int g = 0; g < moe_.groups; ++g) groups[g] = g;
    for (int i = 0; i < moe_.groups_per_token; ++i)
      std::swap(groups[i], groups[i + below(moe_.groups - i)]);
    pool.clear();
    for (int i = 0; i < moe_.groups_per_token; ++i)
      for (int e = 0; e < per_group; ++e) pool.push_back(groups[i] * per_group + e);
    std::sort(pool.begin(), pool.end());
    for (int i = 0; i < moe_.top_k; ++i) {
      std::swap(pool[i], pool[i + below(pool.size() - i)]);
      out.push_back(pool[i]);
    }
  }
  return out;
}

}  // namespace strata::workloads
