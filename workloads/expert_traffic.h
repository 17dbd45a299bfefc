// Token routing for expert-parallel collectives: which ranks each token's experts live on, built
// from router picks, so networks can deduplicate per node (DeepEP normal kernels) or send per
// expert (low-latency kernels).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/model_spec.h"
#include "workloads/op.h"

namespace strata::workloads {

/// Appends rank `src`'s tokens: `picks` holds top_k expert ids per token; expert e lives on rank
/// first_rank + e / experts_per_rank.
void add_routed_tokens(TokenRouting& t, int src, const std::vector<int>& picks, int top_k,
                       int first_rank, int experts_per_rank);

/// Routes `tokens_per_rank` tokens on each of `ranks` ranks (first_rank, first_rank + 1, ...)
/// with ExpertRouter, seeded per (seed, stream, rank); experts spread evenly over the ranks.
TokenRouting route_tokens(const MoeSpec& moe, int first_rank, int ranks, int tokens_per_rank,
                          double bytes_per_token, uint64_t seed, uint64_t stream);

}  // namespace strata::workloads
