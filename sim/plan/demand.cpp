#include "sim/plan/demand.h"

#include <algorithm>
#include <numeric>

namespace strata::plan {

double peak_factor(const DemandSpec& d) {
  if (d.profile.empty()) return d.peak_to_average;
  double sum = std::accumulate(d.profile.begin(), d.profile.end(), 0.0);
  return *std::max_element(d.profile.begin(), d.profile.end()) / (sum / double(d.profile.size()));
}

Rates demand_rates(const DemandSpec& d) {
  Rates r;
  r.input_avg = d.input_tokens_per_day / kSecondsPerDay;
  r.output_avg = d.output_tokens_per_day / kSecondsPerDay;
  const double f = peak_factor(d);
  r.input_peak = r.input_avg * f;
  r.output_peak = r.output_avg * f;
  return r;
}

double mean_length(const std::vector<LengthPoint>& v) {
  double m = 0;
  for (const LengthPoint& p : v) m += p.tokens * p.share;
  return m;
}

double decode_context(const std::vector<LengthPoint>& prompts, const std::vector<LengthPoint>& outputs) {
  double o1 = 0, o2 = 0;  // E[O], E[O (O - 1)]
  for (const LengthPoint& p : outputs) {
    o1 += p.share * p.tokens;
    o2 += p.share * p.tokens * (p.tokens - 1);
  }
  return mean_length(prompts) + (o1 > 0 ? o2 / (2 * o1) : 0);
}

PrefillMix prefill_mix(const std::vector<PrefillPoint>& points, double percentile) {
  PrefillMix m;
  double total = 0;
  for (const PrefillPoint& p : points) total += p.request_share * p.prompt_tokens;
  if (total <= 0) return m;
  double seconds_per_new = 0, seconds_per_input = 0, tokens_per_step = 0;
  for (const PrefillPoint& p : points) {
    double w = p.request_share * p.prompt_tokens / total;  // token share of this length
    seconds_per_new += w / p.new_tokens_per_s;
    seconds_per_input += w / p.input_tokens_per_s;
    tokens_per_step += w * p.tokens_per_step;
  }
  m.new_tokens_per_s = 1 / seconds_per_new;
  m.input_tokens_per_s = 1 / seconds_per_input;
  m.step_time_s = tokens_per_step / m.new_tokens_per_s;
  // Requests by their number of steps; the percentile request's steps, plus one of waiting.
  std::vector<std::pair<double, double>> by_steps;  // steps, request share
  for (const PrefillPoint& p : points) by_steps.emplace_back(p.steps_to_first_token, p.request_share);
  std::sort(by_steps.begin(), by_steps.end());
  double cumulative = 0, steps = by_steps.back().first;
  for (const auto& [s, share] : by_steps) {
    cumulative += share;
    if (cumulative >= percentile - 1e-12) {
      steps = s;
      break;
    }
  }
  m.ttft_s = (steps + 1) * m.step_time_s;
  return m;
}

}  // namespace strata::plan
