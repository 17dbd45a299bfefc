// Fluid (flow-level) bandwidth sharing: flows that start together share resources (channels,
// ECMP channel groups, switch reduction engines) max-min fairly (progressive filling); whenever
// flows finish, the rest are re-shared. A flow puts `weight` x its rate on each resource it uses.
#pragma once

#include <cstddef>
#include <vector>

namespace strata::models {

class MaxMinSolver {
 public:
  /// Completions within `batching` (relative to the elapsed time) are taken together: the
  /// earlier ones keep their own finish time, the freed capacity is re-shared a little late,
  /// so results err on the slow side by at most that fraction. 0 = exact event by event.
  explicit MaxMinSolver(double batching = 0) : batching_(batching) {}

  /// Room for `flows` flows with `uses` resource uses in all, to add them without regrowing.
  void reserve(size_t flows, size_t uses);
  int add_resource(double capacity);
  /// Starts adding a flow of `bytes`; follow with use() for each resource it crosses.
  int add_flow(double bytes);
  void use(int resource, double weight = 1.0);

  /// A lower bound of the last finish time: no resource carries more than its capacity, so
  /// the most loaded one (weighted bytes / capacity) needs at least that long.
  double load_bound() const;
  /// Runs every flow to completion; returns each flow's finish time (s from the start).
  std::vector<double> run();
  /// Rate of each flow in the first sharing round (bytes/s), after run().
  const std::vector<double>& initial_rates() const { return initial_rates_; }
  int rounds() const { return rounds_; }  ///< sharing rounds run() needed

 private:
  /// Max-min fair rates of the live flows (rate[f] for each f in `active`).
  void share(const std::vector<int>& active, std::vector<double>& rate);
  /// Flows on each resource (CSR over the live flows); rebuilt as finished flows pile up.
  void index_live(const std::vector<int>& active);

  double batching_;
  std::vector<double> capacity_;
  std::vector<double> bytes_;
  std::vector<int> first_;           ///< per flow: start of its uses (CSR), plus one past the end
  std::vector<int> use_resource_;
  std::vector<double> use_weight_;
  std::vector<double> initial_rates_;
  int rounds_ = 0;
  // State of run(): live flows per resource, their weight and count (finished flows leave).
  std::vector<int> on_start_, on_flows_;
  std::vector<double> live_weight_;
  std::vector<int> live_uses_;
  std::vector<int> live_resources_;
  std::vector<char> done_;
  size_t indexed_uses_ = 0, live_total_uses_ = 0;
  // Scratch for share().
  std::vector<double> used_, weight_sum_;
  std::vector<int> unfrozen_uses_;
  std::vector<char> frozen_;
};

}  // namespace strata::models
