// Runs a plan's scenarios and reads back what the plan needs from each result. Each scenario
// runs in a forked child (SystemC cannot restart in one process, so cycle fidelity works too,
// and a failing point is reported, not fatal) that writes the result file the report links to;
// a result already in the output directory from the same scenario and the same build is
// reused, so a plan run again with other demand or prices simulates nothing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/plan/candidates.h"
#include "sim/results/result.h"

namespace strata::plan {

/// What a plan reads from one scenario result (summary scalars by name; NaN when absent).
struct ScenarioMetrics {
  double step_time_s = 0;
  double tokens_per_s = 0;                  ///< decode: output; prefill: new (computed) input tokens
  double input_tokens_per_s_with_cache = 0; ///< prefill
  double tokens_per_step = 0;
  double time_to_first_token_s = 0;         ///< prefill
  double time_per_output_token_s = 0;       ///< decode
  double gpus = 0, nodes = 0;
  double memory_fits = 0;
  double memory_required_b = 0, memory_capacity_b = 0;
  // From the power and cost model (issue 7):
  double it_power_w = 0;                    ///< whole unit
  double power_per_gpu_w = 0;
  double accelerator_price_usd = 0;
  double accelerator_cost_usd = 0;
  double logic_wafers_per_1000_gpus = 0;
  double cowos_wafers_per_1000_gpus = 0;
  double hbm_stacks_per_gpu = 0;
  double clock_hz = 0;
  // From the network's bill of materials (issue 21):
  double network_power_w = 0;               ///< rated, outside the nodes (in it_power already)
  double network_capital_usd = 0;
  double network_switch_chips = 0, transceivers = 0, optical_engines = 0, copper_cables = 0, fibres = 0;
};

/// Reads the metrics; a missing summary scalar is NaN (see missing_metrics).
ScenarioMetrics read_metrics(const results::Result& r);
/// Names of the scalars the plan needs that `r` lacks.
std::vector<std::string> missing_metrics(const results::Result& r);

/// One scenario's outcome.
struct Outcome {
  bool ok = false;
  bool reused = false;  ///< the result file was already there
  std::string error;    ///< invalid scenario or failed run
  ScenarioMetrics metrics;
};

/// Called as each point is settled (from worker threads, one at a time; simulated points carry
/// no metrics yet).
using PlanProgress = std::function<void(size_t done, size_t total, const ScenarioPoint& p, const Outcome& o)>;

/// Simulates every valid point (up to `jobs` at a time) into `dir`/point.file and reads the
/// results back, in point order.
std::vector<Outcome> evaluate_points(const std::vector<ScenarioPoint>& points, const std::string& dir, int jobs,
                                     const PlanProgress& progress = {});

}  // namespace strata::plan
