#include "sim/engine/run.h"

#include <memory>

#include "models/network/analytic_network.h"
#include "models/roofline/roofline.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/kernel_cache.h"
#include "sim/engine/executor.h"
#include "sim/engine/report.h"
#include "sim/version.h"
#include "workloads/decode_step.h"

namespace strata::sim {

std::string strata_version() { return STRATA_VERSION; }
std::string strata_git_describe() { return STRATA_GIT_DESCRIBE; }

namespace {

std::unique_ptr<models::OpCostModel> cost_model(const ScenarioSpec& spec, KernelCache& cache) {
  const int sms = spec.hardware.chip.sm_count;
  switch (spec.fidelity) {
    case Fidelity::cycle:
      return std::make_unique<CycleCostModel>(spec.hardware, sms, cache, CycleCostModel::Mode::simulate);
    case Fidelity::cached:
      return std::make_unique<CycleCostModel>(spec.hardware, sms, cache, CycleCostModel::Mode::cache_only);
    case Fidelity::analytical:
      break;
  }
  return std::make_unique<models::Roofline>(spec.hardware.chip, spec.hardware.memory);
}

}  // namespace

results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress) {
  auto report = [&](const char* stage, double fraction) {
    if (progress) progress(stage, fraction);
  };
  const ScenarioSpec& spec = sc.spec;
  KernelCache cache(KernelCache::default_dir());
  std::unique_ptr<models::OpCostModel> cost_ptr = cost_model(spec, cache);
  models::OpCostModel& cost = *cost_ptr;
  models::AnalyticNetwork net(spec.hardware, spec.cluster.nodes);
  report("workload", 0.0);
  workloads::Workload w = workloads::build_decode_step(spec.workload, spec.parallel, spec.gpus(),
                                                       static_cast<uint64_t>(spec.seed));
  // Building the op graph and reporting are counted as a tenth of the run each.
  Timeline t = execute(w.graph, cost, net, [&](double f) { report("simulate", 0.1 + 0.8 * f); });
  report("report", 0.9);

  results::Result r;
  r.title = w.description + " on " + std::to_string(spec.cluster.nodes) + " x " +
            std::to_string(spec.hardware.gpus_per_node) + " " + spec.hardware.chip.name;
  r.config_yaml = sc.resolved_yaml;
  r.provenance = {strata_version(), strata_git_describe(), spec.seed,      spec.name,
                  fidelity_name(spec.fidelity), cost.name(), net.name()};
  add_report(r, spec, w, t, net);
  return r;
}

}  // namespace strata::sim
