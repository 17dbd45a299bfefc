// Collective algorithms as schedules of transfers on a topology: ring, double binary tree and
// NVLink SHARP (NVLS) for all-reduce and its halves, chains for broadcast, direct flows for
// all-to-all and point-to-point, and DeepEP's two expert-parallel schemes (node-forwarded
// normal kernels, per-expert low-latency kernels).
//
// A plan in detail has one phase per algorithm step and tags every transfer with the chunk or
// token it carries, so tests can replay the data and check every rank ends with exactly its
// result. The pipelined plan the network models price merges the steps of a pipelined stage
// into one phase (steps counted for latency) and merges transfers per (source, destination).
#pragma once

#include <string>
#include <vector>

#include "models/network/schedule.h"
#include "models/network/topology.h"
#include "workloads/op.h"

namespace strata::models {

/// Why `a` cannot carry `c` on `t`, or "" when it can.
std::string unsupported_reason(const workloads::Collective& c, workloads::CollectiveAlgorithm a,
                               const Topology& t);

/// Algorithms that can carry `c` on `t`, automatic excluded.
std::vector<workloads::CollectiveAlgorithm> candidate_algorithms(const workloads::Collective& c,
                                                                 const Topology& t);

/// The schedule of `a` for `c`; throws std::invalid_argument when `a` cannot carry `c`.
/// `ep_store_bytes`: NVLink write size of the DeepEP kernels (node_forwarded, per_expert).
Schedule plan_collective(const workloads::Collective& c, workloads::CollectiveAlgorithm a,
                         const Topology& t, bool detail, double ep_store_bytes = 0);

/// Ring orders, one per channel: several rings (one per NIC rail) when the ranks span nodes,
/// each entering and leaving nodes on the same rail where it can (NCCL's rings do likewise).
std::vector<std::vector<int>> ring_channels(const std::vector<int>& ranks, const Topology& t);

/// The switch vertex that can reduce for all `ranks` (NVLS), or -1.
int reduction_switch(const std::vector<int>& ranks, const Topology& t);

}  // namespace strata::models
