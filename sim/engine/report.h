// Turns a timeline into the summary scalars and tables every run writes.
#pragma once

#include "models/network_model.h"
#include "sim/engine/executor.h"
#include "sim/engine/scenario.h"
#include "sim/results/result.h"
#include "workloads/decode_step.h"

namespace strata::sim {

/// Per-device time split of one device's timeline: compute time by op class, communication
/// not hidden behind compute, and idle time; the parts add up to the makespan.
struct TimeSplit {
  double compute_by_class[workloads::kOpClassCount] = {};
  double exposed_comm_s = 0;
  double idle_s = 0;
};

TimeSplit split_device_time(const Timeline& t, const workloads::OpGraph& g, int device);

void add_report(results::Result& r, const ScenarioSpec& spec, const workloads::Workload& w,
                const Timeline& t, const models::NetworkModel& net);

}  // namespace strata::sim
