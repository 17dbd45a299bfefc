// Invariant of every priced schedule: bytes are neither lost, duplicated nor misrouted. At each
// vertex, the bytes its incoming channels carry minus those its outgoing channels carry equal
// the bytes the schedule delivers to it minus those it sends from it (a switch that reduces
// in-network is the destination of what it sums and the source of the sum). On a single link
// this is "bytes sent = bytes received"; over a route, every hop carries what the source sent.
#pragma once

#include <vector>

#include "models/network/schedule.h"
#include "models/network/topology.h"

namespace strata::models {

/// Throws std::logic_error ("invariant violated: flow conservation ...") naming the first
/// vertex whose channel loads do not balance. `channel_bytes` holds what each channel carried
/// for the whole schedule. Cost: one pass over the transfers and one over the channels.
void check_flow_conservation(const Topology& t, const Schedule& s, const std::vector<double>& channel_bytes);

}  // namespace strata::models
