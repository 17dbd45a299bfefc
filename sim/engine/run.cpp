#include "sim/engine/run.h"

#include "models/network/backends.h"
#include "models/roofline/roofline.h"
#include "sim/engine/executor.h"
#include "sim/engine/report.h"
#include "sim/version.h"
#include "workloads/decode_step.h"

namespace strata::sim {

std::string strata_version() { return STRATA_VERSION; }
std::string strata_git_describe() { return STRATA_GIT_DESCRIBE; }

results::Result run_scenario(const LoadedScenario& sc, const RunProgress& progress) {
  auto report = [&](const char* stage, double fraction) {
    if (progress) progress(stage, fraction);
  };
  const ScenarioSpec& spec = sc.spec;
  models::Roofline cost(spec.hardware.chip, spec.hardware.memory, spec.parallel.comm_sms);
  std::unique_ptr<models::ScheduledNetwork> network = models::make_network(
      std::make_shared<models::Topology>(spec.hardware, spec.cluster), spec.network);
  const models::NetworkModel& net = *network;
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
