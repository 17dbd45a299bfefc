// The windowed power controller: windows over the limit throttle and only those, energy is
// conserved, the cap holds or the run says why not, and kernels re-timed at a clock between
// two simulated anchors stay close to simulating them at that clock.
#include <gtest/gtest.h>

#include <cmath>

#include "models/power/dvfs.h"
#include "models/power/power_controller.h"
#include "sim/config/loader.h"
#include "sim/engine/clocked_costs.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/kernel_cache.h"
#include "sim/engine/run.h"
#include "workloads/kernels.h"
#include "tests/unit/power_test_support.h"

using namespace strata;
using strata::testing::demo;
using strata::testing::scalar;
using models::Component;

namespace {

hw::HardwareSpec h800() {
  return hw::HardwareSpec::schema().bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml", {}));
}

/// Back-to-back 1 ms kernels on one stream; those starting in [burst_lo, burst_hi) draw
/// `burst_w` of chip dynamic power at nominal voltage, the others `base_w`.
std::vector<models::PowerSegment> kernels(int n, double base_w, double burst_w, double burst_lo, double burst_hi,
                                          double clock_hz) {
  std::vector<models::PowerSegment> s;
  for (int i = 0; i < n; ++i) {
    models::PowerSegment k;
    k.start_s = i * 1e-3, k.end_s = (i + 1) * 1e-3;
    const bool burst = k.start_s >= burst_lo - 1e-12 && k.start_s < burst_hi - 1e-12;
    k.nominal[Component::tensor] = (burst ? burst_w : base_w) * 1e-3;
    k.clock_hz = clock_hz;
    s.push_back(k);
  }
  return s;
}

/// Fully clock-bound kernels, re-timed one after another at their planned clocks.
std::vector<models::PowerSegment> retime(std::vector<models::PowerSegment> s, const std::vector<double>& clock,
                                         double f0) {
  double t = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const double d = 1e-3 * f0 / clock[i];
    s[i].start_s = t, s[i].end_s = t + d, s[i].clock_hz = clock[i];
    t += d;
  }
  return s;
}

double span_of(const std::vector<models::PowerSegment>& s) { return s.back().end_s; }

/// Fully clock-bound: the time at a clock is the time at nominal scaled by the clock ratio.
models::DurationAt clock_bound(const std::vector<models::PowerSegment>& s) {
  return [&s](size_t i, double f) { return (s[i].end_s - s[i].start_s) * s[i].clock_hz / f; };
}

const std::vector<double>& column(const results::Table& t, const char* name) {
  return std::get<std::vector<double>>(t.find(name)->data);
}

}  // namespace

TEST(PowerController, FlatTimelineUnderTheLimitNeverThrottles) {
  const hw::HardwareSpec h = h800();
  const double f0 = h.chip.clock_hz;
  // 300 W of chip dynamic power plus leakage and HBM background: well under 700 W.
  auto segs = kernels(40, 300, 300, 0, 0, f0);
  const auto clock = models::plan_clocks(h, 5e-3, span_of(segs), segs, clock_bound(segs));
  for (double c : clock) EXPECT_DOUBLE_EQ(c, f0);
  for (const models::PowerWindow& w : models::account_windows(h, 5e-3, span_of(segs), segs)) {
    EXPECT_DOUBLE_EQ(w.clock_hz, f0);
    EXPECT_LT(w.power_w(), h.chip.tdp_w);
  }
}

TEST(PowerController, FiveMillisecondBurstThrottlesOnlyItsWindow) {
  const hw::HardwareSpec h = h800();
  const double f0 = h.chip.clock_hz, window = 5e-3;
  // 40 ms of 300 W kernels with a 5 ms burst of 900 W in the window [10, 15) ms.
  auto segs = kernels(40, 300, 900, 10e-3, 15e-3, f0);
  std::vector<double> clock(segs.size(), f0);
  // The engine's loop: plan, re-time, plan again until the clocks stop moving.
  bool settled = false;
  for (int it = 0; it < 12 && !settled; ++it) {
    const auto next = models::plan_clocks(h, window, span_of(segs), segs, clock_bound(segs));
    settled = next == clock;
    clock = next;
    segs = retime(segs, clock, f0);
  }
  ASSERT_TRUE(settled);
  const auto windows = models::account_windows(h, window, span_of(segs), segs);
  // Throttled, the burst lasts longer than its window: its last kernel moves into the next
  // window, which averages under the TDP with it, so it runs at nominal there. Every kernel
  // that shares no window with the burst keeps the nominal clock; the burst's own window is
  // throttled and fits the TDP within a clock step; no window is over the TDP.
  const double burst_end = segs[14].end_s;
  ASSERT_GT(burst_end, 15e-3);
  ASSERT_LT(burst_end, 20e-3);
  int throttled = 0;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (i >= 10 && i < 15) {
      throttled += clock[i] < f0;
      if (segs[i].end_s <= 15e-3) {
        EXPECT_LT(clock[i], f0) << "burst kernel " << i << " in the burst's window";
      }
    } else if (segs[i].end_s <= 10e-3 + 1e-12 || segs[i].start_s >= 20e-3 - 1e-12) {
      EXPECT_DOUBLE_EQ(clock[i], f0) << "kernel " << i << " shares no window with the burst";
    }
  }
  EXPECT_GE(throttled, 3);
  for (size_t w = 0; w < windows.size(); ++w) {
    EXPECT_LE(windows[w].power_w(), h.chip.tdp_w * (1 + 1e-9)) << "window " << w;
    EXPECT_FALSE(windows[w].at_floor);
    if (w != 2 && w != 3) {
      EXPECT_DOUBLE_EQ(windows[w].clock_hz, f0) << "window " << w;
    }
  }
  EXPECT_LT(windows[2].clock_hz, f0);
  EXPECT_GT(windows[2].power_w(), h.chip.tdp_w * 0.97);
}

TEST(PowerController, WindowsHoldExactlyTheEnergy) {
  const hw::HardwareSpec h = h800();
  const double f0 = h.chip.clock_hz;
  auto segs = kernels(23, 250, 800, 3e-3, 9e-3, f0);
  for (size_t i = 0; i < segs.size(); ++i) segs[i].nominal[Component::hbm_io] = 0.05 * (i % 3);
  segs[4].clock_hz = 1500e6;  // a kernel at a lower voltage
  segs.push_back(models::PowerSegment{});  // a collective's link energy over the whole span
  segs.back().end_s = 23e-3;
  segs.back().nominal[Component::links] = 0.7;
  const double span = 23e-3;
  models::Energy windows, parts;
  double leak = 0;
  for (const models::PowerWindow& w : models::account_windows(h, 5e-3, span, segs)) {
    windows += w.energy;
    leak += models::chip_static_power(h.chip, w.clock_hz) * (w.end_s - w.start_s);
  }
  for (const models::PowerSegment& s : segs)
    parts += models::at_voltage(s.nominal, h.chip.dvfs.voltage_fraction(s.clocked() ? s.clock_hz : f0, f0));
  parts[Component::chip_static] = leak;
  parts[Component::hbm_background] = models::hbm_background_power(h.memory) * span;
  for (int c = 0; c < models::kComponentCount; ++c) EXPECT_NEAR(windows.j[c], parts.j[c], 1e-12) << c;
  // The 1.5 GHz kernel's window runs at its clock: its leakage is lower.
  EXPECT_LT(windows[Component::chip_static], models::chip_static_power(h.chip, f0) * span);
}

TEST(PowerController, CapHoldsOnAScenarioOrSaysItCannot) {
  results::Result r = sim::run_scenario(demo({"hardware.chip.tdp=400 W"}));
  EXPECT_EQ(scalar(r, "power_cap_status"), 1.0);  // throttled, within the TDP
  EXPECT_LT(scalar(r, "clock_min"), scalar(r, "clock_nominal"));
  EXPECT_LE(scalar(r, "power_window_max"), 400.0 * (1 + 1e-9));
  const results::Table* t = r.table("power_timeline");
  ASSERT_NE(t, nullptr);
  for (double p : column(*t, "total")) EXPECT_LE(p, 400.0 * (1 + 1e-9));
  // Below what leakage and HBM background alone draw at the clock floor, no clock fits: the
  // run says so (status 2) and reports the power it draws, never a silent over-cap result.
  results::Result floor = sim::run_scenario(demo({"hardware.chip.tdp=120 W"}));
  EXPECT_EQ(scalar(floor, "power_cap_status"), 2.0);
  EXPECT_GT(scalar(floor, "power_window_max"), 120.0);
  EXPECT_DOUBLE_EQ(scalar(floor, "clock_min"), 1000e6);
  // Cap off: status 4, nominal clock.
  results::Result off = sim::run_scenario(demo({"hardware.chip.tdp=400 W", "power_cap=false"}));
  EXPECT_EQ(scalar(off, "power_cap_status"), 4.0);
  EXPECT_GT(scalar(off, "power_window_max"), 400.0);
  EXPECT_LT(scalar(off, "step_time"), scalar(r, "step_time"));
}

TEST(PowerController, StepAverageModeSetsOneClock) {
  results::Result r = sim::run_scenario(demo({"hardware.chip.tdp=400 W", "power_control=step_average"}));
  EXPECT_EQ(scalar(r, "power_cap_status"), 1.0);
  EXPECT_NEAR(scalar(r, "clock"), scalar(r, "clock_min"), 1e-9 * scalar(r, "clock"));  // one clock
  EXPECT_LE(scalar(r, "power_per_gpu_max"), 400.0 * (1 + 1e-9));
  EXPECT_NEAR(scalar(r, "power_window"), scalar(r, "step_time"), 1e-12 * scalar(r, "step_time"));
}

TEST(PowerController, RunsAreDeterministic) {
  results::Result a = sim::run_scenario(demo({"hardware.chip.tdp=400 W"}));
  results::Result b = sim::run_scenario(demo({"hardware.chip.tdp=400 W"}));
  EXPECT_EQ(scalar(a, "step_time"), scalar(b, "step_time"));
  EXPECT_EQ(column(*a.table("power_timeline"), "clock"), column(*b.table("power_timeline"), "clock"));
}

// Anchors every 8 grid clocks (120 MHz): a kernel's time at a clock between two of them,
// interpolated in 1 / clock, against the cycle-level model run at that clock.
TEST(ClockedCosts, InterpolationMatchesSimulatingAtTheClock) {
  const hw::HardwareSpec h = h800();
  const int sms = h.chip.sm_count;
  workloads::OpGraph g;
  g.add(workloads::gemm("compute-bound gemm", 0, 4096, 4096, 4096, hw::DType::bf16));
  g.add(workloads::gemm("skinny gemm", 0, 128, 7168, 2048, hw::DType::fp8));
  g.add(workloads::elementwise("stream", 0, 256e6, 256e6, 128e6));
  sim::KernelCache cache(sim::KernelCache::default_dir());
  auto at = [&](double clock) -> std::unique_ptr<models::OpCostModel> {
    hw::HardwareSpec x = h;
    x.chip.clock_hz = clock;
    return std::make_unique<sim::CycleCostModel>(x, sms, cache, sim::CycleCostModel::Mode::simulate);
  };
  sim::ClockedCosts costs(g, h, 0, at, 8);
  const double target = 1650e6;  // between the 1710 and 1590 MHz anchors
  std::vector<std::pair<size_t, double>> wanted;
  for (size_t id = 0; id < g.size(); ++id) wanted.push_back({id, target});
  costs.prepare(wanted);
  EXPECT_EQ(costs.anchors_used(), 3);
  std::unique_ptr<models::OpCostModel> direct = at(target);
  direct->prepare(g.ops());
  for (size_t id = 0; id < g.size(); ++id) {
    const double want = direct->cost(g.op(id)).time_s, got = costs.cost(id, target).time_s;
    EXPECT_NEAR(got / want, 1.0, 0.01) << g.op(id).name << ": " << got * 1e6 << " us vs " << want * 1e6 << " us";
    EXPECT_GE(got, costs.cost(id, target).bound_s);
    EXPECT_GE(got, costs.cost(id, h.chip.clock_hz).time_s);  // never faster at a lower clock
  }
}
