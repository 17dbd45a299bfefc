// One decode step of a (MoE) transformer served with data-parallel attention and expert
// parallelism, as DeepSeek serves V3: every rank holds its own requests and a full copy of
// attention, dense and shared-expert weights; routed experts are spread over `ep` ranks and
// tokens reach them by an all-to-all dispatch and come back by a combine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/op_graph.h"
#include "workloads/workload_spec.h"

namespace strata::workloads {

/// Memory one rank must hold.
struct RankMemory {
  double weight_bytes = 0;
  double kv_cache_bytes = 0;
};

struct Workload {
  OpGraph graph;
  std::vector<RankMemory> memory;  ///< per rank
  double tokens_per_step = 0;      ///< output tokens produced by the whole cluster per step
  std::string description;
};

/// Builds the step for `ranks` GPUs. Throws ConfigError-free std::invalid_argument on an
/// impossible split; scenario checks catch those first with file positions.
Workload build_decode_step(const WorkloadSpec& w, const ParallelSpec& p, int ranks, uint64_t seed);

/// Weights one rank holds under `p` (same for every rank).
double decode_weight_bytes_per_rank(const WorkloadSpec& w, const ParallelSpec& p);

}  // namespace strata::workloads
