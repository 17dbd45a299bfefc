// The cluster executor: walks the op DAG in dependency order and gives every op a start and an
// end. Streams are in-order queues (the DAG holds their order as edges), so an op starts when
// all its predecessors have ended; durations come from the op-cost and network seams.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "models/network_model.h"
#include "models/op_cost.h"
#include "workloads/op_graph.h"

namespace strata::sim {

struct OpRecord {
  size_t op = 0;    ///< index into the graph's ops
  int device = 0;   ///< rank (collectives get one record per participant)
  double start_s = 0;
  double end_s = 0;
  double bound_s = 0;  ///< roofline (compute/memory) or line-rate bound of this op
};

struct Timeline {
  std::vector<OpRecord> records;  ///< sorted by device, then start, then op
  double makespan_s = 0;
  std::vector<double> link_bytes;   ///< per NetworkModel link
  std::vector<double> link_busy_s;  ///< per NetworkModel link
};

/// A collective whose size the trace does not give (DeepEP's kernels in a profiler trace) but
/// whose time it measured: it keeps that time and is not priced by the network.
bool kept_at_measured_time(const workloads::OpGraph& g, const workloads::Op& op);

/// Called with the fraction of ops priced so far (about every 1%).
using ExecuteProgress = std::function<void(double fraction)>;

/// Throws std::logic_error naming the invariant when a cost model returns a time below its own
/// lower bound, or a negative or non-finite duration (simulated time would not advance).
Timeline execute(const workloads::OpGraph& g, models::OpCostModel& ops,
                 const models::NetworkModel& net, const ExecuteProgress& progress = {});

/// Time and bound of the non-collective op `id`.
using OpTimer = std::function<models::OpCost(workloads::OpGraph::OpId id)>;

/// The network's price of each stored collective, kept across runs of the same graph (a
/// collective's time does not depend on the chip clock).
using CollectivePrices = std::vector<std::optional<models::CollectiveCost>>;

/// The same walk with every non-collective op timed by `time` (the power controller re-times
/// ops at their own clocks); `prices` is filled on first use and reused after. `cost_name`
/// names the op costs in invariant messages.
Timeline execute_timed(const workloads::OpGraph& g, const OpTimer& time, const char* cost_name,
                       const models::NetworkModel& net, CollectivePrices& prices,
                       const ExecuteProgress& progress = {});

}  // namespace strata::sim
