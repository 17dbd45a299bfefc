// Serving units from simulated scenarios: a decode unit is one scenario; a prefill unit is
// one deployment choice over every prompt length of the demand (demand.h: prefill_mix).
#pragma once

#include <vector>

#include "sim/plan/evaluate.h"
#include "sim/plan/sizing.h"

namespace strata::plan {

struct OptionUnits {
  std::vector<Unit> prefill, decode;
};

/// Units of option `option` from its points (candidates.h order) and their outcomes.
OptionUnits build_units(const std::vector<ScenarioPoint>& points, const std::vector<Outcome>& outcomes, size_t option,
                        double percentile);

}  // namespace strata::plan
