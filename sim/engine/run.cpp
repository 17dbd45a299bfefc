#include "sim/engine/run.h"

#include <cmath>
#include <memory>

#include "models/network/backends.h"
#include "models/replay/measured_cost.h"
#include "models/roofline/roofline.h"
#include "sim/engine/clocked_costs.h"
#include "sim/engine/bom_report.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/kernel_cache.h"
#include "sim/engine/op_energy.h"
#include "sim/engine/power_control.h"
#include "sim/engine/power_report.h"
#include "sim/engine/report.h"
#include "sim/version.h"

namespace strata::sim {

std::string strata_version() { return STRATA_VERSION; }
std::string strata_git_describe() { return STRATA_GIT_DESCRIBE; }

namespace {

/// The cycle-level model is simulated at every 8th clock of the DVFS grid (120 MHz on NVIDIA's
/// 15 MHz grid) and interpolated between: within 1% of simulating at the clock itself
/// (tests/unit/test_power_controller.cpp), at an eighth of the simulations.
constexpr int kCycleAnchorSteps = 8;

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
  const double nominal_hz = spec.hardware.chip.clock_hz;
  // The op costs at any clock; a replay keeps measured kernel times (scaled by clock), other
  // ops are priced by the model. The nominal model's cycle-level counters price energy.
  const CycleCostModel* nominal_cycle = nullptr;
  auto model_at = [&](double clock) -> std::unique_ptr<models::OpCostModel> {
    ScenarioSpec at = spec;
    at.hardware.chip.clock_hz = clock;
    std::unique_ptr<models::OpCostModel> model = kernel_costs(at, cache);
    if (clock == nominal_hz) nominal_cycle = dynamic_cast<const CycleCostModel*>(model.get());
    if (!replay) return model;
    const double scale = ws.trace.clock_hz > 0 ? ws.trace.clock_hz / clock : 1.0;
    return std::make_unique<models::MeasuredCost>(std::move(model), scale,
                                                  ws.trace.timing == workloads::TraceTiming::measured);
  };
  const int anchor_steps = spec.fidelity == Fidelity::analytical ? 1 : kCycleAnchorSteps;
  ClockedCosts costs(s.workload.graph, spec.hardware, spec.parallel.comm_sms, model_at, anchor_steps);
  const std::string cost_model_name = costs.nominal_model().name();
  const std::vector<models::Energy> op_energy = op_energies(
      s.workload.graph, spec.hardware, costs.nominal_model(),
      [&](const workloads::Op& op) { return nominal_cycle ? nominal_cycle->counters(op) : nullptr; });
  // Building the op graph and reporting are a tenth of the run each; the power cap simulates
  // the step again at lower clocks, each time in half the remaining range.
  int runs = 0;
  const ExecuteProgress simulating = [&](double f) {
    if (f == 0) ++runs;
    const double lo = 1.0 - std::pow(0.5, runs - 1), hi = 1.0 - std::pow(0.5, runs);
    report("simulate", 0.1 + 0.8 * (lo + (hi - lo) * f));
  };
  PowerPlan plan = control_power(s.workload, spec.hardware, costs, net, op_energy, spec.power_control,
                                 spec.power_cap, simulating);
  s.timeline = plan.timeline;
  report("report", 0.9);
  const PowerAccount account = account_power(spec.hardware, s.workload, plan, net, op_energy);
  s.power_windows = account.windows;

  results::Result& r = s.result;
  r.title = s.workload.description + " on " + std::to_string(spec.cluster.nodes) + " x " +
            std::to_string(spec.hardware.gpus_per_node) + " " + spec.hardware.chip.name;
  r.config_yaml = sc.resolved_yaml;
  r.provenance = {strata_version(), strata_git_describe(), spec.seed,      spec.name,
                  fidelity_name(spec.fidelity), cost_model_name, net.name()};
  add_report(r, spec, s.workload, s.timeline, net);
  add_bom_report(r, models::bill_of_materials(*topology, spec.hardware, spec.cluster), spec.gpus());
  add_power_report(r, spec, s.workload, plan, account);
  return s;
}

results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress) {
  return simulate(sc, progress).result;
}

}  // namespace strata::sim
