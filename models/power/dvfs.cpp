#include "models/power/dvfs.h"

#include <algorithm>
#include <cmath>

#include "models/power/energy.h"

namespace strata::models {

double clock_bound_share(const workloads::Op& op, const hw::HardwareSpec& h) {
  if (op.kind == workloads::OpKind::collective) return 0.0;
  const double peak = h.chip.peak_flops(op.dtype);
  const double compute = peak > 0 ? op.flops / peak : 0.0;
  const double memory = op.bytes / h.memory.peak_bandwidth();
  if (compute <= 0) return 0.0;
  return compute >= memory ? 1.0 : compute / memory;
}

double predicted_power(const hw::HardwareSpec& nominal, const StepPower& s, double clock_hz) {
  const hw::ChipSpec& c = nominal.chip;
  const double v_then = c.dvfs.voltage_fraction(s.clock_hz, c.clock_hz);
  const double v_now = c.dvfs.voltage_fraction(clock_hz, c.clock_hz);
  const double a = s.clock_bound_fraction;
  const double step = s.step_s * (a * s.clock_hz / clock_hz + 1.0 - a);
  const double dynamic = s.chip_dynamic_j * (v_now * v_now) / (v_then * v_then) + s.other_dynamic_j;
  return chip_static_power(c, clock_hz) + hbm_background_power(nominal.memory) + (step > 0 ? dynamic / step : 0.0);
}

std::vector<double> clock_grid(const hw::ChipSpec& c) {
  const double step = c.dvfs.clock_step_hz > 0 ? c.dvfs.clock_step_hz : 1e6;
  const double lo = std::min(c.dvfs.min_clock_hz > 0 ? c.dvfs.min_clock_hz : c.clock_hz, c.clock_hz);
  std::vector<double> g;
  for (int i = 0;; ++i) {
    const double f = c.clock_hz - i * step;
    if (f <= lo) break;
    g.push_back(f);
  }
  g.push_back(lo);
  return g;
}

double capped_clock(const hw::HardwareSpec& nominal, const StepPower& s) {
  // Power rises with the clock, so walk down the grid from nominal to the first that fits.
  const std::vector<double> grid = clock_grid(nominal.chip);
  for (double f : grid)
    if (predicted_power(nominal, s, f) <= nominal.chip.tdp_w) return f;
  return grid.back();
}

SettledClock settle_clock(const hw::HardwareSpec& nominal, const std::function<StepPower(double)>& simulate_at,
                          int max_simulations) {
  SettledClock r;
  r.clock_hz = nominal.chip.clock_hz;
  r.step = simulate_at(r.clock_hz);
  r.simulations = 1;
  while (r.simulations < max_simulations) {
    const double f = capped_clock(nominal, r.step);
    if (f == r.clock_hz) break;
    r.clock_hz = f;
    r.step = simulate_at(f);
    ++r.simulations;
  }
  return r;
}

}  // namespace strata::models
