// A generated (or replayed) workload: the op graph of one step, which ranks it simulates, what
// each of them holds in memory, and the counts the report turns into rates.
#pragma once

#include <string>
#include <vector>

#include "workloads/op_graph.h"
#include "workloads/workload_spec.h"

namespace strata::workloads {

/// Memory one rank must hold.
struct RankMemory {
  double weight_bytes = 0;      ///< working weights
  double kv_cache_bytes = 0;    ///< serving: paged KV cache
  double gradient_bytes = 0;    ///< training: weight gradients
  double optimizer_bytes = 0;   ///< training: master weights and moments (its ZeRO shard)
  double activation_bytes = 0;  ///< training: activations kept for backward

  double total() const {
    return weight_bytes + kv_cache_bytes + gradient_bytes + optimizer_bytes + activation_bytes;
  }
};

struct Workload {
  OpGraph graph;
  Phase phase = Phase::decode;
  std::vector<int> devices;         ///< simulated ranks, ascending
  std::vector<RankMemory> memory;   ///< per simulated rank (same order as devices)
  int replicas = 1;                 ///< physical GPUs each simulated rank stands for
  /// Tokens the whole cluster produces per step: decode output tokens (with accepted drafts),
  /// prefill new prompt tokens, training tokens.
  double tokens_per_step = 0;
  double cached_tokens_per_step = 0;  ///< prefill: prompt tokens served from the KV cache
  double steps_to_first_token = 1;    ///< prefill: steps until a prompt is complete (chunks)
  double model_flops_per_step = 0;    ///< model FLOPs of the whole cluster per step (MFU)
  double model_flops_per_token = 0;   ///< model FLOPs per token of the main model (no MTP)
  int steps = 1;                      ///< steps the graph covers (a replayed trace may hold several)
  std::string description;
};

/// Builds the workload a scenario describes (generator or trace) for `gpus` GPUs.
Workload generate(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node, uint64_t seed);

// The generators behind generate() (decode.cpp, prefill.cpp, training.cpp).
class Layout;
Workload build_decode(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed);
Workload build_prefill(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed);
Workload build_training(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, uint64_t seed);

/// Model FLOPs per token of one training step (forward + backward, no recomputation), counted
/// from the generated ops of one micro-batch; MTP modules included when workload.mtp is on.
double training_model_flops_per_token(const WorkloadSpec& w);

/// Weights one rank holds when serving (same for every rank): linear layers in the GEMM
/// format, routers, embedding and head in BF16; `mtp` adds the MTP modules.
double serving_weight_bytes(const WorkloadSpec& w, const ParallelSpec& p, bool mtp);

}  // namespace strata::workloads
