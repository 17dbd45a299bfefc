// `strata plan` end to end: load the plan, build every option's scenarios, simulate them (or
// reuse stored results), build serving units, choose and size each option; then write the
// report, plan.h5 and the CSV tables (plan_tables.h, report_html.h).
#pragma once

#include <string>
#include <vector>

#include "sim/plan/evaluate.h"
#include "sim/plan/sizing.h"
#include "sim/plan/units.h"

namespace strata::plan {

struct PlanRun {
  LoadedPlan plan;
  Rates rates;
  double peak_factor = 1;
  double decode_context = 0;          ///< mean KV context of a decode step (tokens)
  std::vector<ScenarioPoint> points;  ///< every option's scenarios, option by option
  std::vector<Outcome> outcomes;      ///< one per point
  std::vector<OptionUnits> units;     ///< per option
  std::vector<OptionPlan> options;    ///< per option
  std::vector<std::string> chips;     ///< per option: chip name of its scenarios
};

/// Runs the plan; simulated scenarios go to `dir`/scenarios. Bad input is a config::ConfigError
/// (an option's cluster file, an option none of whose scenarios validates).
PlanRun run_plan(const std::string& path, const std::vector<std::string>& overrides, const std::string& dir,
                 int jobs, const PlanProgress& progress = {});

}  // namespace strata::plan
