#include "sim/plan/run_plan.h"

#include <filesystem>

#include "sim/config/error.h"
#include "sim/config/loader.h"

namespace strata::plan {
namespace fs = std::filesystem;
using workloads::Phase;

namespace {

const config::Node& option_node(const LoadedPlan& plan, size_t i) { return plan.tree.find("options")->items[i]; }

/// An option whose scenarios of one phase all fail to validate is a mistake in the plan.
void check_option_points(const LoadedPlan& plan, size_t option, const std::vector<ScenarioPoint>& pts) {
  for (Phase phase : {Phase::prefill, Phase::decode}) {
    const ScenarioPoint* first = nullptr;
    bool any = false;
    for (const ScenarioPoint& p : pts)
      if (p.choice.phase == phase) {
        any = any || p.invalid.empty();
        if (!first) first = &p;
      }
    if (!any && first)
      throw config::ConfigError(option_node(plan, option).origin, "options." + std::to_string(option),
                                std::string("no ") + workloads::phase_name(phase) + " scenario of option '" +
                                    plan.spec.options[option].name + "' validates; the first: " + first->invalid);
  }
}

}  // namespace

PlanRun run_plan(const std::string& path, const std::vector<std::string>& overrides, const std::string& dir,
                 int jobs, const PlanProgress& progress) {
  PlanRun run;
  run.plan = load_plan(path, overrides);
  const PlanSpec& spec = run.plan.spec;
  run.rates = demand_rates(spec.demand);
  run.peak_factor = peak_factor(spec.demand);
  run.decode_context = decode_context(spec.demand.prompt_lengths, spec.demand.output_lengths);

  for (size_t i = 0; i < spec.options.size(); ++i) {
    const OptionSpec& o = spec.options[i];
    const config::Node* at = option_node(run.plan, i).find("cluster");
    if (!fs::is_regular_file(o.cluster))
      throw config::ConfigError(at->origin, "options." + std::to_string(i) + ".cluster",
                                "cannot open '" + o.cluster + "' (paths are relative to the plan file)");
    std::vector<ScenarioPoint> pts = option_points(run.plan, i, config::load_tree(o.cluster));
    check_option_points(run.plan, i, pts);
    std::string chip;
    for (const ScenarioPoint& p : pts)
      if (p.invalid.empty()) {
        chip = sim::bind_scenario(p.tree, o.cluster).spec.hardware.chip.name;
        break;
      }
    run.chips.push_back(chip);
    for (ScenarioPoint& p : pts) run.points.push_back(std::move(p));
  }

  run.outcomes = evaluate_points(run.points, dir, jobs, progress);

  for (size_t i = 0; i < spec.options.size(); ++i) {
    run.units.push_back(build_units(run.points, run.outcomes, i, spec.targets.percentile));
    PlanInputs in;
    in.rates = run.rates;
    in.kv_hit_rate = spec.demand.kv_hit_rate;
    in.targets = spec.targets;
    in.economics = spec.economics;
    in.prices = spec.token_prices;
    in.nodes_per_rack = spec.options[i].nodes_per_rack;
    OptionPlan p = plan_option(spec.options[i].name, run.units[i].prefill, run.units[i].decode, in);
    if (p.feasible) {
      const Unit& u = run.units[i].decode[*p.decode];
      std::string process =
          sim::bind_scenario(run.points[u.points.front()].tree, spec.options[i].cluster).spec.hardware.chip.node.name;
      count_supply(p, u, process, spec.supply);
    }
    run.options.push_back(std::move(p));
  }
  return run;
}

}  // namespace strata::plan
