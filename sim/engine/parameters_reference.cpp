#include "sim/engine/parameters_reference.h"

#include "sim/config/docs.h"
#include "sim/engine/scenario.h"

namespace strata::sim {

std::string parameters_reference() {
  return config::parameters_markdown(
      {{"Scenario files (configs/scenarios/)",
        "A scenario names hardware, cluster, workload and parallelism; hardware presets "
        "(configs/hw/) fill `hardware`, model presets (configs/workloads/) fill "
        "`workload.model`.",
        &ScenarioSpec::schema()}});
}

}  // namespace strata::sim
