// Shared state of the workload generators (decode.cpp, prefill.cpp, training.cpp) and the
// transformer blocks they are built from (attention_block.cpp, moe_block.cpp, layer.cpp):
// the specs, the rank layout, expert placement and routing, and the collectives they share.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "workloads/chain.h"
#include "workloads/expert_load.h"
#include "workloads/kernels.h"
#include "workloads/layout.h"
#include "workloads/linear.h"
#include "workloads/routing.h"
#include "workloads/workload_spec.h"

namespace strata::workloads {

/// Token shapes of one pass of the layers (a micro-batch or a chunk) on one chain.
struct PassShape {
  int64_t tokens = 0;         ///< query tokens per attention replica (tensor-parallel group)
  int64_t kv_tokens = 0;      ///< naive MLA: context tokens up-projected by kv_b_proj
  int64_t cached_tokens = 0;  ///< prefill: context tokens read back from the paged KV cache
  int64_t requests = 0;       ///< sequences per attention replica
  bool decode = false;        ///< decode attention (absorbed MLA) instead of prefill attention
  std::vector<AttentionWork> attention;  ///< per chain device, heads local to the device
  uint64_t routing_stream = 0;           ///< seeds the expert routing of this pass
};

/// Routing of one MoE layer in one EP group, with the collectives it needs.
struct MoeTraffic {
  GroupTraffic t;
  int dispatch = -1, combine = -1;                   ///< forward all-to-alls
  int combine_grad = -1, dispatch_grad = -1;         ///< backward all-to-alls (training)
};

class Gen {
 public:
  Gen(const WorkloadSpec& w, const ParallelSpec& p, const Layout& lay, OpGraph& g, uint64_t seed);

  const WorkloadSpec& w;
  const ParallelSpec& p;
  const ModelSpec& m;
  const Layout& lay;
  OpGraph& g;
  uint64_t seed;
  /// Routing is drawn once per (layer, EP group) and reused by every micro-batch (training:
  /// thousands of micro-batches with statistically identical routing).
  bool reuse_routing = false;

  /// MoE layer index (0-based among MoE layers) of transformer layer `layer`; the MTP layers
  /// (layer >= m.layers) use the last MoE layer's load.
  int moe_index(int layer) const;
  const ExpertPlacement& placement(int layer);
  const ExpertLoad& load() const { return load_; }
  /// Routing of `tokens_per_rank` tokens per rank in the EP group starting at `first_rank`.
  const MoeTraffic& traffic(int layer, int first_rank, int64_t tokens_per_rank, uint64_t stream);
  /// A size-given collective among `ranks`, stored once per (kind, ranks, bytes).
  int sized_collective(CollectiveKind kind, const std::vector<int>& ranks, double bytes);
  /// Issues, for each group of the chain's devices (group_of(rank) lists a rank's physical
  /// group), a size-given collective of `bytes` on that group.
  void issue_grouped(Chain& ch, const std::string& name, hw::DType dtype, CollectiveKind kind,
                     double bytes, std::vector<int> (Layout::*group_of)(int) const);
  int phase(const std::string& name) { return g.phase_id(name); }
  /// The kernels the framework launches around a linear.
  LinearRecipe recipe() const { return {w.framework.scale_layout_kernel, w.precision.gradients}; }

 private:
  ExpertLoad load_;
  std::map<int, std::unique_ptr<ExpertPlacement>> placements_;
  std::map<std::tuple<int, int, int64_t, uint64_t>, std::unique_ptr<MoeTraffic>> traffic_;
  std::map<std::tuple<int, int, size_t, double>, int> sized_;
};

/// "L<layer>.<what>"
std::string lname(int layer, const std::string& what);

/// Weight-gradient ops of a chain, with the index of the chain device each runs on; emitted
/// right after the input gradients, or later (DualPipe's zero-bubble W chunks).
using WeightGrads = std::vector<std::pair<size_t, Op>>;

/// KV-cache bytes one token takes in one layer on one device (MLA: the latent, replicated over
/// TP ranks; GQA: the device's KV heads).
double kv_bytes_on_device(const Gen& G);

/// Emits a list of ops on every device of the chain, each copied per device.
void emit_all(Chain& ch, const std::vector<Op>& ops);


}  // namespace strata::workloads
