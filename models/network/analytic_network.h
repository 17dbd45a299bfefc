// Analytical network: each GPU has a scale-up port (its NVLinks into a non-blocking switch) and
// a share of the node's NICs, each a transmit and a receive link. A collective lasts one hop
// latency per algorithm step plus the time its busiest link needs to carry its bytes at line
// rate (collectives given by size run as rings: ring_algorithms.h).
#pragma once

#include "hw/hardware.h"
#include "models/network_model.h"

namespace strata::models {

class AnalyticNetwork : public NetworkModel {
 public:
  AnalyticNetwork(const hw::HardwareSpec& hw, int nodes);

  CollectiveCost cost(const workloads::Collective& c) const override;
  const std::vector<LinkInfo>& links() const override { return links_; }
  const char* name() const override { return "analytic"; }

  int node_of(int rank) const { return rank / gpus_per_node_; }

 private:
  enum Port { kUpTx = 0, kUpRx = 1, kOutTx = 2, kOutRx = 3 };
  int link_index(int rank, Port p) const { return rank * 4 + p; }

  std::vector<LinkInfo> links_;
  int gpus_per_node_;
  double up_latency_s_, out_latency_s_;
};

}  // namespace strata::models
