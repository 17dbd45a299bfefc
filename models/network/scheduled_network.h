// What both network backends share: a topology, link descriptions for the results, and turning
// a collective into a schedule (choosing the algorithm when it is automatic). A backend only
// prices schedules.
#pragma once

#include <memory>
#include <vector>

#include "models/network/network_options.h"
#include "models/network/schedule.h"
#include "models/network/topology.h"
#include "models/network_model.h"

namespace strata::models {

/// A priced schedule.
struct ScheduleCost {
  double time_s = 0;
  std::vector<double> phase_s;       ///< duration of each phase
  std::vector<double> channel_bytes; ///< per topology channel
};

class ScheduledNetwork : public NetworkModel {
 public:
  ScheduledNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options);

  CollectiveCost cost(const workloads::Collective& c) const override;
  const std::vector<LinkInfo>& links() const override { return links_; }

  /// Prices one schedule.
  virtual ScheduleCost price(const Schedule& s) const = 0;
  /// A time price(s) cannot beat (0 when the backend knows none); cost() skips an algorithm
  /// whose bound already loses to the best one priced.
  virtual double lower_bound(const Schedule&) const { return 0; }
  /// Algorithms cost() tries for `c`: its own, the configured one, or every candidate.
  std::vector<workloads::CollectiveAlgorithm> algorithms_for(const workloads::Collective& c) const;

  const Topology& topology() const { return *topo_; }
  const NetworkOptions& options() const { return options_; }

 protected:
  /// The latency part of a phase: steps x (longest route latency + its message overhead).
  double phase_latency(const Phase& p) const;

 private:
  std::shared_ptr<const Topology> topo_;
  NetworkOptions options_;
  std::vector<LinkInfo> links_;
};

}  // namespace strata::models
