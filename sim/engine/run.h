// One scenario end to end: hardware -> models + workload -> executor -> Result.
#pragma once

#include <functional>
#include <string>

#include "sim/engine/scenario.h"
#include "sim/results/result.h"

namespace strata::sim {

/// Version and `git describe` of this build.
std::string strata_version();
std::string strata_git_describe();

/// How far a run is: the stage ("workload", "simulate", "report") and the fraction of the
/// whole run done, 0..1. Called from the simulating thread; may be empty.
using RunProgress = std::function<void(const std::string& stage, double fraction)>;

/// Simulates the scenario; throws std::invalid_argument for an impossible setup and
/// std::logic_error for a broken model invariant.
results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress = {});

}  // namespace strata::sim
