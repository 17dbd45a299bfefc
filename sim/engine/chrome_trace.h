// A run's timeline as a Chrome / Perfetto trace (JSON "traceEvents"): one process per simulated
// GPU, one thread per stream, one complete event per op with its class, kind, FLOPs, bytes and
// bound, and counter tracks of the GPU's clock (MHz) and power (W) per power-controller window.
// Open it in ui.perfetto.dev or chrome://tracing.
#pragma once

#include <iosfwd>
#include <vector>

#include "models/power/power_controller.h"
#include "sim/engine/executor.h"
#include "workloads/workload.h"

namespace strata::sim {

/// `windows`: per entry of w.devices (may be empty: no counter tracks).
void write_chrome_trace(const workloads::Workload& w, const Timeline& t, std::ostream& out,
                        const std::vector<std::vector<models::PowerWindow>>& windows = {});

}  // namespace strata::sim
