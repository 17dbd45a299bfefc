// The demand side of a plan: daily volumes to rates, the peak hour, and what the length
// distributions mean for the simulated scenarios (prompt lengths for prefill, the mean KV
// context of a decode step) and for the time to first token at a percentile.
#pragma once

#include <vector>

#include "sim/plan/plan_spec.h"

namespace strata::plan {

constexpr double kSecondsPerDay = 86400.0;

/// Peak-hour load over the daily mean: the profile's max / mean, else peak_to_average.
double peak_factor(const DemandSpec& d);

/// Token rates in tokens/s.
struct Rates {
  double input_avg = 0, output_avg = 0;    ///< daily volume / 86400
  double input_peak = 0, output_peak = 0;  ///< times peak_factor
};
Rates demand_rates(const DemandSpec& d);

/// Request-weighted mean length.
double mean_length(const std::vector<LengthPoint>& v);

/// Mean KV context of the output tokens of a decode step: a request with prompt P and output O
/// generates tokens at contexts P .. P + O - 1, so over all output tokens the mean context is
/// E[P] + E[O (O - 1)] / (2 E[O]) (prompt and output lengths independent).
double decode_context(const std::vector<LengthPoint>& prompts, const std::vector<LengthPoint>& outputs);

/// One prompt length simulated on a prefill unit.
struct PrefillPoint {
  double prompt_tokens = 0;     ///< prompt length (cache hits included)
  double request_share = 0;     ///< share of requests with this length
  double tokens_per_step = 0;   ///< new (computed) tokens per step, whole unit
  double new_tokens_per_s = 0;  ///< computed tokens per second, whole unit
  double input_tokens_per_s = 0;  ///< prompt tokens per second, cache hits included
  double steps_to_first_token = 1;
};

/// A prefill unit serving the whole prompt mix: every step mixes the lengths in proportion to
/// their tokens, so a step's time is its tokens over the mix's throughput (the harmonic mean
/// of each length's, by token share), and every prompt in it gets its first token when its
/// last chunk's step ends. TTFT at a percentile is over requests: its chunk steps plus one
/// whole step of waiting for the step already running (the longest wait under continuous
/// batching when the unit keeps up with its load).
struct PrefillMix {
  double new_tokens_per_s = 0;    ///< computed tokens per second of the unit
  double input_tokens_per_s = 0;  ///< prompt tokens per second, cache hits included
  double step_time_s = 0;
  double ttft_s = 0;  ///< at the percentile
};
PrefillMix prefill_mix(const std::vector<PrefillPoint>& points, double percentile);

}  // namespace strata::plan
