// The training-step generator: FLOPs per token against the published hand count, the pass split,
// ZeRO-1 collectives, memory, and representative ranks.
#include <gtest/gtest.h>

#include <map>

#include "sim/engine/run.h"
#include "sim/engine/scenario.h"
#include "workloads/rank_params.h"
#include "workloads/stage_split.h"
#include "workloads/workload.h"

using namespace strata;
using namespace strata::workloads;

namespace {
const char* kPreset = STRATA_SOURCE_DIR "/configs/scenarios/deepseek-v3-training-2048.yaml";

/// A small version of the 2048-GPU preset: 4 nodes, PP4, EP8.
sim::LoadedScenario small(std::vector<std::string> extra = {}) {
  std::vector<std::string> o = {"cluster.nodes=4", "parallel.pp=4", "parallel.attention_dp=8", "parallel.ep=8",
                                "workload.training.global_batch=128", "workload.model.layers=8",
                                "workload.simulate_ranks=all", "parallel.pp_split=even"};
  o.insert(o.end(), extra.begin(), extra.end());
  return sim::load_scenario(kPreset, o);
}
}  // namespace

TEST(Training, DeepSeekV3FlopsPerTokenMatchHandCount) {
  // ISCA'25 Table 2: ~250 GFLOP per training token at 4K sequence = 6 x 36.6B (active weights
  // without the embedding) + 3 x the causal attention core (2 x 128 heads x 2048 average keys
  // x (192 + 128) x 61 layers = 10.2 GFLOP forward).
  sim::LoadedScenario sc = sim::load_scenario(kPreset, {"workload.mtp.enabled=false"});
  const ModelSpec& m = sc.spec.workload.model;
  double flops = training_model_flops_per_token(sc.spec.workload);
  EXPECT_NEAR(flops / 250e9, 1.0, 0.05);
  double attention = 2.0 * 128 * (4096 + 1) / 2.0 * (192 + 128) * 61;
  double hand = 6 * (m.active_params() - m.embedding_params()) + 3 * attention;
  EXPECT_NEAR(flops / hand, 1.0, 0.002);  // norms, router bias and elementwise ops are the rest
}

TEST(Training, MtpAddsOneLayerAndAHead) {
  sim::LoadedScenario with = sim::load_scenario(kPreset, {});
  sim::LoadedScenario without = sim::load_scenario(kPreset, {"workload.mtp.enabled=false"});
  const ModelSpec& m = with.spec.workload.model;
  double extra = training_model_flops_per_token(with.spec.workload) -
                 training_model_flops_per_token(without.spec.workload);
  // One MoE layer, the 2h x h projection and a second pass through the output head.
  double layer = 6 * (m.attention_params() + 9 * m.expert_params() + m.router_params());
  double head = 6 * (m.head_params() + 2.0 * m.hidden * m.hidden);
  EXPECT_NEAR(extra / (layer + head), 1.0, 0.1);
}

TEST(Training, StepSplitsIntoPassesAndAddsUp) {
  sim::LoadedScenario sc = small();
  results::Result r = sim::run_scenario(sc);
  auto get = [&](const std::string& n) { return r.scalar(n)->value; };
  double step = get("step_time");
  // Each pass counts the communication it leaves exposed.
  double parts = get("time_forward") + get("time_backward_input") + get("time_backward_weight") +
                 get("time_optimizer") + get("time_concurrent_compute") + get("time_bubble");
  EXPECT_NEAR(parts / step, 1.0, 1e-9);
  // The optimizer waits for its gradient reduction and weight gather, far longer than AdamW runs.
  sim::Simulation s = sim::simulate(small());
  double adamw = 0;
  for (const auto& rec : s.timeline.records) {
    const Op& op = s.workload.graph.op(rec.op);
    if (op.pass == Pass::optimizer && op.kind != OpKind::collective && rec.device == 0) adamw += rec.end_s - rec.start_s;
  }
  EXPECT_GT(get("time_optimizer"), 2 * adamw);
  EXPECT_GT(get("time_forward"), 0);
  EXPECT_GT(get("time_backward_weight"), 0);
  EXPECT_GT(get("time_bubble"), 0);
  EXPECT_GT(get("mfu"), 0.05);
  EXPECT_LT(get("mfu"), 1.0);
  EXPECT_DOUBLE_EQ(get("tokens_per_step"), 128.0 * 4096);
}

TEST(Training, ZeroOneShardsOptimizerAndGathersWeights) {
  sim::Simulation z1 = sim::simulate(small());
  sim::Simulation z0 = sim::simulate(small({"parallel.zero=0"}));
  auto count = [](const Workload& w, CollectiveKind k) {
    int n = 0;
    for (const Op& op : w.graph.ops())
      if (op.kind == OpKind::collective && w.graph.collectives()[op.collective].kind == k && op.phase >= 0 &&
          w.graph.phases()[op.phase] == "optimizer")
        ++n;
    return n;
  };
  EXPECT_GT(count(z1.workload, CollectiveKind::reduce_scatter), 0);
  EXPECT_GT(count(z1.workload, CollectiveKind::all_gather), 0);
  EXPECT_EQ(count(z0.workload, CollectiveKind::reduce_scatter), 0);
  EXPECT_GT(count(z0.workload, CollectiveKind::all_reduce), 0);
  // Rank 0 holds stages 0 and 3 (DualPipe; 2 layers each, MTP on the last). ZeRO-1 splits the
  // dense weights' optimizer state over the stage's 8 data-parallel ranks; routed experts (EP8
  // over 8 ranks) have one copy each, so theirs stays whole. 4 + 2 x 2 bytes per parameter.
  sim::LoadedScenario sc = small();
  const ModelSpec& m = sc.spec.workload.model;
  RankParams a = rank_params(m, sc.spec.parallel, 0, 2, true, false);
  RankParams b = rank_params(m, sc.spec.parallel, 6, 8, false, true);
  RankParams c = rank_params(m, sc.spec.parallel, 8, 9, false, false);
  double dense = a.dense + a.bf16 + b.dense + b.bf16 + c.dense + c.bf16;
  double experts = a.experts + b.experts + c.experts;
  EXPECT_NEAR(z0.workload.memory[0].optimizer_bytes, (dense + experts) * 8, 1);
  EXPECT_NEAR(z1.workload.memory[0].optimizer_bytes, (dense / 8 + experts) * 8, 1);
}

TEST(Training, RepresentativeRanksMatchAllRanks) {
  for (const char* fidelity : {"fidelity=analytical", "fidelity=cycle"}) {
    SCOPED_TRACE(fidelity);
    sim::Simulation all = sim::simulate(small({fidelity}));
    sim::Simulation rep = sim::simulate(small({fidelity, "workload.simulate_ranks=representative"}));
    EXPECT_EQ(rep.workload.devices.size(), 4u);  // one per stage
    EXPECT_EQ(all.workload.devices.size(), 32u);
    double a = all.result.scalar("step_time")->value, b = rep.result.scalar("step_time")->value;
    // The representative carries its EP group's most loaded experts: within 2%, and never
    // faster where op costs grow with the work (the roofline; cycle-level tile shapes need not)
    // at one clock (under the power cap every GPU has its own clocks).
    if (std::string(fidelity) == "fidelity=analytical") {
      const double a1 = sim::simulate(small({fidelity, "power_cap=false"})).result.scalar("step_time")->value;
      const double b1 = sim::simulate(small({fidelity, "power_cap=false", "workload.simulate_ranks=representative"}))
                            .result.scalar("step_time")->value;
      EXPECT_GE(b1, a1 * (1 - 1e-12));
    }
    EXPECT_NEAR(b / a, 1.0, 0.02);
  }
}

TEST(Training, DualPipeHoldsTwoStagesOfWeights) {
  sim::Simulation one = sim::simulate(small({"parallel.pp_schedule=1f1b"}));
  sim::Simulation dual = sim::simulate(small());
  // Rank 1 holds stage 1 (1F1B: layers 2-3) or stages 1 and 2 (DualPipe: also layers 4-5).
  sim::LoadedScenario sc = small();
  const ModelSpec& m = sc.spec.workload.model;
  double s1 = rank_params(m, sc.spec.parallel, 2, 4, false, false).total();
  double s2 = rank_params(m, sc.spec.parallel, 4, 6, false, false).total();
  EXPECT_NEAR(one.workload.memory[8].weight_bytes, s1 * 2, 1);
  EXPECT_NEAR(dual.workload.memory[8].weight_bytes, (s1 + s2) * 2, 1);
}

TEST(Training, BalancedSplitCountsTheHeadOnTheLastStage) {
  sim::LoadedScenario sc = sim::load_scenario(kPreset, {});
  const ModelSpec& m = sc.spec.workload.model;
  auto even = split_stages(m, 16, 4096, 1, PipelineSplit::even);
  auto bal = split_stages(m, 16, 4096, 1, PipelineSplit::balanced);
  ASSERT_EQ(bal.size(), 16u);
  EXPECT_EQ(bal.front().first, 0);
  EXPECT_EQ(bal.back().second, 61);
  for (size_t s = 1; s < bal.size(); ++s) EXPECT_EQ(bal[s].first, bal[s - 1].second);
  // Even: 3 or 4 layers per stage. Balanced: the last stage, which also runs the head and the
  // MTP module (its own head pass included), keeps fewer layers than the middle stages.
  EXPECT_EQ(even.back().second - even.back().first, 3);
  EXPECT_LT(bal.back().second - bal.back().first, bal[8].second - bal[8].first);
}
