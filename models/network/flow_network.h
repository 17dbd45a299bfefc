// Flow-level network backend: each transfer of a phase is a fluid flow along its route; flows
// share channels max-min fairly and are re-shared as they finish (max_min.h). An ECMP hop that
// spreads a flow over several channels in proportion to their capacity is one resource, which
// keeps million-flow all-to-alls cheap; a phase takes its fluid makespan plus its latency.
#pragma once

#include "models/network/scheduled_network.h"

namespace strata::models {

class FlowNetwork : public ScheduledNetwork {
 public:
  FlowNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options);

  ScheduleCost price(const Schedule& s) const override;
  /// Per phase: the most loaded resource's bytes / capacity, plus the phase's latency.
  double lower_bound(const Schedule& s) const override;
  const char* name() const override { return "flow"; }

  /// The fluid part of a phase alone (no latency): each transfer's finish time.
  std::vector<double> transfer_finish_times(const Phase& p) const;

 private:
  /// The phase's fluid makespan plus its latency; with `bound_only` the load bound instead of
  /// the makespan (no solving).
  double phase_time(const Phase& p, std::vector<double>& channel_bytes, bool grouped, bool& conflict,
                    std::vector<double>* finish, bool bound_only = false) const;
};

}  // namespace strata::models
