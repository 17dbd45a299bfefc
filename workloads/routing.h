// Expert routing of tokens, sampled with a seeded generator whose output is fixed by the C++
// standard (mt19937_64) and our own bounded draws, so results are identical on every platform.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "workloads/model_spec.h"
#include "workloads/op.h"
#include "workloads/random_draw.h"

namespace strata::workloads {

class ExpertPlacement;

/// Mixes (seed, stream ids) into an independent seed, so each (layer, rank) draws the same
/// numbers regardless of the order in which they are generated.
uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b);

/// mt19937_64 with draws whose results the C++ standard fixes (std::*_distribution are
/// implementation-defined).
class BoundedRng {
 public:
  explicit BoundedRng(uint64_t seed) : rng_(seed) {}
  uint64_t below(uint64_t n);  ///< uniform in [0, n), unbiased
  double unit();               ///< uniform in [0, 1), 53 bits

 private:
  std::mt19937_64 rng_;
};

class ExpertRouter {
 public:
  /// `weights`: relative popularity per routed expert; null or empty = uniform. `balanced`:
  /// no draws at all; every group and expert gets exactly its share (see route_balanced).
  ExpertRouter(const MoeSpec& moe, uint64_t seed, const std::vector<double>* weights = nullptr,
               bool balanced = false);

  /// Experts for `tokens` tokens: top_k distinct ids per token, tokens x top_k values.
  /// Group-limited routing: groups_per_token groups are drawn without replacement (weighted by
  /// their experts' popularity), then top_k experts among those groups, weighted, without
  /// replacement. Uniform popularity gives uniform draws.
  std::vector<int> route(int tokens);

 private:
  void route_uniform(int tokens, std::vector<int>& out);
  void route_weighted(int tokens, std::vector<int>& out);
  /// Token t takes groups_per_token consecutive groups (cyclic, starting at t plus a per-rank
  /// offset) and in each an equal share of top_k experts spread evenly over the group; each
  /// group walks its experts round robin, so every expert gets the same tokens when the
  /// shares divide evenly (DeepSeek-V3: 4 groups x 2 experts, 2 x 16 positions per group).
  void route_balanced(int tokens, std::vector<int>& out);

  MoeSpec moe_;
  bool balanced_ = false;
  uint64_t offset_ = 0;
  BoundedRng rng_;
  std::vector<double> weights_, cdf_, group_mass_;
};

/// Expert rows and token traffic of one MoE layer (one micro-batch) in one EP group.
struct GroupTraffic {
  int ep = 0;
  std::vector<std::vector<int64_t>> rows;  ///< [rank in group][slot]: tokens each expert copy computes
  /// Where every token goes (ranks first_rank ..), shared by the layer's all-to-alls.
  std::shared_ptr<const TokenRouting> routing;
  /// Tokens rank `first_rank + r` sends to its experts' ranks, itself included (once per token
  /// and destination): as many expert outputs come back to it.
  double sent_tokens(int r) const;
};

/// Routes `tokens_per_rank` tokens on each rank of an EP group. Rank i of the group draws from
/// derive_seed(seed, stream, first_rank + i); copies of an expert take its tokens in turn.
/// `keep_tokens` keeps every token's destinations in the routing (detailed schedules in tests).
/// `balanced`: ExpertRouter's balanced routing instead of draws.
GroupTraffic route_group(const MoeSpec& moe, const ExpertPlacement& placement, int ep,
                         int64_t tokens_per_rank, const std::vector<double>* weights, uint64_t seed,
                         uint64_t stream, int first_rank, int gpus_per_node, bool keep_tokens = false,
                         bool balanced = false);

/// Uniform routing of `tokens_per_rank` tokens on each of `ranks` ranks (first_rank, ...) with
/// the experts spread evenly and one copy each (DeepEP's benchmarks), every token kept.
TokenRouting route_tokens(const MoeSpec& moe, int first_rank, int ranks, int tokens_per_rank,
                          int gpus_per_node, uint64_t seed, uint64_t stream);

}  // namespace strata::workloads
