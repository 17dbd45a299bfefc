#include "sim/engine/parameters_reference.h"

#include "sim/config/docs.h"
#include "sim/engine/hbm_experiment.h"
#include "sim/engine/scenario.h"

namespace strata::sim {

std::string parameters_reference(const std::vector<config::DocRoot>& more) {
  std::vector<config::DocRoot> roots = {
      {"Scenario files (configs/scenarios/)",
        "A scenario names hardware, cluster, workload and parallelism; hardware presets "
        "(configs/hw/) fill `hardware`, model presets (configs/workloads/) fill "
        "`workload.model`.",
        &ScenarioSpec::schema()},
       {"HBM experiment files (configs/experiments/, `strata hbm`)",
        "A memory (`memory:` an HBM preset from configs/hbm/, or `hardware:` a node preset whose "
        "memory is used; both take the `memory` keys of the scenario reference) and a request "
        "stream.",
        &hbm_experiment_schema()}};
  roots.insert(roots.end(), more.begin(), more.end());
  return config::parameters_markdown(roots);
}

}  // namespace strata::sim
