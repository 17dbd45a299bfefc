// A run's timeline as a Chrome / Perfetto trace (JSON "traceEvents"): one process per simulated
// GPU, one thread per stream, one complete event per op with its class, kind, FLOPs, bytes and
// bound. Open it in ui.perfetto.dev or chrome://tracing.
#pragma once

#include <iosfwd>

#include "sim/engine/executor.h"
#include "workloads/workload.h"

namespace strata::sim {

void write_chrome_trace(const workloads::Workload& w, const Timeline& t, std::ostream& out);

}  // namespace strata::sim
