// A trace as the workload (workload.source: trace): a strata trace (docs/trace-format.md) or
// PyTorch profiler traces (a file, or a folder with one per rank), checked against the cluster.
#pragma once

#include "workloads/workload.h"

namespace strata::workloads {

/// Throws std::invalid_argument for an unreadable or malformed trace, or one whose ranks do
/// not fit in `gpus` GPUs.
Workload replay_workload(const WorkloadSpec& w, int gpus);

}  // namespace strata::workloads
