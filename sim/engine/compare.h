// Measured against simulated: a PyTorch profiler trace and a strata result of the same
// configuration (a replay of that trace, or a generated workload), per step, per op class and
// per phase (the trace's user annotations; the result's `phase` column).
#pragma once

#include <string>
#include <vector>

#include "sim/results/result.h"

namespace strata::sim {

struct CompareRow {
  std::string what;   ///< "step", "class", "phase"
  std::string name;   ///< class or phase name ("" for step)
  double measured_s = 0;
  double simulated_s = 0;
  double error = 0;  ///< (simulated - measured) / measured; 0 when nothing was measured
};

/// Per device and step: busy time per class and per phase (mean over the devices each side
/// has), and the step time (trace: span of its kernels over its profiler steps).
std::vector<CompareRow> compare_trace(const std::string& trace_path, const results::Result& result);

std::string format_compare(const std::vector<CompareRow>& rows);
results::Result compare_result(const std::vector<CompareRow>& rows);

}  // namespace strata::sim
