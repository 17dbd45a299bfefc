#include "workloads/routing.h"

#include <algorithm>

#include "workloads/expert_load.h"
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

uint64_t BoundedRng::below(uint64_t n) { return uniform_below(rng_, n); }

double BoundedRng::unit() { return uniform_unit(rng_); }

ExpertRouter::ExpertRouter(const MoeSpec& moe, uint64_t seed, const std::vector<double>* weights, bool balanced)
    : moe_(moe), balanced_(balanced), offset_(seed), rng_(seed) {
  if (balanced_) return;
  if (!weights || weights->empty()) return;
  weights_ = *weights;
  const int per_group = moe_.routed_experts / moe_.groups;
  double run = 0;
  group_mass_.assign(moe_.groups, 0.0);
  for (int e = 0; e < moe_.routed_experts; ++e) {
    run += weights_[e];
    cdf_.push_back(run);
    group_mass_[e / per_group] += weights_[e];
  }
}

std::vector<int> ExpertRouter::route(int tokens) {
  std::vector<int> out;
  out.reserve(size_t(tokens) * moe_.top_k);
  if (balanced_)
    route_balanced(tokens, out);
  else if (weights_.empty())
    route_uniform(tokens, out);
  else
    route_weighted(tokens, out);
  return out;
}

void ExpertRouter::route_uniform(int tokens, std::vector<int>& out) {
  const int per_group = moe_.routed_experts / moe_.groups;
  const int gpt = moe_.groups_per_token;
  const uint64_t reachable = uint64_t(gpt) * per_group;
  std::vector<int> groups(moe_.groups);
  for (int t = 0; t < tokens; ++t) {
    // Partial Fisher-Yates: the first groups_per_token entries are the chosen groups.
    for (int g = 0; g < moe_.groups; ++g) groups[g] = g;
    for (int i = 0; i < gpt; ++i) std::swap(groups[i], groups[i + rng_.below(moe_.groups - i)]);
    // top_k distinct experts, uniform over the chosen groups' experts: draw and redraw repeats
    // (exact sampling without replacement; few redraws as top_k << the reachable experts).
    const size_t first = out.size();
    for (int i = 0; i < moe_.top_k;) {
      uint64_t x = rng_.below(reachable);
      int e = groups[x / per_group] * per_group + int(x % per_group);
      bool repeat = false;
      for (size_t j = first; j < out.size(); ++j) repeat = repeat || out[j] == e;
      if (repeat) continue;
      out.push_back(e);
      ++i;
    }
  }
}

void ExpertRouter::route_balanced(int tokens, std::vector<int>& out) {
  const int G = moe_.groups, per_group = moe_.routed_experts / G;
  const int gpt = std::min(moe_.groups_per_token, G);
  std::vector<int> next(G, 0);  // each group's round-robin position
  for (int t = 0; t < tokens; ++t) {
    for (int i = 0; i < gpt; ++i) {
      const int g = int((uint64_t(t) + offset_ + uint64_t(i)) % uint64_t(G));
      const int share = moe_.top_k / gpt + (i < moe_.top_k % gpt ? 1 : 0);
      if (share == 0) continue;
      const int stride = std::max(1, per_group / share);
      for (int j = 0; j < share; ++j) out.push_back(g * per_group + (next[g] + j * stride) % per_group);
      next[g] = (next[g] + 1) % stride;
    }
  }
}

void ExpertRouter::route_weighted(int tokens, std::vector<int>& out) {
  const int G = moe_.groups, per_group = moe_.routed_experts / G, k = moe_.top_k;
  std::vector<char> allowed(G), taken(moe_.routed_experts, 0);
  std::vector<int> picked;
  for (int t = 0; t < tokens; ++t) {
    // Groups, weighted by mass, without replacement.
    std::fill(allowed.begin(), allowed.end(), 0);
    double left = 0;
    for (int g = 0; g < G; ++g) left += group_mass_[g];
    for (int i = 0; i < moe_.groups_per_token; ++i) {
      double u = rng_.unit() * left;
      int g = -1, last = -1;
      for (int c = 0; c < G && g < 0; ++c) {
        if (allowed[c]) continue;
        last = c;
        if (u < group_mass_[c]) g = c;
        else u -= group_mass_[c];
      }
      if (g < 0) g = last;  // rounding at the top end
      allowed[g] = 1;
      left -= group_mass_[g];
    }
    // Experts: rejection from the full distribution is exact sampling from the allowed,
    // not yet taken ones; a linear scan takes over if rejections pile up.
    picked.clear();
    for (int i = 0; i < k; ++i) {
      int e = -1;
      for (int tries = 0; tries < 64 && e < 0; ++tries) {
        double u = rng_.unit() * cdf_.back();
        int c = static_cast<int>(std::upper_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
        c = std::min(c, moe_.routed_experts - 1);
        if (allowed[c / per_group] && !taken[c] && weights_[c] > 0) e = c;
      }
      if (e < 0) {
        double mass = 0;
        for (int c = 0; c < moe_.routed_experts; ++c)
          if (allowed[c / per_group] && !taken[c]) mass += weights_[c];
        double u = rng_.unit() * mass;
        for (int c = 0; c < moe_.routed_experts; ++c) {
          if (!allowed[c / per_group] || taken[c]) continue;
          e = c;
          if (u < weights_[c]) break;
          u -= weights_[c];
        }
      }
      taken[e] = 1;
      picked.push_back(e);
      out.push_back(e);
    }
    for (int e : picked) taken[e] = 0;
  }
}

double GroupTraffic::sent_tokens(int r) const {
  const int src = routing->first_rank() + r;
  double n = 0;
  for (int d = 0; d < ep; ++d) n += routing->pair_tokens(src, routing->first_rank() + d);
  return n;
}

GroupTraffic route_group(const MoeSpec& moe, const ExpertPlacement& placement, int ep,
                         int64_t tokens_per_rank, const std::vector<double>* weights, uint64_t seed,
                         uint64_t stream, int first_rank, int gpus_per_node, bool keep_tokens,
                         bool balanced) {
  GroupTraffic t;
  t.ep = ep;
  const int spr = placement.slots_per_rank();
  t.rows.assign(ep, std::vector<int64_t>(spr, 0));
  auto routing = std::make_shared<TokenRouting>(first_rank, ep, gpus_per_node, keep_tokens);
  std::vector<int64_t> turn(moe.routed_experts, 0);
  std::vector<int> slot_rank, slot_local;  // rank in the group and slot on it of each global slot
  for (int sl = 0; sl < ep * spr; ++sl) slot_rank.push_back(sl / spr), slot_local.push_back(sl % spr);
  // One token's destination ranks and experts on each.
  std::vector<int> dests(std::max(1, moe.top_k)), counts(std::max(1, moe.top_k));
  for (int r = 0; r < ep; ++r) {
    ExpertRouter router(moe, balanced ? uint64_t(first_rank + r) : derive_seed(seed, stream, uint64_t(first_rank + r)),
                        weights, balanced);
    std::vector<int> picks = router.route(static_cast<int>(tokens_per_rank));
    for (int64_t tok = 0; tok < tokens_per_rank; ++tok) {
      int nd = 0;
      for (int j = 0; j < moe.top_k; ++j) {
        int e = picks[size_t(tok) * moe.top_k + j];
        const std::vector<int>& c = placement.copies(e);
        int slot = c.size() == 1 ? c[0] : c[size_t(turn[e]++ % int64_t(c.size()))];
        int dst = first_rank + slot_rank[slot];
        t.rows[slot_rank[slot]][slot_local[slot]]++;
        int i = 0;
        while (i < nd && dests[i] != dst) ++i;
        if (i < nd)
          ++counts[i];
        else
          dests[nd] = dst, counts[nd++] = 1;
      }
      for (int a = 1; a < nd; ++a) {  // ascending ranks (insertion sort of at most top_k)
        int d = dests[a], n = counts[a], b = a;
        for (; b > 0 && dests[b - 1] > d; --b) dests[b] = dests[b - 1], counts[b] = counts[b - 1];
        dests[b] = d, counts[b] = n;
      }
      routing->add(first_rank + r, dests.data(), counts.data(), nd);
    }
  }
  routing->compact();
  t.routing = std::move(routing);
  return t;
}

TokenRouting route_tokens(const MoeSpec& moe, int first_rank, int ranks, int tokens_per_rank,
                          int gpus_per_node, uint64_t seed, uint64_t stream) {
  ExpertPlacement one_copy(moe.routed_experts, 0, ranks, gpus_per_node, moe.groups, {});
  GroupTraffic t = route_group(moe, one_copy, ranks, tokens_per_rank, nullptr, seed, stream, first_rank,
                               gpus_per_node, true);
  return *t.routing;
}

}  // namespace strata::workloads
