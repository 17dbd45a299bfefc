#include "sim/validate/hbm_kinds.h"

#include "sim/engine/hbm_experiment.h"

namespace strata::validate {

CaseKind hbm_stream_kind() {
  CaseKind k;
  k.name = "hbm_stream";
  k.description =
      "A request stream (params: traffic, and memory: or hardware:) on the cycle-level HBM model";
  for (const sim::HbmMetricDef& d : sim::hbm_metric_defs()) k.metrics.push_back({d.name, d.dim, d.description});
  k.check = [](const config::Node& n, const std::string& path) { sim::bind_hbm_experiment(n, path); };
  k.run = [](const config::Node& n, const std::string& path) {
    sim::HbmExperimentSpec spec = sim::bind_hbm_experiment(n, path);
    std::vector<double> values = sim::hbm_metric_values(spec, hbm::run_stream(spec.memory, spec.traffic));
    Metrics m;
    for (size_t i = 0; i < values.size(); ++i) m[sim::hbm_metric_defs()[i].name] = values[i];
    return m;
  };
  return k;
}

}  // namespace strata::validate
