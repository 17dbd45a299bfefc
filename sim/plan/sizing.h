// From simulated serving units to a fleet: pick the cheapest unit per token that meets its
// latency target, size prefill and decode for the peak hour, count the silicon it takes and
// price it. Pure functions of the units' metrics, so tests can check them by hand.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hw/economics.h"
#include "sim/plan/candidates.h"
#include "sim/plan/demand.h"

namespace strata::plan {

/// A network's counts, power and capital (a unit's bill of materials, or a fleet's sum of them).
struct NetworkCounts {
  double switch_chips = 0;   ///< outside the nodes
  double transceivers = 0, optical_engines = 0, copper_cables = 0, fibres = 0;
  double power_w = 0;        ///< rated, outside the nodes (a part of it_power)
  double capital_usd = 0;

  NetworkCounts scaled(double k) const {
    return {switch_chips * k, transceivers * k, optical_engines * k, copper_cables * k, fibres * k, power_w * k,
            capital_usd * k};
  }
  NetworkCounts operator+(const NetworkCounts& o) const {
    return {switch_chips + o.switch_chips, transceivers + o.transceivers, optical_engines + o.optical_engines,
            copper_cables + o.copper_cables, fibres + o.fibres, power_w + o.power_w, capital_usd + o.capital_usd};
  }
};

/// A serving unit of one deployment choice, as simulated (prefill: over the prompt mix).
struct Unit {
  Choice choice;
  bool simulated = false;   ///< every scenario of the unit ran
  std::string error;        ///< why not (first failing scenario)
  bool fits = false;        ///< weights and KV cache fit in HBM on every GPU
  double gpus = 0, nodes = 0;
  double capacity_tokens_per_s = 0;  ///< prefill: prompt tokens/s (cache hits included); decode: output tokens/s
  double latency_s = 0;              ///< prefill: TTFT at the percentile; decode: TPOT
  double step_time_s = 0;
  double it_power_w = 0;             ///< the whole unit, busy
  double price_usd = 0;              ///< one accelerator
  double logic_wafers_per_gpu = 0, cowos_wafers_per_gpu = 0, hbm_stacks_per_gpu = 0;
  NetworkCounts network;             ///< the unit's own network (its cluster's bill of materials)
  std::vector<size_t> points;        ///< its scenarios (indices into the plan's points)

  /// Dollars per million tokens when the unit runs at capacity (how units are ranked).
  double usd_per_million_tokens(const hw::EconomicsSpec& e) const;
};

/// The network of `units` units of `u` wired as one fabric (their cluster preset at the fleet's
/// node count); empty: each unit's own network, units times.
using FleetNetwork = std::function<NetworkCounts(const Unit& u, int units)>;

/// Units of one phase bought to carry `peak_tokens_per_s` at `utilisation` of their capacity.
struct FleetPart {
  int units = 0;
  double gpus = 0, nodes = 0;
  double it_power_w = 0;  ///< the units' GPUs and nodes, and the fleet's network
  double capacity_tokens_per_s = 0;
  NetworkCounts network;  ///< the fleet's network (FleetNetwork)
};
FleetPart size_part(const Unit& u, double peak_tokens_per_s, double utilisation, const FleetNetwork& network = {});

/// Index of the unit whose fleet for `peak_tokens_per_s` costs least per second, among units
/// simulated, fitting and within `target_s` (so a tighter target, a subset, never costs less);
/// ties go to fewer GPUs, then to the earlier unit. With no load, the cheapest per token at
/// capacity. None when no unit qualifies.
std::optional<size_t> cheapest(const std::vector<Unit>& units, double target_s, const hw::EconomicsSpec& e,
                               double peak_tokens_per_s, double utilisation, const FleetNetwork& network = {});

/// The supply a fleet of `gpus` takes, and its share of a month of foundry capacity.
struct Supply {
  std::string process;
  double logic_wafers = 0, cowos_wafers = 0, hbm_stacks = 0;
  double logic_share = 0, cowos_share = 0, hbm_share = 0;  ///< of one month's capacity; NaN when not given
};

/// Everything the plan says about one option.
struct OptionPlan {
  std::string option;
  bool feasible = false;
  std::string why_not;              ///< no unit meets a target: which, and the best latency found
  std::optional<size_t> prefill, decode;  ///< chosen units
  FleetPart prefill_fleet, decode_fleet;
  double gpus = 0, nodes = 0, racks = 0;
  double it_power_w = 0, facility_power_w = 0;
  double capital_usd = 0;           ///< accelerators and systems, and the units' networks
  NetworkCounts network;            ///< the prefill and decode fleets' networks
  hw::CostOfService input_cost, output_cost, total_cost;  ///< at the average daily load
  double cost_usd_per_day = 0, revenue_usd_per_day = 0;
  Supply supply;
};

struct PlanInputs {
  Rates rates;
  double kv_hit_rate = 0;
  TargetsSpec targets;
  hw::EconomicsSpec economics;
  TokenPrices prices;
  int nodes_per_rack = 1;
  FleetNetwork fleet_network;  ///< how a fleet's network is counted (empty: units x the unit's)
};

/// Chooses and sizes one option from its prefill and decode units.
OptionPlan plan_option(const std::string& name, const std::vector<Unit>& prefill, const std::vector<Unit>& decode,
                       const PlanInputs& in);

/// Fills `p.supply` for the chip's process from the supply spec.
void count_supply(OptionPlan& p, const Unit& any_unit, const std::string& process, const SupplySpec& s);

}  // namespace strata::plan
