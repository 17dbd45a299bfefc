// Collectives given by size (all-reduce, reduce-scatter, all-gather, broadcast) as the traffic
// of NCCL-style ring algorithms: each rank sends to the next rank in `ranks` order, in steps of
// bytes / ranks. Network models price the resulting flows on their links.
#pragma once

#include <vector>

#include "workloads/op.h"

namespace strata::models {

struct RingTraffic {
  std::vector<workloads::Flow> flows;  ///< total bytes each ring hop carries over the collective
  int steps = 0;                       ///< sequential steps, each paying one hop latency
};

/// Explicit-flow collectives (all_to_all, send_recv) come back as they are, in one step.
RingTraffic ring_traffic(const workloads::Collective& c);

}  // namespace strata::models
