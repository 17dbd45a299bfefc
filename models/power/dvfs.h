// The power cap: when a chip would draw more than its TDP, its clock drops (and its voltage
// with it) until it fits, and clock-bound work slows accordingly. The settled clock is found
// by simulating: predict the clock that fits from one simulated step, simulate at it, repeat.
#pragma once

#include <functional>
#include <vector>

#include "hw/hardware.h"
#include "workloads/op.h"

namespace strata::models {

/// What one simulated step at one clock drew on its hottest device.
struct StepPower {
  double clock_hz = 0;
  double step_s = 0;
  double chip_dynamic_j = 0;         ///< tensor, vector, SRAM, L2 at this clock's voltage
  double other_dynamic_j = 0;        ///< HBM and links: not on the chip's supply
  double clock_bound_fraction = 0;   ///< share of the step whose duration scales with 1 / clock
};

/// Share of `op`'s time that scales with the clock: 1 when its arithmetic bound exceeds its
/// memory bound, else the ratio of the two (collectives: 0).
double clock_bound_share(const workloads::Op& op, const hw::HardwareSpec& h);

/// Average power at `clock_hz` predicted from a step simulated at s.clock_hz: chip dynamic
/// energy scales with V^2, the step's clock-bound share with 1 / clock; leakage and HBM
/// background are power. `nominal` is the hardware at its nominal clock.
double predicted_power(const hw::HardwareSpec& nominal, const StepPower& s, double clock_hz);

/// The clocks the power cap may set, highest first: nominal, then down in clock_step steps
/// (1 MHz when unset), ending at min_clock.
std::vector<double> clock_grid(const hw::ChipSpec& c);

/// Highest clock on the DVFS grid in [min_clock, nominal clock] whose predicted power fits
/// the TDP (min_clock when none does).
double capped_clock(const hw::HardwareSpec& nominal, const StepPower& s);

struct SettledClock {
  double clock_hz = 0;
  int simulations = 0;
  StepPower step;  ///< the last simulated step (at clock_hz)
};

/// Simulates at the nominal clock, then at the predicted capped clock until the prediction
/// stops moving (at most `max_simulations`).
SettledClock settle_clock(const hw::HardwareSpec& nominal, const std::function<StepPower(double)>& simulate_at,
                          int max_simulations = 4);

}  // namespace strata::models
