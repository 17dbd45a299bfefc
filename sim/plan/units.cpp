#include "sim/plan/units.h"

#include <cmath>

namespace strata::plan {
using workloads::Phase;

namespace {

/// What every unit reads alike from its (first) scenario.
void common(Unit& u, const ScenarioMetrics& m) {
  u.gpus = m.gpus;
  u.nodes = m.nodes;
  u.price_usd = m.accelerator_price_usd;
  u.logic_wafers_per_gpu = m.logic_wafers_per_1000_gpus / 1000;
  u.cowos_wafers_per_gpu = m.cowos_wafers_per_1000_gpus / 1000;
  u.hbm_stacks_per_gpu = m.hbm_stacks_per_gpu;
  u.network = {m.network_switch_chips, m.transceivers, m.optical_engines, m.copper_cables, m.fibres,
               m.network_power_w, m.network_capital_usd};
}

Unit decode_unit(const ScenarioPoint& p, const Outcome& o, size_t index) {
  Unit u;
  u.choice = p.choice;
  u.points = {index};
  u.simulated = o.ok;
  u.error = o.error;
  if (!o.ok) return u;
  const ScenarioMetrics& m = o.metrics;
  common(u, m);
  u.fits = m.memory_fits == 1;
  u.capacity_tokens_per_s = m.tokens_per_s;
  u.latency_s = m.time_per_output_token_s;
  u.step_time_s = m.step_time_s;
  u.it_power_w = m.it_power_w;
  return u;
}

/// A prefill choice over the prompt lengths (points [first, last)).
Unit prefill_unit(const std::vector<ScenarioPoint>& points, const std::vector<Outcome>& outcomes, size_t first,
                  size_t last, double percentile) {
  Unit u;
  u.choice = points[first].choice;
  u.simulated = true;
  u.fits = true;
  std::vector<PrefillPoint> mix;
  std::vector<double> power;
  for (size_t i = first; i < last; ++i) {
    u.points.push_back(i);
    const Outcome& o = outcomes[i];
    if (!o.ok) {
      u.simulated = false;
      if (u.error.empty()) u.error = o.error;
      continue;
    }
    const ScenarioMetrics& m = o.metrics;
    u.fits = u.fits && m.memory_fits == 1;
    PrefillPoint pp;
    pp.prompt_tokens = points[i].prompt_tokens;
    pp.request_share = points[i].request_share;
    pp.tokens_per_step = m.tokens_per_step;
    pp.new_tokens_per_s = m.tokens_per_s;
    pp.input_tokens_per_s = m.input_tokens_per_s_with_cache;
    pp.steps_to_first_token = m.step_time_s > 0 ? std::round(m.time_to_first_token_s / m.step_time_s) : 1;
    mix.push_back(pp);
    power.push_back(m.it_power_w);
  }
  if (!u.simulated) return u;
  common(u, outcomes[first].metrics);
  PrefillMix x = prefill_mix(mix, percentile);
  u.capacity_tokens_per_s = x.input_tokens_per_s;
  u.latency_s = x.ttft_s;
  u.step_time_s = x.step_time_s;
  // Power averaged over time: each length runs for its tokens over its throughput.
  double total_tokens = 0, time = 0, energy = 0;
  for (const PrefillPoint& pp : mix) total_tokens += pp.request_share * pp.prompt_tokens;
  for (size_t i = 0; i < mix.size(); ++i) {
    double t = mix[i].request_share * mix[i].prompt_tokens / total_tokens / mix[i].new_tokens_per_s;
    time += t;
    energy += t * power[i];
  }
  u.it_power_w = energy / time;
  return u;
}

}  // namespace

OptionUnits build_units(const std::vector<ScenarioPoint>& points, const std::vector<Outcome>& outcomes, size_t option,
                        double percentile) {
  OptionUnits out;
  for (size_t i = 0; i < points.size();) {
    const ScenarioPoint& p = points[i];
    if (p.option != option) {
      ++i;
      continue;
    }
    if (p.choice.phase == Phase::decode) {
      out.decode.push_back(decode_unit(p, outcomes[i], i));
      ++i;
      continue;
    }
    size_t j = i;
    while (j < points.size() && points[j].option == option && points[j].choice.phase == Phase::prefill &&
           points[j].choice.id() == p.choice.id())
      ++j;
    out.prefill.push_back(prefill_unit(points, outcomes, i, j, percentile));
    i = j;
  }
  return out;
}

}  // namespace strata::plan
