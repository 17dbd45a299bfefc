#include "sim/engine/run.h"

#include <cmath>
#include <memory>

#include "models/network/backends.h"
#include "models/replay/measured_cost.h"
#include "models/roofline/roofline.h"
#include "sim/engine/bom_report.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/kernel_cache.h"
#include "sim/engine/power_report.h"
#include "sim/engine/report.h"
#include "sim/version.h"

namespace strata::sim {

std::string strata_version() { return STRATA_VERSION; }
std::string strata_git_describe() { return STRATA_GIT_DESCRIBE; }

namespace {

/// The model that prices kernels at the scenario's fidelity.
std::unique_ptr<models::OpCostModel> kernel_costs(const ScenarioSpec& spec, KernelCache& cache) {
  // SMs reserved for communication kernels are not there for compute.
  const int sms = spec.hardware.chip.sm_count - spec.parallel.comm_sms;
  switch (spec.fidelity) {
    case Fidelity::cycle:
      return std::make_unique<CycleCostModel>(spec.hardware, sms, cache, CycleCostModel::Mode::simulate);
    case Fidelity::cached:
      return std::make_unique<CycleCostModel>(spec.hardware, sms, cache, CycleCostModel::Mode::cache_only);
    case Fidelity::analytical:
      break;
  }
  return std::make_unique<models::Roofline>(spec.hardware.chip, spec.hardware.memory, spec.parallel.comm_sms);
}

}  // namespace

Simulation simulate(const LoadedScenario& sc, const RunProgress& progress) {
  auto report = [&](const char* stage, double fraction) {
    if (progress) progress(stage, fraction);
  };
  const ScenarioSpec& spec = sc.spec;
  const workloads::WorkloadSpec& ws = spec.workload;
  KernelCache cache(KernelCache::default_dir());
  auto topology = std::make_shared<models::Topology>(spec.hardware, spec.cluster);
  std::unique_ptr<models::ScheduledNetwork> network = models::make_network(topology, spec.network);
  const models::NetworkModel& net = *network;
  Simulation s;
  report("workload", 0.0);
  s.workload = workloads::generate(ws, spec.parallel, spec.gpus(), spec.hardware.gpus_per_node,
                                   static_cast<uint64_t>(spec.seed));
  const bool replay = ws.source == workloads::Source::trace;
  std::string cost_model_name;
  PowerAccount account;
  int simulations = 0;
  // One simulation at `clock`: kernels priced at that clock, energy counted.
  auto simulate_at = [&](double clock) {
    ScenarioSpec at = spec;
    at.hardware.chip.clock_hz = clock;
    std::unique_ptr<models::OpCostModel> model = kernel_costs(at, cache);
    // A replay keeps measured kernel times (scaled by clock); otherwise ops are priced by the model.
    double scale = replay && ws.trace.clock_hz > 0 ? ws.trace.clock_hz / clock : 1.0;
    models::MeasuredCost measured(*model, scale, ws.trace.timing == workloads::TraceTiming::measured);
    models::OpCostModel& cost = replay ? static_cast<models::OpCostModel&>(measured) : *model;
    cost_model_name = cost.name();
    // Building the op graph and reporting are a tenth of the run each; a power-capped run
    // simulates again at lower clocks, each time in half the remaining range.
    const double a = 1.0 - std::pow(0.5, simulations), b = 1.0 - std::pow(0.5, simulations + 1);
    s.timeline = execute(s.workload.graph, cost, net,
                         [&](double f) { report("simulate", 0.1 + 0.8 * (a + (b - a) * f)); });
    ++simulations;
    account = account_power(spec.hardware, clock, s.workload, s.timeline, net);
    return account.step_power();
  };
  if (spec.power_cap)
    models::settle_clock(spec.hardware, simulate_at);
  else
    simulate_at(spec.hardware.chip.clock_hz);
  report("report", 0.9);

  results::Result& r = s.result;
  r.title = s.workload.description + " on " + std::to_string(spec.cluster.nodes) + " x " +
            std::to_string(spec.hardware.gpus_per_node) + " " + spec.hardware.chip.name;
  r.config_yaml = sc.resolved_yaml;
  r.provenance = {strata_version(), strata_git_describe(), spec.seed,      spec.name,
                  fidelity_name(spec.fidelity), cost_model_name, net.name()};
  add_report(r, spec, s.workload, s.timeline, net);
  add_bom_report(r, models::bill_of_materials(*topology, spec.hardware, spec.cluster), spec.gpus());
  add_power_report(r, spec, s.workload, s.timeline, account, simulations);
  return s;
}

results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress) {
  return simulate(sc, progress).result;
}

}  // namespace strata::sim
