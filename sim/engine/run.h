// One scenario end to end: hardware -> models + workload -> executor -> Result.
#pragma once

#include <functional>
#include <string>

#include "models/power/power_controller.h"
#include "sim/engine/executor.h"
#include "sim/engine/scenario.h"
#include "sim/results/result.h"
#include "workloads/workload.h"

namespace strata::sim {

/// Version and `git describe` of this build.
std::string strata_version();
std::string strata_git_describe();

/// How far a run is: the stage ("workload", "simulate", "report") and the fraction of the
/// whole run done, 0..1. Called from the simulating thread; may be empty.
using RunProgress = std::function<void(const std::string& stage, double fraction)>;

/// Everything one run produces: the workload it simulated, its timeline and the result.
struct Simulation {
  workloads::Workload workload;
  Timeline timeline;
  std::vector<std::vector<models::PowerWindow>> power_windows;  ///< per simulated GPU (Workload::devices)
  results::Result result;
};

/// Simulates the scenario; throws std::invalid_argument for an impossible setup and
/// std::logic_error for a broken model invariant.
Simulation simulate(const LoadedScenario& sc, const RunProgress& progress = {});
results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress = {});

}  // namespace strata::sim
