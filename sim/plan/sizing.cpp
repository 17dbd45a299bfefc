#include "sim/plan/sizing.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/config/units.h"

namespace strata::plan {

double Unit::usd_per_million_tokens(const hw::EconomicsSpec& e) const {
  return hw::cost_of_service(e, gpus, price_usd, it_power_w, capacity_tokens_per_s, network.capital_usd)
      .usd_per_million_tokens;
}

FleetPart size_part(const Unit& u, double peak_tokens_per_s, double utilisation, const FleetNetwork& network) {
  FleetPart f;
  if (peak_tokens_per_s <= 0) return f;
  f.units = int(std::ceil(peak_tokens_per_s / (u.capacity_tokens_per_s * utilisation) - 1e-9));
  f.units = std::max(f.units, 1);
  f.gpus = f.units * u.gpus;
  f.nodes = f.units * u.nodes;
  f.capacity_tokens_per_s = f.units * u.capacity_tokens_per_s;
  f.network = network ? network(u, f.units) : u.network.scaled(f.units);
  // A unit's IT power holds its own network's; the fleet's network replaces those.
  f.it_power_w = f.units * (u.it_power_w - u.network.power_w) + f.network.power_w;
  return f;
}

std::optional<size_t> cheapest(const std::vector<Unit>& units, double target_s, const hw::EconomicsSpec& e,
                               double peak_tokens_per_s, double utilisation, const FleetNetwork& network) {
  std::optional<size_t> best;
  double best_cost = 0, best_gpus = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (!u.simulated || !u.fits || u.latency_s > target_s || !(u.capacity_tokens_per_s > 0)) continue;
    FleetPart f = size_part(u, peak_tokens_per_s, utilisation, network);
    double c = f.units > 0 ? hw::cost_of_service(e, f.gpus, u.price_usd, f.it_power_w, 0, f.network.capital_usd).usd_per_s
                           : u.usd_per_million_tokens(e);
    if (!best || c < best_cost || (c == best_cost && f.gpus < best_gpus)) {
      best = i;
      best_cost = c;
      best_gpus = f.gpus;
    }
  }
  return best;
}

namespace {

/// Why no unit qualifies: the fastest one's latency against the target, or no unit ran or fit.
std::string why_none(const char* phase, const char* what, const std::vector<Unit>& units, double target_s) {
  double fastest = std::numeric_limits<double>::infinity();
  int ran = 0, fit = 0;
  std::string first_error;
  for (const Unit& u : units) {
    ran += u.simulated;
    if (!u.simulated && first_error.empty()) first_error = u.error.substr(0, u.error.find('\n'));
    if (u.simulated && u.fits) {
      ++fit;
      fastest = std::min(fastest, u.latency_s);
    }
  }
  std::string s = std::string(phase) + ": ";
  if (ran == 0) return s + "no deployment choice could be simulated (" + first_error + ")";
  if (fit == 0) return s + "no simulated choice fits the model in HBM";
  return s + "the fastest choice gives " + what + " " + config::format_display(fastest, config::Dim::time, 3) +
         ", above the target " + config::format_display(target_s, config::Dim::time, 3);
}

}  // namespace

OptionPlan plan_option(const std::string& name, const std::vector<Unit>& prefill, const std::vector<Unit>& decode,
                       const PlanInputs& in) {
  OptionPlan p;
  p.option = name;
  const double util = in.targets.peak_utilisation;
  p.prefill = cheapest(prefill, in.targets.ttft_s, in.economics, in.rates.input_peak, util, in.fleet_network);
  p.decode = cheapest(decode, in.targets.tpot_s, in.economics, in.rates.output_peak, util, in.fleet_network);
  if (!p.prefill) p.why_not = why_none("prefill", "TTFT", prefill, in.targets.ttft_s);
  if (!p.decode) p.why_not += (p.why_not.empty() ? "" : "; ") + why_none("decode", "TPOT", decode, in.targets.tpot_s);
  if (!p.prefill || !p.decode) return p;
  p.feasible = true;
  const Unit& pu = prefill[*p.prefill];
  const Unit& du = decode[*p.decode];
  p.prefill_fleet = size_part(pu, in.rates.input_peak, util, in.fleet_network);
  p.decode_fleet = size_part(du, in.rates.output_peak, util, in.fleet_network);
  p.gpus = p.prefill_fleet.gpus + p.decode_fleet.gpus;
  p.nodes = p.prefill_fleet.nodes + p.decode_fleet.nodes;
  p.racks = std::ceil(p.nodes / in.nodes_per_rack - 1e-9);
  p.it_power_w = p.prefill_fleet.it_power_w + p.decode_fleet.it_power_w;
  p.facility_power_w = p.it_power_w * in.economics.pue;
  // The prefill and decode fleets are each one fabric (their networks' power is in their IT power).
  p.network = p.prefill_fleet.network + p.decode_fleet.network;
  p.capital_usd = p.prefill_fleet.gpus * (pu.price_usd + in.economics.system_cost_per_gpu_usd) +
                  p.decode_fleet.gpus * (du.price_usd + in.economics.system_cost_per_gpu_usd) + p.network.capital_usd;
  // Every GPU of the fleet is priced at its busy power all day (no idle savings off-peak).
  const hw::EconomicsSpec& e = in.economics;
  p.input_cost = hw::cost_of_service(e, p.prefill_fleet.gpus, pu.price_usd, p.prefill_fleet.it_power_w, in.rates.input_avg,
                                     p.prefill_fleet.network.capital_usd);
  p.output_cost = hw::cost_of_service(e, p.decode_fleet.gpus, du.price_usd, p.decode_fleet.it_power_w, in.rates.output_avg,
                                      p.decode_fleet.network.capital_usd);
  // Prefill and decode run on the same accelerator, at one price.
  p.total_cost = hw::cost_of_service(e, p.gpus, du.price_usd, p.it_power_w, in.rates.input_avg + in.rates.output_avg,
                                     p.network.capital_usd);
  p.cost_usd_per_day = p.total_cost.usd_per_s * kSecondsPerDay;
  const double input_day = in.rates.input_avg * kSecondsPerDay, output_day = in.rates.output_avg * kSecondsPerDay;
  p.revenue_usd_per_day = (input_day * in.kv_hit_rate * in.prices.input_cache_hit_usd +
                           input_day * (1 - in.kv_hit_rate) * in.prices.input_cache_miss_usd +
                           output_day * in.prices.output_usd) / 1e6;
  return p;
}

void count_supply(OptionPlan& p, const Unit& u, const std::string& process, const SupplySpec& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Supply& x = p.supply;
  x.process = process;
  x.logic_wafers = p.gpus * u.logic_wafers_per_gpu;
  x.cowos_wafers = p.gpus * u.cowos_wafers_per_gpu;
  x.hbm_stacks = p.gpus * u.hbm_stacks_per_gpu;
  x.logic_share = nan;
  for (const LogicCapacity& c : s.logic)
    if (std::find(c.processes.begin(), c.processes.end(), process) != c.processes.end())
      x.logic_share = x.logic_wafers / c.wafers_per_month;
  x.cowos_share = s.cowos_wafers_per_month > 0 ? x.cowos_wafers / s.cowos_wafers_per_month : nan;
  x.hbm_share = s.hbm_stacks_per_month > 0 ? x.hbm_stacks / s.hbm_stacks_per_month : nan;
}

}  // namespace strata::plan
