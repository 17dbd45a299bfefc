// Expert popularity (uniform, Zipf, or a measured histogram) and the placement of routed
// experts, with redundant copies of the most loaded ones, on the ranks of an EP group
// (DeepSeek's EPLB: copies go to the heaviest experts, then copies are packed so ranks carry
// equal load, groups kept on one node when they divide evenly).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/model_spec.h"
#include "workloads/workload_spec.h"

namespace strata::workloads {

class ExpertLoad {
 public:
  /// Reads the histogram file if the distribution needs one; throws std::invalid_argument
  /// naming file:line for a malformed file.
  ExpertLoad(const MoeSpec& moe, const MoeLoadSpec& spec, int moe_layers, uint64_t seed);
  /// Relative popularity of each routed expert in MoE layer `moe_layer` (0-based among the MoE
  /// layers); empty means uniform.
  const std::vector<double>& weights(int moe_layer) const;
  /// Routing without draws: every expert gets exactly its share (LoadDistribution::balanced).
  bool balanced() const { return balanced_; }

 private:
  bool balanced_ = false;
  std::vector<std::vector<double>> per_layer_;  ///< one entry (all layers) or one per layer
};

/// Parses a histogram file: rows of `experts` non-negative numbers (spaces or commas; `#`
/// starts a comment); one row, or `layers` rows.
std::vector<std::vector<double>> read_expert_histogram(const std::string& path, int experts, int layers);

class ExpertPlacement {
 public:
  /// `weights` empty = uniform. Slots per rank = (experts + redundant) / ep.
  ExpertPlacement(int experts, int redundant, int ep, int ranks_per_node, int groups,
                  const std::vector<double>& weights);
  int slots_per_rank() const { return slots_per_rank_; }
  /// Global slots (rank_in_group x slots_per_rank + slot) holding a copy of expert `e`.
  const std::vector<int>& copies(int e) const { return copies_[e]; }
  /// Expert held in each slot.
  const std::vector<int>& slot_expert() const { return slot_expert_; }

 private:
  int slots_per_rank_;
  std::vector<std::vector<int>> copies_;
  std::vector<int> slot_expert_;
};

}  // namespace strata::workloads
