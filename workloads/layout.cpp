#include "workloads/layout.h"

namespace strata::workloads {

Layout::Layout(const WorkloadSpec& w, const ParallelSpec& p, int gpus, int gpus_per_node)
    : gpus_(gpus),
      gpus_per_node_(gpus_per_node),
      pp_(p.pp),
      tp_(p.tp),
      ep_(w.model.moe.routed_experts > 0 ? p.ep : 1) {
  switch (w.simulate_ranks) {
    case RankScope::all: representative_ = false; break;
    case RankScope::representative: representative_ = true; break;
    case RankScope::automatic: representative_ = gpus > kAllRanksLimit; break;
  }
  simulated_.resize(pp_);
  for (int s = 0; s < pp_; ++s) {
    if (representative_) {
      simulated_[s] = {stage_first(s)};
    } else {
      for (int r = stage_first(s); r < stage_first(s) + stage_size(); ++r) simulated_[s].push_back(r);
    }
  }
}

std::vector<int> Layout::tp_group(int rank) const {
  int first = rank - rank % tp_;
  std::vector<int> out;
  for (int r = first; r < first + tp_; ++r) out.push_back(r);
  return out;
}

std::vector<int> Layout::ep_group(int rank) const {
  int base = stage_first(stage_of(rank));
  int first = base + (rank - base) / ep_ * ep_;
  std::vector<int> out;
  for (int r = first; r < first + ep_; ++r) out.push_back(r);
  return out;
}

std::vector<int> Layout::dense_dp_group(int rank) const {
  int base = stage_first(stage_of(rank));
  std::vector<int> out;
  for (int r = base + rank % tp_; r < base + stage_size(); r += tp_) out.push_back(r);
  return out;
}

std::vector<int> Layout::expert_dp_group(int rank) const {
  int base = stage_first(stage_of(rank));
  std::vector<int> out;
  for (int r = base + (rank - base) % ep_; r < base + stage_size(); r += ep_) out.push_back(r);
  return out;
}

std::vector<int> Layout::simulated_all() const {
  std::vector<int> out;
  for (const auto& s : simulated_) out.insert(out.end(), s.begin(), s.end());
  return out;
}

}  // namespace strata::workloads
