// One scenario end to end: hardware -> models + workload -> executor -> Result.
#pragma once

#include <string>

#include "sim/engine/scenario.h"
#include "sim/results/result.h"

namespace strata::sim {

/// Version and `git describe` of this build.
std::string strata_version();
std::string strata_git_describe();

/// Simulates the scenario; throws std::invalid_argument for an impossible setup and
/// std::logic_error for a broken model invariant.
results::Result run_scenario(const LoadedScenario& sc);

}  // namespace strata::sim
