// Measured against simulated: a PyTorch profiler trace and a strata result of the same
// configuration (a replay of that trace, or a generated workload), per device and step: the
// span, compute busy time (the union over compute streams, and the main compute stream alone),
// per op class, per phase, small kernels per family and DeepEP's kernels.
//
// Phases are matched by name: a trace kernel's phase is the innermost user annotation around
// its launch (workloads/kineto.h, the same rule the replay uses), a result op's is its `phase`
// column; generated training ops carry DeepSeek's annotation names ("attn(F)", "mlp(B)",
// "dispatch(F)", ...). Kernels or ops with no phase are reported as "unattributed", never
// dropped. Times per class, phase and family are sums of kernel durations; busy times are
// unions of intervals.
#pragma once

#include <string>
#include <vector>

#include "sim/results/result.h"

namespace strata::sim {

struct CompareRow {
  /// "span" (first kernel start to last kernel end; the result's step time), "busy" (compute:
  /// union over compute streams; compute_stream: the main compute stream; communication: union
  /// of communication kernels), "class", "phase" (kernel time summed), "phase_busy" (the union
  /// of the phase's kernel intervals), "small" (small kernels: "all" and per family),
  /// "deepep" ("all", "ep_dispatch", "ep_combine")
  std::string what;
  std::string name;
  double measured_s = 0;
  double simulated_s = 0;
  double error = 0;  ///< (simulated - measured) / measured; 0 when nothing was measured
};

struct Comparison {
  std::string trace;  ///< what the trace holds: ranks of the world, device, steps, kernels
  std::vector<CompareRow> rows;
  /// The trace and the result describe different configurations (world size against the
  /// result's GPUs, device type, another trace replayed): what differs.
  std::vector<std::string> warnings;
};

/// Per device and step, means over the devices each side has.
Comparison compare_trace(const std::string& trace_path, const results::Result& result);

/// The result's side alone (measured 0): the same rows for a generated profile that validation
/// holds to figures computed from a trace.
std::vector<CompareRow> profile_rows(const results::Result& result);

/// The row named (what, name), or null.
const CompareRow* find_row(const Comparison& c, const std::string& what, const std::string& name);

std::string format_compare(const Comparison& c);
results::Result compare_result(const Comparison& c);

}  // namespace strata::sim
