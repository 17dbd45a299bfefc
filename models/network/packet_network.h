// Packet-level network backend (SystemC, TLM-2.0 loosely timed with temporal decoupling): every
// channel of the topology is a PacketLink, every vertex a PacketSwitch. A phase's transfers are
// sent as packet trains by their source vertices; the phase lasts until the last train's tail
// reaches its destination, plus the same message latencies the flow backend adds.
//
// SystemC cannot be restarted: build at most one PacketNetwork per process (validation cases and
// tests each run in their own process). Phases of successive price() calls run one after another
// in the same simulation.
#pragma once

#include <memory>

#include "models/link/packet_link.h"
#include "models/network/scheduled_network.h"
#include "models/switch/packet_switch.h"

namespace strata::models {

class PacketNetwork : public ScheduledNetwork {
 public:
  PacketNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options);
  ~PacketNetwork() override;

  ScheduleCost price(const Schedule& s) const override;
  const char* name() const override { return "packet"; }

  // The SystemC parts, for tests.
  const PacketLink& link(int channel) const;
  const PacketSwitch& vertex(int v) const;
  /// Simulated time now (the end of the last priced schedule).
  double now_s() const;

 private:
  struct Fabric;
  std::unique_ptr<Fabric> fabric_;
};

}  // namespace strata::models
