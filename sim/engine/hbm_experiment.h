// A cycle-level HBM experiment: one memory (an HBM preset, or the memory of a node preset) and one
// synthetic request stream. Shared by the `hbm_stream` validation kind and `strata hbm`; the
// result builders turn the memory's per-pseudo-channel statistics into HDF5 tables.
#pragma once

#include <string>
#include <vector>

#include "hw/memory.h"
#include "models/hbm/stream_experiment.h"
#include "models/hbm/traffic.h"
#include "sim/config/node.h"
#include "sim/config/schema.h"
#include "sim/config/units.h"
#include "sim/results/result.h"

namespace strata::sim {

struct HbmExperimentSpec {
  hw::MemorySpec memory;
  hbm::TrafficSpec traffic;
};

/// Binds a mapping with `traffic:` and exactly one of `memory:` (e.g. base:
/// configs/hbm/hbm3.yaml) or `hardware:` (a node preset, whose memory is used). Throws
/// config::ConfigError at the offending key.
HbmExperimentSpec bind_hbm_experiment(const config::Node& n, const std::string& path = "");
/// The keys of an experiment file (for docs/parameters.md).
const config::SchemaBase& hbm_experiment_schema();
/// The experiment as YAML, every key resolved (memory and traffic).
std::string hbm_experiment_yaml(const HbmExperimentSpec& spec);

struct HbmMetricDef {
  const char* name;
  config::Dim dim;
  const char* description;
};
/// The metrics of an HBM run (the hbm_stream validation kind's metrics, the result's summary).
const std::vector<HbmMetricDef>& hbm_metric_defs();
/// Their values for `run`, in the order of hbm_metric_defs(); throws std::logic_error if the
/// protocol checker saw a violation, a request arrived behind a controller's clock, or failed.
std::vector<double> hbm_metric_values(const HbmExperimentSpec& spec, const hbm::StreamRun& run);

/// One row per pseudo-channel: traffic, row-buffer outcomes, commands, refresh, queues, latency.
results::Table hbm_channel_table(const hbm::MemoryReport& report);
/// The whole run as a result: the resolved config, summary metrics and the channel table.
results::Result hbm_result(const HbmExperimentSpec& spec, const hbm::StreamRun& run);

}  // namespace strata::sim
