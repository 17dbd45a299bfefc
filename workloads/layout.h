// Where ranks sit in the parallelism: pipeline stage, tensor-parallel group, expert-parallel
// group, data-parallel replicas; and which ranks get a timeline (all, or one representative per
// pipeline stage standing for the identical ranks of its stage).
#pragma once

#include <vector>

#include "workloads/workload_spec.h"

namespace strata::workloads {

class Layout {
 public:
  Layout(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node);

  int gpus() const { return gpus_; }
  int gpus_per_node() const { return gpus_per_node_; }
  int pp() const { return pp_; }
  int tp() const { return tp_; }
  int ep() const { return ep_; }
  int stage_size() const { return gpus_ / pp_; }
  int stage_of(int rank) const { return rank / stage_size(); }
  int node_of(int rank) const { return rank / gpus_per_node_; }
  int stage_first(int stage) const { return stage * stage_size(); }
  /// Ranks of `rank`'s tensor-parallel and expert-parallel groups (consecutive within a stage).
  std::vector<int> tp_group(int rank) const;
  std::vector<int> ep_group(int rank) const;
  /// Ranks in `rank`'s stage holding the same shard of the dense weights (data-parallel peers).
  std::vector<int> dense_dp_group(int rank) const;
  /// Ranks in `rank`'s stage holding the same routed experts (one per EP group).
  std::vector<int> expert_dp_group(int rank) const;

  bool representative() const { return representative_; }
  /// Simulated ranks of a stage, ascending.
  const std::vector<int>& simulated(int stage) const { return simulated_[stage]; }
  /// All simulated ranks, ascending.
  std::vector<int> simulated_all() const;
  /// Physical GPUs a simulated rank stands for (1 unless representative).
  int replicas() const { return representative_ ? stage_size() : 1; }

 private:
  int gpus_, gpus_per_node_, pp_, tp_, ep_;
  bool representative_;
  std::vector<std::vector<int>> simulated_;
};

}  // namespace strata::workloads
