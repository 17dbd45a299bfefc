// Turns a timeline into the summary scalars and tables every run writes.
#pragma once

#include "models/network_model.h"
#include "sim/engine/executor.h"
#include "sim/engine/scenario.h"
#include "sim/results/result.h"
#include "workloads/workload.h"

namespace strata::sim {

/// Per-device time split of one device's timeline: GPU time by op class and by pass (sums of
/// kernel durations), the compute busy time (the union of the compute kernels' intervals over
/// every stream: a second compute stream overlapping the first adds only what it does not
/// overlap), communication not hidden behind computation, and idle time (the pipeline bubble
/// in training). compute by class (or by pass) + concurrent_compute + exposed communication +
/// idle add up to the makespan. Host (CPU) ops of replayed traces are not GPU time.
struct TimeSplit {
  double compute_by_class[workloads::kOpClassCount] = {};
  double compute_by_pass[workloads::kPassCount] = {};
  double compute_busy_s = 0;      ///< union of compute kernels' intervals
  double concurrent_compute_s = 0;  ///< compute_busy_s - sum of compute kernels' durations (<= 0)
  double exposed_comm_s = 0;
  double exposed_comm_by_pass[workloads::kPassCount] = {};  ///< the same, by the waited-for collective's pass
  double idle_s = 0;
};

TimeSplit split_device_time(const Timeline& t, const workloads::OpGraph& g, int device);

void add_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                const Timeline& t, const models::NetworkModel& net);

}  // namespace strata::sim
