// The windowed power controller. A GPU holds its power under the TDP averaged over the
// controller's time constant (chip.dvfs.power_window), not over a whole step: each window of
// its timeline runs at the highest clock on the DVFS grid at which the window's ops, re-timed
// to that clock, fit the TDP. It works on one GPU's timeline with any op durations; the engine
// re-times the ops at their new clocks, runs the step again and asks again until the clocks
// stop moving (sim/engine/power_control).
#pragma once

#include <functional>
#include <vector>

#include "hw/hardware.h"
#include "models/power/energy.h"

namespace strata::models {

/// One op of a GPU's timeline as the controller sees it.
struct PowerSegment {
  double start_s = 0, end_s = 0;
  int stream = 0;       ///< ops of one stream run one after another (they stretch in series)
  Energy nominal;       ///< its energy with the chip parts at nominal voltage
  double clock_hz = 0;  ///< the clock it ran at; 0: its duration does not depend on the clock
  bool clocked() const { return clock_hz > 0; }
};

/// Duration of clocked segment `i` at `clock_hz` (at its own clock: end_s - start_s).
using DurationAt = std::function<double(size_t i, double clock_hz)>;

/// `e` with its chip parts at `voltage_fraction` of nominal (they scale with its square).
Energy at_voltage(const Energy& e, double voltage_fraction);

/// One window of the controller on one GPU.
struct PowerWindow {
  double start_s = 0, end_s = 0;
  double clock_hz = 0;  ///< its kernels' mean clock weighted by their time in it (idle: what leakage allows)
  Energy energy;        ///< by component over the window: ops prorated by overlap, leakage, HBM background
  bool at_floor = false;  ///< its clock is dvfs.min_clock and it would still draw more than the TDP
  double power_w() const { return end_s > start_s ? energy.total() / (end_s - start_s) : 0.0; }
};

/// Windows [k w, (k+1) w) covering [0, span_s); the last may be shorter.
std::vector<std::pair<double, double>> window_grid(double window_s, double span_s);

/// The clocks the controller picks: for each window of `segments` (one GPU), the highest grid
/// clock (nominal down to min_clock in clock_step steps) at which its ops, all re-timed to it,
/// average at most the TDP; every clocked segment then runs at the lowest clock of the windows
/// it overlaps (unclocked segments get 0). `nominal`: the hardware at its nominal clock.
/// The re-timed window lasts its length plus the stretch of its busiest stream, the shortest it
/// can last, so the predicted power errs high.
std::vector<double> plan_clocks(const hw::HardwareSpec& nominal, double window_s, double span_s,
                                const std::vector<PowerSegment>& segments, const DurationAt& duration);

/// The windows of a timeline as it ran (each segment at its own clock), leakage at each
/// window's clock. `at_floor` is set for a window over the TDP whose kernels all run at
/// min_clock. The windows hold the segments' energy plus leakage and HBM background exactly.
std::vector<PowerWindow> account_windows(const hw::HardwareSpec& nominal, double window_s, double span_s,
                                         const std::vector<PowerSegment>& segments);

}  // namespace strata::models
