#include "models/network/backends.h"

#include "models/network/flow_network.h"
#include "models/network/packet_network.h"

namespace strata::models {

std::unique_ptr<ScheduledNetwork> make_network(std::shared_ptr<const Topology> topo,
                                               const NetworkOptions& options) {
  if (options.backend == NetworkBackend::packet)
    return std::make_unique<PacketNetwork>(std::move(topo), options);
  return std::make_unique<FlowNetwork>(std::move(topo), options);
}

}  // namespace strata::models
