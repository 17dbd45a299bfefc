// Energy accounting, the power cap, cost of service and node retargeting through configs.
#include <gtest/gtest.h>

#include <cmath>

#include "hw/economics.h"
#include "models/power/dvfs.h"
#include "models/power/energy.h"
#include "sim/config/error.h"
#include "sim/config/loader.h"
#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "workloads/kernels.h"
#include "tests/unit/power_test_support.h"

using namespace strata;
using strata::testing::demo;
using strata::testing::scalar;
using models::Component;

namespace {

hw::HardwareSpec preset(const std::string& name, const std::vector<std::string>& overrides = {}) {
  return hw::HardwareSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hw/" + name + ".yaml", overrides));
}

}  // namespace

TEST(Energy, GemmActivityAndJoulesByHand) {
  hw::HardwareSpec h = preset("h800-sxm");
  workloads::Op op = workloads::gemm("g", 0, 4096, 4096, 4096, hw::DType::bf16);
  models::Activity a = models::activity_of(op, h);
  EXPECT_DOUBLE_EQ(a.tensor_flops, 2.0 * 4096 * 4096 * 4096);
  // Operand panels of 128 x 128 tiles: 2 B / 128 per FLOP through shared memory and L2.
  EXPECT_DOUBLE_EQ(a.l2_bytes, op.flops * 2 / 128 + op.bytes);
  EXPECT_DOUBLE_EQ(a.hbm_activates, op.bytes / 1024);  // 1 KiB HBM3 pages, streamed
  models::Energy e = models::dynamic_energy(a, h, 1.0);
  EXPECT_NEAR(e[Component::tensor], op.flops * 0.58e-12, 1e-9);
  EXPECT_NEAR(e[Component::hbm_io], op.bytes * 8 * 2.5e-12, 1e-12);
  // At 0.9 x nominal voltage the chip's parts cost 0.81x; HBM's do not change.
  models::Energy low = models::dynamic_energy(a, h, 0.9);
  EXPECT_NEAR(low[Component::tensor], 0.81 * e[Component::tensor], 1e-12);
  EXPECT_DOUBLE_EQ(low[Component::hbm_core], e[Component::hbm_core]);
}

TEST(Energy, LeakageIsTheNodeShareOfABusyChip) {
  hw::HardwareSpec h = preset("h800-sxm");
  const double busy = models::busy_dynamic_power(h.chip);
  // N4's leakage share 0.25: static / (static + busy dynamic) = 0.25 at nominal.
  const double leak = models::chip_static_power(h.chip, h.chip.clock_hz);
  EXPECT_NEAR(leak / (leak + busy), 0.25, 1e-12);
  // At the lowest DVFS point the voltage is 0.8 x nominal: leakage x 0.64.
  EXPECT_NEAR(models::chip_static_power(h.chip, h.chip.dvfs.min_clock_hz), 0.64 * leak, 1e-9);
}

TEST(PowerCap, ClockFallsUntilThePowerFits) {
  hw::HardwareSpec h = preset("h800-sxm");
  // A compute-bound step drawing 900 W of chip dynamic power at nominal.
  models::StepPower s{h.chip.clock_hz, 1.0, 900.0, 10.0, 1.0};
  const double f = models::capped_clock(h, s);
  EXPECT_LT(f, h.chip.clock_hz);
  EXPECT_LE(models::predicted_power(h, s, f), h.chip.tdp_w);
  EXPECT_GT(models::predicted_power(h, s, f + h.chip.dvfs.clock_step_hz), h.chip.tdp_w);
  EXPECT_DOUBLE_EQ(std::fmod(h.chip.clock_hz - f, 15e6), 0.0);  // on the 15 MHz grid
  // A light step keeps the nominal clock.
  models::StepPower light{h.chip.clock_hz, 1.0, 100.0, 10.0, 1.0};
  EXPECT_DOUBLE_EQ(models::capped_clock(h, light), h.chip.clock_hz);
}

TEST(PowerCap, ScenarioThrottlesAndStaysUnderTdp) {
  // The demo decode step draws ~460 W per GPU; under a 400 W cap the clock must fall.
  results::Result r = sim::run_scenario(demo({"hardware.chip.tdp=400 W"}));
  EXPECT_LT(scalar(r, "clock"), scalar(r, "clock_nominal"));
  EXPECT_GE(scalar(r, "power_cap_iterations"), 2);
  EXPECT_LE(scalar(r, "power_window_max"), 400.0 * (1 + 1e-9));
  EXPECT_GT(scalar(r, "power_window_max"), 390.0);  // and close to it: within a 15 MHz step or two
  results::Result free = sim::run_scenario(demo({"hardware.chip.tdp=400 W", "power_cap=false"}));
  EXPECT_GT(scalar(free, "power_per_gpu_max"), 400.0);
  EXPECT_LT(scalar(free, "step_time"), scalar(r, "step_time"));
}

TEST(PowerReport, ComponentsAddUpAndCostFollowsTheFormula) {
  results::Result r = sim::run_scenario(demo());
  double parts = 0;
  for (Component c : {Component::tensor, Component::vector, Component::smem, Component::l2, Component::chip_static,
                      Component::hbm_core, Component::hbm_io, Component::hbm_background, Component::links,
                      Component::die_to_die})
    parts += scalar(r, (std::string("power_") + models::component_name(c)).c_str());
  EXPECT_NEAR(parts, scalar(r, "power_per_gpu"), 1e-9 * parts);
  // The power timeline holds every GPU's energy (checked inside the report as well): its
  // windows' energy over the span is the mean GPU power times the GPUs.
  const results::Table* t = r.table("power_timeline");
  ASSERT_NE(t, nullptr);
  const auto& total = std::get<std::vector<double>>(t->find("total")->data);
  const auto& start = std::get<std::vector<double>>(t->find("start")->data);
  const auto& end = std::get<std::vector<double>>(t->find("end")->data);
  double joules = 0, span = 0;
  for (size_t i = 0; i < total.size(); ++i) joules += total[i] * (end[i] - start[i]), span = std::max(span, end[i]);
  EXPECT_NEAR(joules / span / 8, scalar(r, "power_per_gpu"), 1e-9 * joules);
  // IT power: 8 GPUs plus the node's overhead (4.6 kW) plus the network's rated power.
  EXPECT_NEAR(scalar(r, "it_power"), 8 * scalar(r, "power_per_gpu") + 4600 + scalar(r, "network_power"), 1e-6);
  EXPECT_NEAR(scalar(r, "energy_per_token") * scalar(r, "tokens_per_s"), scalar(r, "it_power"), 1e-6);
  // $ per million tokens by hand: ($25,000 + $12,000) x 8 and the network's capital over 4 years,
  // plus IT power x 1.3 at $0.08/kWh.
  const double per_s = (8 * 37000.0 + scalar(r, "network_capital")) / (4 * 365.25 * 86400) +
                       scalar(r, "it_power") * 1.3 / 1000 * 0.08 / 3600;
  EXPECT_NEAR(scalar(r, "usd_per_million_tokens"), per_s / scalar(r, "tokens_per_s") * 1e6, 1e-12);
}

TEST(Economics, PriceFallsBackToMarkedUpCost) {
  hw::EconomicsSpec e = hw::EconomicsSpec::schema().bind(config::parse_yaml("{}", "t"));
  EXPECT_DOUBLE_EQ(hw::accelerator_price(e, 25000, 3000), 25000);
  EXPECT_DOUBLE_EQ(hw::accelerator_price(e, 0, 3000), 12000);  // 75% gross margin
  e.accelerator_price_usd = 20000;
  EXPECT_DOUBLE_EQ(hw::accelerator_price(e, 25000, 3000), 20000);
  hw::CostOfService c = hw::cost_of_service(e, 1000, 20000, 1e6, 1e6);
  EXPECT_NEAR(c.energy_usd_per_s, 1e6 * 1.3 / 1000 * 0.08 / 3600, 1e-12);
  EXPECT_NEAR(c.usd_per_million_tokens, c.usd_per_s, 1e-12);
}

TEST(Retarget, ThroughTheHardwareConfig) {
  hw::HardwareSpec n4 = preset("h800-sxm"), n7 = preset("h800-n7"), area = preset("h800-n2-iso-area");
  EXPECT_EQ(n7.chip.node.name, "TSMC N7");
  EXPECT_GT(n7.chip.energy.tensor_bf16_j, n4.chip.energy.tensor_bf16_j);  // N7 costs more per FLOP
  // 814 mm2 on N4 grows past the 858 mm2 reticle on N7: two dies.
  EXPECT_GT(n7.chip.die_area_m2, 858e-6);
  EXPECT_EQ(n7.chip.compute_dies, 2);
  EXPECT_TRUE(n7.retarget.empty());
  EXPECT_FALSE(n7.retarget_changes.empty());
  // Iso-area on N2 keeps N7's die and fits more SMs.
  EXPECT_NEAR(area.chip.die_area_m2, n7.chip.die_area_m2, 1e-12);
  EXPECT_GT(area.chip.sm_count, 2 * n4.chip.sm_count);
}

TEST(HardwareChecks, MoreStacksThanSitesIsRejected) {
  try {
    preset("h100-sxm", {"memory.stacks=7", "memory.capacity=112 GiB"});
    FAIL() << "accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("7 HBM stacks, but the package has 6 sites (chip.hbm_sites)"),
              std::string::npos)
        << e.what();
  }
}

TEST(PowerReport, ReplayedKernelsWithoutShapesDrawTheirClassesPower) {
  // A profiler trace has kernel names and times, no shapes: each kernel draws what its class's
  // reference kernel draws per second, not leakage alone.
  results::Result r = sim::run_scenario(demo({"workload.source=trace",
                                              "workload.trace.file=" STRATA_SOURCE_DIR "/tests/data/kineto/one_rank.json"}));
  EXPECT_GT(scalar(r, "power_tensor"), 10.0);
  EXPECT_GT(scalar(r, "power_hbm_io"), 1.0);
  EXPECT_GT(scalar(r, "power_per_gpu"), scalar(r, "power_chip_static") + scalar(r, "power_hbm_background") + 20.0);
}
