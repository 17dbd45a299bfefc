// A scenario file: hardware, cluster size, workload and parallelism, the seed and the fidelity.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/cluster.h"
#include "hw/economics.h"
#include "hw/hardware.h"
#include "models/network/network_options.h"
#include "sim/config/schema.h"
#include "sim/engine/power_control.h"
#include "workloads/workload_spec.h"

namespace strata::sim {

/// Which level prices ops: cycle = the cycle-level chip model for every kernel (through the
/// kernel cost cache), cached = cycle-level costs already in the cache and the roofline for the
/// rest, analytical = the roofline bound.
enum class Fidelity { cycle, cached, analytical };
const char* fidelity_name(Fidelity f);

/// What a run writes besides the summary.
enum class OpsTable { simulated, critical, none };
struct OutputSpec {
  OpsTable ops_table = OpsTable::simulated;  ///< rows of /ops: every simulated GPU, the critical one, none
  static const config::Schema<OutputSpec>& schema();
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  int64_t seed = 1;
  Fidelity fidelity = Fidelity::analytical;
  hw::HardwareSpec hardware;
  hw::ClusterSpec cluster;
  models::NetworkOptions network;
  workloads::WorkloadSpec workload;
  workloads::ParallelSpec parallel;
  OutputSpec output;
  hw::EconomicsSpec economics;
  bool power_cap = true;  ///< lower the clock when the chip would exceed its TDP
  PowerControl power_control = PowerControl::windowed;  ///< per controller window, or the step average

  int gpus() const { return cluster.nodes * hardware.gpus_per_node; }
  static const config::Schema<ScenarioSpec>& schema();
};

struct LoadedScenario {
  ScenarioSpec spec;
  std::string path;
  std::string resolved_yaml;  ///< every key with its value, defaults included
  config::Node resolved;      ///< the same as a tree (values in canonical units)
};

/// Loads, merges bases, applies `-p` overrides and validates; throws config::ConfigError.
LoadedScenario load_scenario(const std::string& path, const std::vector<std::string>& overrides);

/// Validates an already merged tree (bases resolved, overrides applied); `path` names its file.
/// Sweeps load a base scenario once and bind one tree per point.
LoadedScenario bind_scenario(const config::Node& tree, const std::string& path);

}  // namespace strata::sim
