// Capacity plans (sim/plan): demand arithmetic, the prefill mix, the choice of unit, fleet
// sizing worked by hand, unit consistency, monotonicity (more demand never needs fewer
// accelerators; tighter targets never cost less) and the plan file's errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "sim/config/error.h"
#include "sim/plan/candidates.h"
#include "sim/plan/demand.h"
#include "sim/plan/sizing.h"
#include "sim/plan/svg_chart.h"
#include "tests/unit/test_support.h"

using namespace strata::plan;
using strata::config::ConfigError;
using strata::hw::EconomicsSpec;

namespace {

EconomicsSpec economics() {
  EconomicsSpec e;
  e.gross_margin = 0.75;
  e.system_cost_per_gpu_usd = 10000;
  e.life_years = 4;
  e.electricity_usd_per_kwh = 0.1;
  e.pue = 1.25;
  return e;
}

Unit unit(int nodes, double capacity, double latency, double power_w, double price = 20000) {
  Unit u;
  u.simulated = true;
  u.fits = true;
  u.nodes = nodes;
  u.gpus = nodes * 8;
  u.capacity_tokens_per_s = capacity;
  u.latency_s = latency;
  u.it_power_w = power_w;
  u.price_usd = price;
  u.logic_wafers_per_gpu = 0.02;
  u.cowos_wafers_per_gpu = 0.03;
  u.hbm_stacks_per_gpu = 6;
  return u;
}

PlanInputs inputs(double input_per_day, double output_per_day) {
  PlanInputs in;
  DemandSpec d;
  d.input_tokens_per_day = input_per_day;
  d.output_tokens_per_day = output_per_day;
  d.peak_to_average = 1.5;
  in.rates = demand_rates(d);
  in.kv_hit_rate = 0.5;
  in.targets.ttft_s = 2;
  in.targets.tpot_s = 0.05;
  in.targets.peak_utilisation = 0.8;
  in.economics = economics();
  in.prices.input_cache_hit_usd = 0.1;
  in.prices.input_cache_miss_usd = 0.3;
  in.prices.output_usd = 1.0;
  in.nodes_per_rack = 4;
  return in;
}

}  // namespace

TEST(PlanDemand, RatesAndPeakFromProfile) {
  DemandSpec d;
  d.input_tokens_per_day = 86400e6;
  d.output_tokens_per_day = 8640e6;
  d.peak_to_average = 2;
  Rates r = demand_rates(d);
  EXPECT_DOUBLE_EQ(r.input_avg, 1e6);
  EXPECT_DOUBLE_EQ(r.output_avg, 1e5);
  EXPECT_DOUBLE_EQ(r.input_peak, 2e6);
  // A profile replaces the ratio: 23 hours at 1 and one at 3 -> peak 3 / mean (26 / 24).
  d.profile.assign(24, 1.0);
  d.profile[18] = 3;
  EXPECT_DOUBLE_EQ(peak_factor(d), 3 / (26.0 / 24));
}

TEST(PlanDemand, DecodeContextIsTheMeanOverOutputTokens) {
  // Prompts 1000 (all); outputs 1 or 3 tokens, half each: contexts 1000 | 1000, 1001, 1002
  // -> mean over the 4 output tokens 1000.75 = 1000 + E[O(O-1)] / (2 E[O]) = 1000 + 3 / 4.
  std::vector<LengthPoint> prompts = {{1000, 1}}, outputs = {{1, 0.5}, {3, 0.5}};
  EXPECT_DOUBLE_EQ(decode_context(prompts, outputs), 1000.75);
  EXPECT_DOUBLE_EQ(mean_length(outputs), 2);
}

TEST(PlanDemand, PrefillMixByHand) {
  // Two lengths, request shares 3/4 and 1/4 of prompts of 1000 and 3000 tokens: token shares
  // 1/2 and 1/2. Throughputs 100 and 50 new tokens/s -> mix 1 / (0.5/100 + 0.5/50) = 66.67.
  PrefillPoint a{1000, 0.75, 10, 100, 200, 1}, b{3000, 0.25, 30, 50, 100, 2};
  PrefillMix m = prefill_mix({a, b}, 0.9);
  EXPECT_NEAR(m.new_tokens_per_s, 200.0 / 3, 1e-9);
  EXPECT_NEAR(m.input_tokens_per_s, 400.0 / 3, 1e-9);
  // Tokens per step: 0.5 x 10 + 0.5 x 30 = 20 -> step 20 / 66.67 = 0.3 s.
  EXPECT_NEAR(m.step_time_s, 0.3, 1e-12);
  // p90 over requests: 75% need 1 step, 25% need 2 -> the p90 request needs 2, plus one of waiting.
  EXPECT_NEAR(m.ttft_s, 3 * 0.3, 1e-12);
  EXPECT_NEAR(prefill_mix({a, b}, 0.75).ttft_s, 2 * 0.3, 1e-12);
}

TEST(PlanSizing, WorkedExampleByHand) {
  PlanInputs in = inputs(86400 * 10000.0, 86400 * 2000.0);  // 10k input and 2k output tokens/s
  std::vector<Unit> prefill = {unit(4, 5000, 1.5, 40000)};
  std::vector<Unit> decode = {unit(2, 700, 0.04, 18000)};
  OptionPlan p = plan_option("x", prefill, decode, in);
  ASSERT_TRUE(p.feasible);
  // Peak 15k input tokens/s over 5000 x 0.8 = 4000 per unit -> 3.75 -> 4 units of 32 GPUs.
  EXPECT_EQ(p.prefill_fleet.units, 4);
  EXPECT_EQ(p.prefill_fleet.gpus, 128);
  // Peak 3k output tokens/s over 700 x 0.8 = 560 -> 5.36 -> 6 units of 16 GPUs.
  EXPECT_EQ(p.decode_fleet.units, 6);
  EXPECT_EQ(p.gpus, 224);
  EXPECT_EQ(p.nodes, 28);
  EXPECT_EQ(p.racks, 7);
  EXPECT_DOUBLE_EQ(p.it_power_w, 4 * 40000 + 6 * 18000);
  EXPECT_DOUBLE_EQ(p.facility_power_w, p.it_power_w * 1.25);
  EXPECT_DOUBLE_EQ(p.capital_usd, 224 * 30000.0);
  // Supply: per-GPU figures times GPUs.
  SupplySpec s;
  LogicCapacity c;
  c.processes = {"TSMC 4N"};
  c.wafers_per_month = 100;
  s.logic = {c};
  s.cowos_wafers_per_month = 50;
  count_supply(p, decode[0], "TSMC 4N", s);
  EXPECT_NEAR(p.supply.logic_wafers, 4.48, 1e-12);
  EXPECT_NEAR(p.supply.logic_share, 0.0448, 1e-12);
  EXPECT_NEAR(p.supply.cowos_share, 224 * 0.03 / 50, 1e-12);
  EXPECT_TRUE(std::isnan(p.supply.hbm_share));
  EXPECT_DOUBLE_EQ(p.supply.hbm_stacks, 224 * 6);
  count_supply(p, decode[0], "TSMC N2", s);
  EXPECT_TRUE(std::isnan(p.supply.logic_share));  // no capacity given for that process
}

// Each unit brings its cluster's network: the fleet's is units x the unit's, its capital joins the
// accelerators' and its cost per second, its power is already in the units' IT power.
TEST(PlanSizing, NetworkOfTheUnitsByHand) {
  PlanInputs in = inputs(86400 * 10000.0, 86400 * 2000.0);
  Unit pre = unit(4, 5000, 1.5, 40000), dec = unit(2, 700, 0.04, 18000);
  pre.network = {12, 96, 0, 0, 80, 3000, 250000};
  dec.network = {12, 56, 0, 0, 48, 2000, 150000};
  OptionPlan p = plan_option("x", {pre}, {dec}, in);
  ASSERT_TRUE(p.feasible);
  ASSERT_EQ(p.prefill_fleet.units, 4);  // as in WorkedExampleByHand
  ASSERT_EQ(p.decode_fleet.units, 6);
  EXPECT_DOUBLE_EQ(p.network.switch_chips, 4 * 12 + 6 * 12);
  EXPECT_DOUBLE_EQ(p.network.transceivers, 4 * 96 + 6 * 56);
  EXPECT_DOUBLE_EQ(p.network.capital_usd, 4 * 250000.0 + 6 * 150000.0);
  EXPECT_DOUBLE_EQ(p.capital_usd, 224 * 30000.0 + p.network.capital_usd);
  EXPECT_DOUBLE_EQ(p.it_power_w, 4 * 40000 + 6 * 18000);  // the network's power is inside each unit's
  const double year_s = 365.25 * 86400;
  const double energy = p.it_power_w * 1.25 / 3.6e6 * 0.1;
  EXPECT_NEAR(p.total_cost.usd_per_s, p.capital_usd / (4 * year_s) + energy, 1e-9 * p.total_cost.usd_per_s);
  EXPECT_NEAR(p.input_cost.usd_per_s + p.output_cost.usd_per_s, p.total_cost.usd_per_s, 1e-9 * p.total_cost.usd_per_s);
}

TEST(PlanSizing, AFleetsNetworkReplacesItsUnitsOwn) {
  // As above, but the fleet is counted as one fabric: 1 switch chip and 2.5 transceivers per
  // node, 100 W and $2,000 per node, whatever the unit carries alone.
  PlanInputs in = inputs(86400 * 10000.0, 86400 * 2000.0);
  Unit pre = unit(4, 5000, 1.5, 40000), dec = unit(2, 700, 0.04, 18000);
  pre.network = {12, 96, 0, 0, 80, 3000, 250000};
  dec.network = {12, 56, 0, 0, 48, 2000, 150000};
  in.fleet_network = [](const Unit& u, int units) {
    const double nodes = units * u.nodes;
    return NetworkCounts{nodes, 2.5 * nodes, 0, 0, 0, 100 * nodes, 2000 * nodes};
  };
  OptionPlan p = plan_option("x", {pre}, {dec}, in);
  ASSERT_TRUE(p.feasible);
  ASSERT_EQ(p.prefill_fleet.units, 4);
  ASSERT_EQ(p.decode_fleet.units, 6);
  const double nodes = 4 * pre.nodes + 6 * dec.nodes;
  EXPECT_DOUBLE_EQ(p.network.switch_chips, nodes);
  EXPECT_DOUBLE_EQ(p.network.transceivers, 2.5 * nodes);
  EXPECT_DOUBLE_EQ(p.network.capital_usd, 2000 * nodes);
  EXPECT_DOUBLE_EQ(p.capital_usd, 224 * 30000.0 + 2000 * nodes);
  // Each unit's own network power leaves its IT power; the fleet's comes in.
  EXPECT_DOUBLE_EQ(p.it_power_w, 4 * (40000 - 3000) + 6 * (18000 - 2000) + 100 * nodes);
}

TEST(PlanSizing, UnitsAreConsistent) {
  PlanInputs in = inputs(50e9, 10e9);
  OptionPlan p = plan_option("x", {unit(4, 8000, 1, 50000)}, {unit(18, 9000, 0.04, 200000)}, in);
  ASSERT_TRUE(p.feasible);
  const double year_s = 365.25 * 86400;
  // Dollars per second: capital over the life plus energy in kWh at the facility.
  double capital = p.gpus * (20000 + 10000) / (4 * year_s);
  double energy = p.it_power_w * 1.25 / 3.6e6 * 0.1;
  EXPECT_NEAR(p.total_cost.usd_per_s, capital + energy, 1e-9 * (capital + energy));
  EXPECT_NEAR(p.cost_usd_per_day, p.total_cost.usd_per_s * 86400, 1e-9 * p.cost_usd_per_day);
  // Input and output costs add up to the whole; $/M = $/s / (tokens/s) x 1e6.
  EXPECT_NEAR(p.input_cost.usd_per_s + p.output_cost.usd_per_s, p.total_cost.usd_per_s, 1e-9 * p.total_cost.usd_per_s);
  EXPECT_NEAR(p.output_cost.usd_per_million_tokens, p.output_cost.usd_per_s / (10e9 / 86400) * 1e6, 1e-9);
  EXPECT_NEAR(p.total_cost.usd_per_million_tokens, p.total_cost.usd_per_s / (60e9 / 86400) * 1e6, 1e-9);
  // Revenue: 25 G hits at $0.1/M, 25 G misses at $0.3/M, 10 G output at $1/M.
  EXPECT_NEAR(p.revenue_usd_per_day, 25e3 * 0.1 + 25e3 * 0.3 + 10e3 * 1.0, 1e-6);
}

TEST(PlanSizing, MoreDemandNeverNeedsFewerAccelerators) {
  std::vector<Unit> prefill = {unit(4, 8000, 1, 50000), unit(2, 3000, 0.5, 20000)};
  std::vector<Unit> decode = {unit(18, 9000, 0.045, 200000), unit(4, 1500, 0.02, 40000)};
  double last = 0;
  for (double scale = 0.01; scale < 100; scale *= 1.37) {
    OptionPlan p = plan_option("x", prefill, decode, inputs(scale * 10e9, scale * 3e9));
    ASSERT_TRUE(p.feasible);
    EXPECT_GE(p.gpus, last) << "at demand x" << scale;
    // The fleet carries the peak at the utilisation target (0.8).
    PlanInputs in = inputs(scale * 10e9, scale * 3e9);
    EXPECT_GE(p.prefill_fleet.capacity_tokens_per_s * 0.8, in.rates.input_peak * (1 - 1e-12));
    EXPECT_GE(p.decode_fleet.capacity_tokens_per_s * 0.8, in.rates.output_peak * (1 - 1e-12));
    last = p.gpus;
  }
}

TEST(PlanSizing, TighterTargetsNeverCostLess) {
  // Decode units trading latency for cost: faster ones are dearer per token.
  std::vector<Unit> decode = {unit(18, 9000, 0.060, 200000), unit(18, 7000, 0.045, 200000),
                              unit(4, 1200, 0.030, 40000), unit(4, 600, 0.015, 40000)};
  std::vector<Unit> prefill = {unit(4, 8000, 3, 50000), unit(4, 4000, 1.2, 50000), unit(4, 1500, 0.4, 50000)};
  EconomicsSpec e = economics();
  double last_cost = 0;
  for (double tpot : {0.1, 0.06, 0.05, 0.045, 0.03, 0.02, 0.015}) {
    PlanInputs in = inputs(50e9, 10e9);
    in.targets.tpot_s = tpot;
    OptionPlan p = plan_option("x", prefill, decode, in);
    ASSERT_TRUE(p.feasible) << tpot;
    EXPECT_GE(p.output_cost.usd_per_million_tokens, last_cost) << "TPOT target " << tpot;
    last_cost = p.output_cost.usd_per_million_tokens;
  }
  EXPECT_FALSE(cheapest(decode, 0.01, e, 1000, 1).has_value());
  double last_total = 0;
  for (double ttft : {5.0, 2.0, 1.0, 0.5}) {
    PlanInputs in = inputs(50e9, 10e9);
    in.targets.ttft_s = ttft;
    OptionPlan p = plan_option("x", prefill, decode, in);
    ASSERT_TRUE(p.feasible);
    EXPECT_GE(p.input_cost.usd_per_million_tokens, last_total) << "TTFT target " << ttft;
    last_total = p.input_cost.usd_per_million_tokens;
  }
  PlanInputs in = inputs(50e9, 10e9);
  in.targets.ttft_s = 0.1;
  OptionPlan p = plan_option("x", prefill, decode, in);
  EXPECT_FALSE(p.feasible);
  EXPECT_NE(p.why_not.find("prefill: the fastest choice gives TTFT 400 ms, above the target 100 ms"), std::string::npos)
      << p.why_not;
}

TEST(PlanSizing, UnitsThatDoNotFitOrFailAreNeverChosen) {
  EconomicsSpec e = economics();
  Unit cheap = unit(4, 100000, 0.01, 1000);
  cheap.fits = false;
  Unit failed = unit(4, 100000, 0.01, 1000);
  failed.simulated = false;
  std::vector<Unit> us = {cheap, failed, unit(4, 1000, 0.04, 40000)};
  EXPECT_EQ(cheapest(us, 0.05, e, 5000, 1), std::optional<size_t>(2));
  EXPECT_EQ(cheapest(us, 0.05, e, 0, 1), std::optional<size_t>(2));
}

TEST(PlanCandidates, RedundantExpertsAndChoices) {
  EXPECT_EQ(redundant_experts_for(256, 144), 32);  // DeepSeek's decode: 288 slots
  EXPECT_EQ(redundant_experts_for(256, 32), 0);
  EXPECT_EQ(redundant_experts_for(256, 72), 32);
  EXPECT_EQ(redundant_experts_for(256, 1), 0);
  PhaseSearch s;
  s.nodes = {2, 4};
  s.tp = {1};
  s.batch_per_gpu = {32, 64};
  s.tokens_per_gpu = {4096};
  s.micro_batches = {1, 2};
  auto d = enumerate_choices(s, strata::workloads::Phase::decode);
  ASSERT_EQ(d.size(), 8u);
  EXPECT_EQ(d[0].id(), "n2-tp1-b32-mb1");
  EXPECT_EQ(d[7].id(), "n4-tp1-b64-mb2");
  EXPECT_EQ(d[7].text(), "4 nodes, batch 64/GPU, 2 micro-batches");
  auto p = enumerate_choices(s, strata::workloads::Phase::prefill);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1].id(), "n2-tp1-t4096-mb2");
}

TEST(PlanSvg, ChartsAreSelfContained) {
  BarChart b{"T <1>", "USD", {"a", "b"}, {{"s", {1.5, std::nan("")}}}, 2, "cap"};
  std::string s = render_svg(b);
  EXPECT_EQ(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(s.find("T &lt;1&gt;"), std::string::npos);
  EXPECT_EQ(s.find("<script"), std::string::npos);
  EXPECT_EQ(s, render_svg(b));  // deterministic
  EXPECT_EQ(s.find("href"), std::string::npos);
}

namespace {

class PlanFileTest : public ::testing::Test {
 protected:
  std::string error_of(const std::string& demand_and_targets) {
    std::string path = scratch_.file("p.yaml");
    std::ofstream(path) << "version: 1\nname: t\nmodel: {base: " STRATA_SOURCE_DIR "/configs/workloads/deepseek-v3.yaml}\n"
                        << "options:\n  - {name: a, cluster: " STRATA_SOURCE_DIR "/configs/clusters/hgx-h800.yaml}\n"
                        << demand_and_targets;
    try {
      load_plan(path, {});
      ADD_FAILURE() << "no error for:\n" << demand_and_targets;
    } catch (const ConfigError& e) {
      std::string s = e.what();
      s.replace(s.find(path), path.size(), "p.yaml");
      return s;
    }
    return "";
  }
  strata::testing::ScratchDir scratch_{"strata_plan_"};
};

const char* kDemand =
    "demand:\n  input_tokens_per_day: 1e9\n  output_tokens_per_day: 1e8\n"
    "  prompt_lengths: [{tokens: 1024, share: 1}]\n  output_lengths: [{tokens: 256, share: 1}]\n";

}  // namespace

TEST_F(PlanFileTest, BadInputNamesTheKey) {
  EXPECT_EQ(error_of(std::string(kDemand) + "targets: {ttft: 2 s, tpot: 50}\n"),
            "p.yaml:11:28: error: targets.tpot: '50' has no unit; a time needs one, such as 3.33 us, 15 ns, 2 ms");
  EXPECT_EQ(error_of("demand:\n  input_tokens_per_day: 1e9\n  output_tokens_per_day: 1e8\n"
                     "  prompt_lengths: [{tokens: 1024, share: 0.5}]\n  output_lengths: [{tokens: 256, share: 1}]\n"
                     "targets: {ttft: 2 s, tpot: 50 ms}\n"),
            "p.yaml:9:3: error: demand.prompt_lengths: shares add up to 0.5; they must add up to 1");
  EXPECT_EQ(error_of(std::string(kDemand) + "targets: {ttft: 2 s, tpot: 50 ms, percentle: 0.9}\n"),
            "p.yaml:11:35: error: targets.percentle: unknown key; did you mean 'percentile'? "
            "(allowed here: ttft, tpot, percentile, peak_utilisation)");
}
