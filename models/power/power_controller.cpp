#include "models/power/power_controller.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "models/power/dvfs.h"

namespace strata::models {

namespace {

/// A segment's share of one window: `fraction` of its energy, `overlap_s` of its time.
struct Share {
  size_t segment = 0;
  double fraction = 0, overlap_s = 0;
  /// A share too small to matter for clocks (a rounding sliver at a window edge) still holds
  /// its energy but does not tie the segment to the window's clock.
  bool binds() const { return fraction > kSliver || overlap_s == 0; }
  static constexpr double kSliver = 1e-9;
};

/// The shares of every segment in every window of the grid.
std::vector<std::vector<Share>> shares_by_window(const std::vector<std::pair<double, double>>& grid,
                                                 double window_s, const std::vector<PowerSegment>& segs) {
  std::vector<std::vector<Share>> out(grid.size());
  if (grid.empty()) return out;
  const long last = static_cast<long>(grid.size()) - 1;
  auto index = [&](double t) { return std::clamp(static_cast<long>(std::floor(t / window_s)), 0L, last); };
  for (size_t i = 0; i < segs.size(); ++i) {
    const PowerSegment& s = segs[i];
    const double d = s.end_s - s.start_s;
    if (d <= 0) {  // an instant: all of it in its window
      out[index(s.start_s)].push_back({i, 1.0, 0.0});
      continue;
    }
    for (long k = index(s.start_s); k <= last && grid[k].first < s.end_s; ++k) {
      const double ov = std::min(s.end_s, grid[k].second) - std::max(s.start_s, grid[k].first);
      if (ov > 0) out[k].push_back({i, ov / d, ov});
    }
  }
  return out;
}

double voltage(const hw::ChipSpec& c, double clock_hz) { return c.dvfs.voltage_fraction(clock_hz, c.clock_hz); }

}  // namespace

Energy at_voltage(const Energy& e, double voltage_fraction) {
  Energy out = e;
  const double v2 = voltage_fraction * voltage_fraction;
  for (int c = 0; c < kComponentCount; ++c)
    if (follows_chip_voltage(static_cast<Component>(c))) out.j[c] *= v2;
  return out;
}

std::vector<std::pair<double, double>> window_grid(double window_s, double span_s) {
  std::vector<std::pair<double, double>> g;
  if (!(span_s > 0) || !(window_s > 0)) return g;
  const size_t n = static_cast<size_t>(std::ceil(span_s / window_s));
  for (size_t k = 0; k < n; ++k) g.push_back({k * window_s, std::min(span_s, (k + 1) * window_s)});
  if (g.empty() || g.back().second < span_s) g.push_back({n * window_s, span_s});
  return g;
}

namespace {

/// The highest grid clock at which the window's ops, all re-timed to it, average at most the
/// TDP (the floor when none does). The re-timed window lasts its length plus the stretch of
/// its busiest stream.
double fitting_clock(const hw::HardwareSpec& nominal, const std::vector<double>& grid_clocks, double len,
                     const std::vector<Share>& shares, const std::vector<PowerSegment>& segs,
                     const DurationAt& duration) {
  const hw::ChipSpec& chip = nominal.chip;
  const double background = hbm_background_power(nominal.memory);
  double chip_j = 0, other_j = 0;
  for (const Share& sh : shares) {
    const Energy& e = segs[sh.segment].nominal;
    chip_j += sh.fraction * e.chip_dynamic();
    other_j += sh.fraction * (e.total() - e.chip_dynamic());
  }
  std::map<int, double> stretch;  // per stream
  for (double f : grid_clocks) {
    const double v = voltage(chip, f);
    stretch.clear();
    for (const Share& sh : shares) {
      const PowerSegment& s = segs[sh.segment];
      if (s.clocked() && sh.overlap_s > 0)
        stretch[s.stream] += sh.overlap_s * (duration(sh.segment, f) / (s.end_s - s.start_s) - 1.0);
    }
    double longest = 0;  // the busiest stream's stretch (negative for a speed-up)
    bool first = true;
    for (const auto& entry : stretch) {
      longest = first ? entry.second : std::max(longest, entry.second);
      first = false;
    }
    const double lasts = std::max(len + longest, 1e-300);
    const double p = (chip_j * v * v + other_j) / lasts + chip_static_power(chip, f) + background;
    if (p <= chip.tdp_w) return f;
  }
  return grid_clocks.back();
}

}  // namespace

std::vector<double> plan_clocks(const hw::HardwareSpec& nominal, double window_s, double span_s,
                                const std::vector<PowerSegment>& segs, const DurationAt& duration) {
  const std::vector<double> grid_clocks = clock_grid(nominal.chip);
  const auto grid = window_grid(window_s, span_s);
  const auto shares = shares_by_window(grid, window_s, segs);
  std::vector<double> clock(segs.size(), 0.0);
  for (size_t i = 0; i < segs.size(); ++i)
    if (segs[i].clocked()) clock[i] = nominal.chip.clock_hz;
  for (size_t w = 0; w < grid.size(); ++w) {
    const double chosen =
        fitting_clock(nominal, grid_clocks, grid[w].second - grid[w].first, shares[w], segs, duration);
    for (const Share& sh : shares[w])
      if (segs[sh.segment].clocked() && sh.binds()) clock[sh.segment] = std::min(clock[sh.segment], chosen);
  }
  return clock;
}

std::vector<PowerWindow> account_windows(const hw::HardwareSpec& nominal, double window_s, double span_s,
                                         const std::vector<PowerSegment>& segs) {
  const hw::ChipSpec& chip = nominal.chip;
  const double background = hbm_background_power(nominal.memory);
  const std::vector<double> grid_clocks = clock_grid(chip);
  const auto grid = window_grid(window_s, span_s);
  const auto shares = shares_by_window(grid, window_s, segs);
  const DurationAt unused = [](size_t, double) { return 0.0; };
  std::vector<PowerWindow> out(grid.size());
  for (size_t w = 0; w < grid.size(); ++w) {
    PowerWindow& pw = out[w];
    pw.start_s = grid[w].first, pw.end_s = grid[w].second;
    const double len = pw.end_s - pw.start_s;
    double busy = 0, clock_time = 0;
    for (const Share& sh : shares[w]) {
      const PowerSegment& s = segs[sh.segment];
      if (s.clocked() && sh.binds()) busy += sh.overlap_s, clock_time += sh.overlap_s * s.clock_hz;
      pw.energy += at_voltage(s.nominal, voltage(chip, s.clocked() ? s.clock_hz : chip.clock_hz)).scaled(sh.fraction);
    }
    // The window's clock: its kernels' mean, weighted by their time in it; a window without
    // kernels idles at the controller's clock for it (what its leakage allows).
    pw.clock_hz = busy > 0 ? clock_time / busy : fitting_clock(nominal, grid_clocks, len, shares[w], segs, unused);
    pw.energy[Component::chip_static] += chip_static_power(chip, pw.clock_hz) * len;
    pw.energy[Component::hbm_background] += background * len;
    pw.at_floor = pw.clock_hz <= grid_clocks.back() * (1 + 1e-12) && pw.power_w() > chip.tdp_w;
  }
  return out;
}

}  // namespace strata::models
