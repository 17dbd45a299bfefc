#include "sim/plan/run_plan.h"

#include <cmath>
#include <filesystem>
#include <cstdlib>
#include <map>

#include "models/network/bill_of_materials.h"
#include "models/network/topology.h"
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

  std::vector<int> pod_nodes;  // per option: the nodes of the fabric its cluster preset describes
  for (size_t i = 0; i < spec.options.size(); ++i) {
    const OptionSpec& o = spec.options[i];
    const config::Node* at = option_node(run.plan, i).find("cluster");
    if (!fs::is_regular_file(o.cluster))
      throw config::ConfigError(at->origin, "options." + std::to_string(i) + ".cluster",
                                "cannot open '" + o.cluster + "' (paths are relative to the plan file)");
    const config::Node preset = config::load_tree(o.cluster);
    const config::Node* cluster = preset.find("cluster");
    const config::Node* nodes = cluster ? cluster->find("nodes") : nullptr;
    pod_nodes.push_back(nodes && nodes->is_scalar() ? std::max(1, std::atoi(nodes->scalar.c_str())) : 1);
    std::vector<ScenarioPoint> pts = option_points(run.plan, i, preset);
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
    // A fleet is built of fabrics as its cluster preset describes them (`cluster.nodes` of the
    // option's file, or one unit if that is larger), and uses its share of them: the fabric's bill
    // of materials per node times the fleet's nodes. A unit alone would carry a whole fabric's
    // leaves and spines.
    const int preset_nodes = pod_nodes[i];
    std::map<size_t, std::pair<NetworkCounts, double>> fabrics;  // unit's first point -> (fabric, its nodes)
    in.fleet_network = [&run, &spec, &fabrics, i, preset_nodes](const Unit& u, int units) {
      auto it = fabrics.find(u.points.front());
      if (it == fabrics.end()) {
        sim::ScenarioSpec s = sim::bind_scenario(run.points[u.points.front()].tree, spec.options[i].cluster).spec;
        s.cluster.nodes = std::max(preset_nodes, static_cast<int>(std::lround(u.nodes)));
        const models::Topology t(s.hardware, s.cluster);
        const models::BillOfMaterials b = models::bill_of_materials(t, s.hardware, s.cluster);
        NetworkCounts n{double(b.network_switch_chips), double(b.transceivers), double(b.optical_engines),
                        double(b.copper_cables), double(b.fibres), b.power_w, b.capital_usd};
        it = fabrics.emplace(u.points.front(), std::make_pair(n, double(s.cluster.nodes))).first;
      }
      return it->second.first.scaled(units * u.nodes / it->second.second);
    };
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
