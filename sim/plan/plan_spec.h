// A capacity plan (`strata plan PLAN.yaml`): the demand to serve, the service targets, the
// model, the hardware options to compare, the deployment choices to search, the economics and
// the foundry capacity the fleet is compared with. Plain structs with their schemas
// (docs/plan.md describes the file; docs/parameters.md lists every key).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/economics.h"
#include "sim/config/docs.h"
#include "sim/config/schema.h"
#include "sim/engine/scenario.h"

namespace strata::plan {

/// One point of a few-point length distribution: `tokens` long, `share` of the requests.
struct LengthPoint {
  double tokens = 0;
  double share = 0;
  static const config::Schema<LengthPoint>& schema();
};

struct DemandSpec {
  double input_tokens_per_day = 0;   ///< prompt tokens, cache hits included
  double output_tokens_per_day = 0;
  double peak_to_average = 1;        ///< used when `profile` is empty
  std::vector<double> profile;       ///< 24 hourly loads (any scale); peak / mean replaces peak_to_average
  double kv_hit_rate = 0;            ///< share of prompt tokens found in the KV cache
  std::vector<LengthPoint> prompt_lengths;
  std::vector<LengthPoint> output_lengths;
  static const config::Schema<DemandSpec>& schema();
};

struct TargetsSpec {
  double ttft_s = 0;            ///< time to first token at `percentile`
  double tpot_s = 0;            ///< time per output token
  double percentile = 0.9;
  double peak_utilisation = 1;  ///< load the fleet carries at the peak hour, of its capacity
  static const config::Schema<TargetsSpec>& schema();
};

/// Deployment choices of one phase; every combination is simulated.
struct PhaseSearch {
  std::vector<double> nodes;           ///< nodes of one serving unit (EP and attention DP span it)
  std::vector<double> tp;              ///< attention tensor parallelism (attention DP = GPUs / tp)
  std::vector<double> batch_per_gpu;   ///< decode: requests per GPU
  std::vector<double> tokens_per_gpu;  ///< prefill: new tokens per GPU per step
  std::vector<double> micro_batches;
  static const config::Schema<PhaseSearch>& schema();
};

struct SearchSpec {
  PhaseSearch prefill;
  PhaseSearch decode;
  static const config::Schema<SearchSpec>& schema();
};

/// One hardware option: a cluster (or scenario) file giving `hardware` and `cluster`, and what
/// the plan changes in it.
struct OptionSpec {
  std::string name;
  std::string cluster;        ///< file with hardware: and cluster: (configs/clusters/*.yaml)
  config::Node overrides;     ///< key.path: value applied to every scenario of the option
  double price_usd = 0;       ///< accelerator price; 0 = the scenario's own (economics)
  int nodes_per_rack = 1;
  config::Node search;        ///< replaces keys of the plan's `search:` for this option
  std::string note;           ///< one line shown in the report (what the option is, its sources)
  static const config::Schema<OptionSpec>& schema();
};

/// Foundry capacity of one logic process (several chip process names may share it).
struct LogicCapacity {
  config::Node process_list;            ///< key `processes`: a list of names
  std::vector<std::string> processes;  ///< chip.node.name values it covers (from process_list)
  double wafers_per_month = 0;
  std::string source;
  static const config::Schema<LogicCapacity>& schema();
};

struct SupplySpec {
  std::vector<LogicCapacity> logic;
  double cowos_wafers_per_month = 0;
  std::string cowos_source;
  double hbm_stacks_per_month = 0;     ///< 0: not compared
  std::string hbm_source;
  static const config::Schema<SupplySpec>& schema();
};

/// What customers pay, per million tokens.
struct TokenPrices {
  double input_cache_hit_usd = 0;
  double input_cache_miss_usd = 0;
  double output_usd = 0;
  std::string source;
  static const config::Schema<TokenPrices>& schema();
};

struct PlanSpec {
  std::string name, description;
  sim::Fidelity fidelity = sim::Fidelity::analytical;
  int64_t seed = 1;
  config::Node model;        ///< workload.model of every scenario
  config::Node workload;     ///< further workload keys of every scenario (mtp, precision, moe_load)
  DemandSpec demand;
  TargetsSpec targets;
  SearchSpec search;
  std::vector<OptionSpec> options;
  hw::EconomicsSpec economics;
  TokenPrices token_prices;
  SupplySpec supply;
  static const config::Schema<PlanSpec>& schema();
};

struct LoadedPlan {
  PlanSpec spec;
  std::string path;
  config::Node tree;          ///< merged plan (bases resolved, overrides applied)
  std::string resolved_yaml;  ///< every key with its value, defaults included
  std::vector<SearchSpec> searches;  ///< per option: the plan's search with the option's keys merged in
};

/// The plan file's section of docs/parameters.md.
config::DocRoot plan_doc_root();

/// Reads a plan file (bases, `-p` overrides) and validates it; throws config::ConfigError.
LoadedPlan load_plan(const std::string& path, const std::vector<std::string>& overrides);

}  // namespace strata::plan
