// Sweep files: expansion into points (grid order, zip, range, samples, constraints), the
// resolved scenario of each point, and the exact message for each bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "sim/config/error.h"
#include "sim/sweep/expression.h"
#include "sim/sweep/plan.h"
#include "tests/unit/test_support.h"

using strata::config::ConfigError;
using strata::config::Origin;
using namespace strata::sweep;

namespace {

class SweepPlanTest : public ::testing::Test {
 protected:
  /// Writes a sweep file over the demo scenario; `body` holds everything after `scenario:`.
  std::string sweep(const std::string& body) {
    std::string path = scratch_.file("s.yaml");
    std::ofstream(path) << "version: 1\nname: t\nscenario: " STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml\n"
                        << body;
    return path;
  }
  std::string error_of(const std::string& body) {
    std::string path = sweep(body);
    try {
      plan_sweep(path);
      ADD_FAILURE() << "no error for:\n" << body;
    } catch (const ConfigError& e) {
      std::string s = e.what();
      s.replace(s.find(path), path.size(), "s.yaml");
      return s;
    }
    return "";
  }
  strata::testing::ScratchDir scratch_{"strata_sweep_"};
};

std::vector<std::string> column(const SweepPlan& p, size_t axis) {
  std::vector<std::string> out;
  for (const Point& pt : p.points) out.push_back(pt.texts[axis]);
  return out;
}

TEST_F(SweepPlanTest, GridProductFirstAxisSlowest) {
  SweepPlan p = plan_sweep(sweep("axes:\n"
                                 "  - {key: workload.batch_per_gpu, values: [16, 32]}\n"
                                 "  - {key: workload.kv_len, name: kv, values: [1024, 2048, 4096]}\n"));
  ASSERT_EQ(p.points.size(), 6u);
  EXPECT_EQ(p.grid_points, 6u);
  EXPECT_EQ(column(p, 0), (std::vector<std::string>{"16", "16", "16", "32", "32", "32"}));
  EXPECT_EQ(column(p, 1), (std::vector<std::string>{"1024", "2048", "4096", "1024", "2048", "4096"}));
  EXPECT_EQ(p.axes[1].name, "kv");
  EXPECT_EQ(p.axes[1].key, "workload.kv_len");
  EXPECT_EQ(p.axes[0].kind, AxisColumn::Kind::integer);
  EXPECT_EQ(p.axes[0].unit, "1");
  for (size_t i = 0; i < p.points.size(); ++i) {
    EXPECT_EQ(p.points[i].index, i);
    EXPECT_TRUE(p.points[i].error.empty());
  }
  // Each point's scenario is resolved with its values.
  EXPECT_NE(p.points[4].resolved_yaml.find("batch_per_gpu: 32\n"), std::string::npos);
  EXPECT_NE(p.points[4].resolved_yaml.find("kv_len: 2048\n"), std::string::npos);
  EXPECT_EQ(p.points[4].resolved_yaml.rfind("version: 1\n", 0), 0u);
}

TEST_F(SweepPlanTest, ZipRangeAndOverrides) {
  SweepPlan p = plan_sweep(sweep("overrides: {workload.kv_len: 2048}\n"
                                 "axes:\n"
                                 "  - zip:\n"
                                 "      - {key: cluster.nodes, values: [1, 2, 4]}\n"
                                 "      - {key: parallel.attention_dp, range: {from: 8, to: 32, times: 2}}\n"
                                 "      - {key: parallel.ep, range: {from: 8, to: 32, times: 2}}\n"
                                 "  - {key: hardware.chip.clock, range: {from: 1400, to: 1800, step: 200, unit: MHz}}\n"));
  ASSERT_EQ(p.points.size(), 9u);
  EXPECT_EQ(column(p, 1), (std::vector<std::string>{"8", "8", "8", "16", "16", "16", "32", "32", "32"}));
  EXPECT_EQ(column(p, 3)[2], "1800 MHz");
  EXPECT_EQ(p.axes[3].kind, AxisColumn::Kind::number);
  EXPECT_EQ(p.axes[3].unit, "Hz");
  EXPECT_EQ(p.points[2].numbers[3], 1.8e9);
  EXPECT_NE(p.points[8].resolved_yaml.find("nodes: 4\n"), std::string::npos);
  EXPECT_NE(p.points[8].resolved_yaml.find("kv_len: 2048\n"), std::string::npos);
  EXPECT_NE(p.points[8].resolved_yaml.find("clock: 1.8 GHz\n"), std::string::npos);
}

TEST_F(SweepPlanTest, RangesHitTheirEndsWithoutDrift) {
  SweepPlan p = plan_sweep(sweep("axes:\n  - {key: seed, range: {from: 0.1, to: 0.7, step: 0.1}}\n"));
  // 0.1 + 6 x 0.1 lands a rounding error above 0.7; the end is still included, computed from the start.
  EXPECT_EQ(column(p, 0), (std::vector<std::string>{"0.1", "0.2", "0.30000000000000004", "0.4", "0.5", "0.6",
                                                     "0.7000000000000001"}));
}

TEST_F(SweepPlanTest, SamplesAreSeededAndInRange) {
  std::string body = "seed: 7\naxes:\n"
                     "  - {key: workload.kv_len, sample: {count: 5, from: 512, to: 8192, scale: log, integer: true}}\n";
  SweepPlan a = plan_sweep(sweep(body)), b = plan_sweep(sweep(body));
  EXPECT_EQ(column(a, 0), column(b, 0));
  ASSERT_EQ(a.points.size(), 5u);
  for (const Point& pt : a.points) {
    EXPECT_GE(pt.numbers[0], 512);
    EXPECT_LE(pt.numbers[0], 8192);
    EXPECT_EQ(pt.numbers[0], std::round(pt.numbers[0]));
  }
  SweepPlan c = plan_sweep(sweep("seed: 8\naxes:\n"
                                 "  - {key: workload.kv_len, sample: {count: 5, from: 512, to: 8192, integer: true}}\n"));
  EXPECT_NE(column(a, 0), column(c, 0));
}

TEST_F(SweepPlanTest, SampledGridPointsAreDistinctAndInGridOrder) {
  std::string body = "samples: 10\nseed: 3\naxes:\n"
                     "  - {key: workload.batch_per_gpu, range: {from: 8, to: 256, step: 8}}\n"
                     "  - {key: workload.kv_len, range: {from: 1024, to: 8192, step: 1024}}\n";
  SweepPlan p = plan_sweep(sweep(body));
  EXPECT_EQ(p.grid_points, 32u * 8u);
  ASSERT_EQ(p.points.size(), 10u);
  std::set<std::pair<double, double>> seen;
  for (size_t i = 0; i < p.points.size(); ++i) {
    seen.insert({p.points[i].numbers[0], p.points[i].numbers[1]});
    if (i > 0) {
      auto key = [](const Point& q) { return q.numbers[0] * 1e6 + q.numbers[1]; };
      EXPECT_LT(key(p.points[i - 1]), key(p.points[i]));
    }
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(column(plan_sweep(sweep(body)), 0), column(p, 0));
}

TEST_F(SweepPlanTest, ConstraintsSkipPoints) {
  SweepPlan p = plan_sweep(sweep("axes:\n"
                                 "  - {key: workload.batch_per_gpu, name: batch, values: [16, 32, 64, 128]}\n"
                                 "  - {key: hardware.chip.clock, values: [1.5 GHz, 1830 MHz]}\n"
                                 "constraints:\n"
                                 "  - batch * workload.kv_len <= 32 * 4096\n"
                                 "  - hardware.chip.clock > '1.6 GHz' or batch == 16\n"));
  // batch 64 and 128 break the first; 1.5 GHz breaks the second unless batch is 16.
  EXPECT_EQ(p.grid_points, 8u);
  EXPECT_EQ(p.skipped, 5u);
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_EQ(column(p, 0), (std::vector<std::string>{"16", "16", "32"}));
  EXPECT_EQ(column(p, 1), (std::vector<std::string>{"1.5 GHz", "1830 MHz", "1830 MHz"}));
}

TEST_F(SweepPlanTest, InvalidPointsKeepTheirErrorAtTheSweepFileLine) {
  SweepPlan p = plan_sweep(sweep("axes:\n  - {key: parallel.ep, values: [8, 3]}\n"));
  ASSERT_EQ(p.points.size(), 2u);
  EXPECT_TRUE(p.points[0].error.empty());
  EXPECT_TRUE(p.points[1].resolved_yaml.empty());
  std::string e = p.points[1].error;
  e.replace(e.find(scratch_.file("s.yaml")), scratch_.file("s.yaml").size(), "s.yaml");
  EXPECT_EQ(e, "s.yaml:5:36: error: parallel.ep: 3 must divide the GPU count, 8 (1 node x 8 GPUs)");
}

TEST_F(SweepPlanTest, AxisValuesMayBePresets) {
  SweepPlan p = plan_sweep(sweep("axes:\n  - {key: hardware, values: [{base: " STRATA_SOURCE_DIR
                                 "/configs/hw/h800-sxm.yaml}, {base: " STRATA_SOURCE_DIR "/configs/hw/h200-sxm.yaml}]}\n"));
  ASSERT_EQ(p.points.size(), 2u);
  EXPECT_EQ(p.axes[0].kind, AxisColumn::Kind::text);
  EXPECT_EQ(p.points[1].texts[0], "{base: " STRATA_SOURCE_DIR "/configs/hw/h200-sxm.yaml}");
  EXPECT_NE(p.points[0].resolved_yaml.find("name: H800 SXM5"), std::string::npos);
  EXPECT_NE(p.points[1].resolved_yaml.find("name: H200 SXM"), std::string::npos);
}

TEST_F(SweepPlanTest, BadFilesNameFileLineColumnAndKey) {
  EXPECT_EQ(error_of("axis: []\n"),
            "s.yaml:4:1: error: axis: unknown key; did you mean 'axes'? (allowed here: name, description, "
            "scenario, overrides, axes, samples, seed, constraints)");
  EXPECT_EQ(error_of("axes:\n  - {key: seed, values: [1], range: {from: 1, to: 2, step: 1}}\n"),
            "s.yaml:5:5: error: axes.0: an axis has exactly one of values, range or sample (or is a zip: of axes)");
  EXPECT_EQ(error_of("axes:\n  - {values: [1]}\n"),
            "s.yaml:5:5: error: axes.0.key: missing: which scenario key the axis sets");
  EXPECT_EQ(error_of("axes:\n  - {key: seed, range: {from: 1, to: 2}}\n"),
            "s.yaml:5:24: error: axes.0.range.step: give exactly one of step (> 0) or times (> 1)");
  EXPECT_EQ(error_of("axes:\n  - zip:\n    - {key: seed, values: [1, 2]}\n    - {key: workload.kv_len, values: [1]}\n"),
            "s.yaml:7:7: error: axes.0.zip.1: zipped axes need equal lengths: this one has 1 values, the first 2");
  EXPECT_EQ(error_of("axes:\n  - {key: seed, values: [1]}\nconstraints: [seed >]\n"),
            "s.yaml:6:15: error: constraints.0: constraint 'seed >': expected a value but found 'end of text' "
            "at character 7");
  EXPECT_EQ(error_of("axes:\n  - {key: seed, values: [1]}\nconstraints: [sed > 1]\n"),
            "s.yaml:6:15: error: constraints.0: constraint 'sed > 1': unknown name 'sed' (an axis name or a key "
            "of the scenario); did you mean 'seed'?");
  EXPECT_EQ(error_of("axes:\n  - {key: seed, sample: {count: 2, from: 0, to: 1, scale: log}}\n"),
            "s.yaml:5:36: error: axes.0.sample.from: a log scale starts above 0");
  EXPECT_EQ(error_of("axes: []\n"), "s.yaml:4:7: error: axes: a sweep needs at least one axis");
  // A key the scenario lacks fails the file, not each point.
  EXPECT_EQ(error_of("axes:\n  - {key: workload.batch, values: [1, 2]}\n"),
            "s.yaml:5:36: error: workload.batch: unknown key; did you mean 'batch_per_gpu'? (allowed here: model, "
            "phase, source, simulate_ranks, batch_per_gpu, kv_len, kv_len_spread, kv_block, mtp, prefill, training, "
            "moe_load, trace, precision, framework)");
}

TEST_F(SweepPlanTest, MissingScenarioPointsAtTheKey) {
  std::string path = scratch_.file("m.yaml");
  std::ofstream(path) << "version: 1\nname: m\nscenario: nowhere.yaml\naxes:\n  - {key: seed, values: [1]}\n";
  try {
    plan_sweep(path);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":3:11: error: scenario: cannot open scenario file '" +
                                         scratch_.file("nowhere.yaml") + "' (paths are relative to the sweep file)");
  }
}

bool holds(const std::string& text, const Lookup& lookup = [](const std::string&) { return std::nullopt; }) {
  return Expression(text, Origin{}, "c").holds(lookup, {});
}

TEST(SweepExpression, ArithmeticPrecedenceAndLogic) {
  EXPECT_TRUE(holds("1 + 2 * 3 == 7"));
  EXPECT_TRUE(holds("(1 + 2) * 3 == 9"));
  EXPECT_TRUE(holds("-2 * -3 == 6 and 7 % 4 == 3"));
  EXPECT_TRUE(holds("not 1 > 2 or false"));
  EXPECT_FALSE(holds("1 < 2 and 2 < 1"));
  EXPECT_TRUE(holds("'80 GiB' == 80 * 1024 * 1024 * 1024"));
  EXPECT_TRUE(holds("'1.6 GHz' < '1830 MHz'"));
  Lookup vars = [](const std::string& n) -> std::optional<Value> {
    if (n == "a.b") return Value(4.0);
    if (n == "kind") return Value(std::string("mla"));
    return std::nullopt;
  };
  EXPECT_TRUE(holds("a.b / 2 == 2 and kind == 'mla' and kind != 'gqa'", vars));
  EXPECT_EQ(Expression("a.b + c * a.b", Origin{}, "c").names(), (std::vector<std::string>{"a.b", "c", "a.b"}));
  try {
    holds("kind + 1 > 0", vars);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.message(), "constraint 'kind + 1 > 0': 'mla' is text, not a number, so it cannot be used in "
                           "arithmetic or an ordering");
  }
  EXPECT_THROW(holds("1 / 0 > 0"), ConfigError);
  EXPECT_THROW(holds("1 == 'x'"), ConfigError);
  EXPECT_THROW(holds("1 $ 2"), ConfigError);
  EXPECT_THROW(holds("(1 + 2"), ConfigError);
}

TEST(SweepExpression, ReadNumberKnowsUnits) {
  EXPECT_EQ(read_number("128")->value, 128);
  EXPECT_EQ(read_number("1.83 GHz")->value, 1.83e9);
  EXPECT_EQ(read_number("1.83 GHz")->dim, strata::config::Dim::frequency);
  EXPECT_EQ(read_number("3.35 TB/s")->dim, strata::config::Dim::data_rate);
  EXPECT_FALSE(read_number("fp8").has_value());
}

}  // namespace
