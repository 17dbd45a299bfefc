// The network backend a scenario asks for, built on a topology.
#pragma once

#include <memory>

#include "models/network/network_options.h"
#include "models/network/scheduled_network.h"

namespace strata::models {

/// The packet backend runs SystemC: at most one per process (the kernel cannot be reset).
std::unique_ptr<ScheduledNetwork> make_network(std::shared_ptr<const Topology> topo,
                                               const NetworkOptions& options);

}  // namespace strata::models
