// Decode and prefill generators: MTP, micro-batch overlap, KV-cache hits and chunking, tensor
// parallelism, expert load distributions and placement, representative ranks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>

#include "sim/engine/run.h"
#include "test_support.h"
#include "workloads/expert_load.h"
#include "workloads/routing.h"
#include "workloads/workload.h"

using namespace strata;
using namespace strata::workloads;

namespace {
const std::string kScenarios = STRATA_SOURCE_DIR "/configs/scenarios/";

Workload build(const std::string& scenario, const std::vector<std::string>& o) {
  auto sc = sim::load_scenario(kScenarios + scenario, o);
  const auto& s = sc.spec;
  return generate(s.workload, s.parallel, s.gpus(), s.hardware.gpus_per_node, static_cast<uint64_t>(s.seed));
}

double sum_flops(const Workload& w, OpKind k, int device = 0) {
  double f = 0;
  for (const Op& op : w.graph.ops())
    if (op.kind == k && op.device == device) f += op.flops;
  return f;
}

std::vector<int64_t> layer_rows(const Workload& w, int layer, int device) {
  for (const Op& op : w.graph.ops())
    if (op.layer == layer && op.device == device && op.name.find("experts.up_gate") != std::string::npos)
      return op.group_rows;
  return {};
}
}  // namespace

TEST(Decode, MtpVerifiesDraftsAndCountsAcceptedTokens) {
  Workload base = build("demo.yaml", {});
  Workload mtp = build("demo.yaml", {"workload.mtp.enabled=true", "workload.mtp.acceptance=0.8"});
  EXPECT_DOUBLE_EQ(mtp.tokens_per_step, 1024 * 1.8);
  // The main model attends with two query tokens per request: twice the attention arithmetic,
  // plus the MTP layer's one token per request.
  double a = sum_flops(base, OpKind::attention_decode), b = sum_flops(mtp, OpKind::attention_decode);
  EXPECT_NEAR(b / a, 2.0 * (4095.0 * 2 + 3) / (2 * 4096.0) + 1.0 / 61, 1e-3);
  int mtp_ops = 0;  // the MTP module's projection ("mtp" phase) and its layer (layer 61)
  for (const Op& op : mtp.graph.ops())
    if ((op.phase >= 0 && mtp.graph.phases()[op.phase] == "mtp") || op.layer >= 61) ++mtp_ops;
  EXPECT_GT(mtp_ops, 8 * 20);
  EXPECT_GT(mtp.memory[0].kv_cache_bytes, base.memory[0].kv_cache_bytes);  // the MTP layer's cache
}

TEST(Decode, TwoMicroBatchesOverlapCommunicationWithCompute) {
  // Two nodes, so the dispatch crosses InfiniBand and lasts longer than the shared expert.
  sim::Simulation s = sim::simulate(sim::load_scenario(
      kScenarios + "demo.yaml",
      {"parallel.micro_batches=2", "cluster.nodes=2", "parallel.attention_dp=16", "parallel.ep=16"}));
  const OpGraph& g = s.workload.graph;
  // Layer 10 on GPU 0: micro-batch 1's attention starts while micro-batch 0's dispatch is in
  // flight.
  double d0 = -1, d0_end = -1, a1 = -1;
  for (const auto& r : s.timeline.records) {
    const Op& op = g.op(r.op);
    if (r.device != 0 || op.layer != 10) continue;
    if (op.name == "L10.moe.dispatch" && op.micro_batch == 0) d0 = r.start_s, d0_end = r.end_s;
    if (op.name == "L10.attn_norm" && op.micro_batch == 1) a1 = r.start_s;
  }
  ASSERT_GE(d0, 0);
  EXPECT_GT(a1, d0);
  EXPECT_LT(a1, d0_end);
  int dispatches = 0;
  for (const Op& op : g.ops()) dispatches += op.name == "L10.moe.dispatch";
  EXPECT_EQ(dispatches, 2);
}

TEST(Decode, KvLengthSpreadIsBoundedAndSeeded) {
  Workload a = build("demo.yaml", {"workload.kv_len_spread=0.5"});
  Workload b = build("demo.yaml", {"workload.kv_len_spread=0.5"});
  Workload fixed = build("demo.yaml", {});
  double fa = sum_flops(a, OpKind::attention_decode, 3), fb = sum_flops(b, OpKind::attention_decode, 3);
  EXPECT_EQ(fa, fb);
  EXPECT_NEAR(fa / sum_flops(fixed, OpKind::attention_decode, 3), 1.0, 0.1);  // uniform in 2048 .. 6144
  EXPECT_NE(fa, sum_flops(a, OpKind::attention_decode, 4));                   // each replica draws its own
}

TEST(Decode, TensorParallelLlamaSplitsHeadsAndAllReduces) {
  Workload w = build("llama-2-70b-tp8.yaml", {});
  int all_reduce = 0;
  for (const Op& op : w.graph.ops())
    if (op.kind == OpKind::collective && w.graph.collectives()[op.collective].kind == CollectiveKind::all_reduce)
      ++all_reduce;
  EXPECT_EQ(all_reduce, 2 * 80);  // after attention and after the FFN, every layer
  for (const Op& op : w.graph.ops())
    if (op.device == 0 && op.name == "L0.attn.qkv_proj") {
      EXPECT_EQ(op.n, (64 / 8 + 2 * 8 / 8) * 128);
    }
  // ~69B parameters split 8 ways in BF16 (the 8 KV heads too), plus 1/8 of embedding and head.
  EXPECT_NEAR(w.memory[0].weight_bytes / (68.98e9 * 2 / 8), 1.0, 0.01);
  // KV: 64 requests x 2048 tokens x 80 layers x 1 KV head x 128 x 2 (K, V) x 2 B.
  EXPECT_DOUBLE_EQ(w.memory[0].kv_cache_bytes, 64.0 * 2048 * 80 * 1 * 128 * 2 * 2);
}

TEST(Prefill, CacheHitsAndChunksShapeTheStep) {
  Workload full = build("deepseek-v3-prefill-ep32.yaml", {"cluster.nodes=1", "parallel.attention_dp=8", "parallel.ep=8",
                                                          "parallel.redundant_experts=0", "workload.model.layers=4"});
  Workload hit = build("deepseek-v3-prefill-ep32.yaml",
                       {"cluster.nodes=1", "parallel.attention_dp=8", "parallel.ep=8", "parallel.redundant_experts=0",
                        "workload.model.layers=4", "workload.prefill.kv_hit_rate=0.5"});
  // 16384 new tokens per GPU: 4 prompts of 4096, or 8 prompts of 2048 new after 2048 cached.
  EXPECT_DOUBLE_EQ(full.tokens_per_step, 16384.0 * 8);
  EXPECT_DOUBLE_EQ(hit.tokens_per_step, 16384.0 * 8);
  EXPECT_DOUBLE_EQ(hit.cached_tokens_per_step, 16384.0 * 8);
  double pairs_full = 4 * 4096.0 * 4097 / 2, pairs_hit = 8 * (2048.0 * 2048 + 2048.0 * 2049 / 2);
  double a = sum_flops(full, OpKind::attention_prefill), b = sum_flops(hit, OpKind::attention_prefill);
  EXPECT_NEAR(b / a, pairs_hit / pairs_full, 1e-12);
  bool reads_cache = false;
  for (const Op& op : hit.graph.ops()) reads_cache = reads_cache || op.name == "L0.attn.kv_cache_read";
  EXPECT_TRUE(reads_cache);

  Workload chunked = build("deepseek-v3-prefill-ep32.yaml",
                           {"cluster.nodes=1", "parallel.attention_dp=8", "parallel.ep=8", "parallel.redundant_experts=0",
                            "workload.model.layers=4", "workload.prefill.chunk=1024"});
  EXPECT_DOUBLE_EQ(chunked.steps_to_first_token, 4);
  EXPECT_DOUBLE_EQ(chunked.tokens_per_step, 16384.0 * 8);
}

TEST(Prefill, TimeToFirstTokenIsStepsTimesStepTime) {
  auto sc = sim::load_scenario(kScenarios + "deepseek-v3-prefill-ep32.yaml",
                               {"cluster.nodes=1", "parallel.attention_dp=8", "parallel.ep=8",
                                "parallel.redundant_experts=0", "workload.model.layers=4", "workload.prefill.chunk=2048"});
  results::Result r = sim::run_scenario(sc);
  EXPECT_DOUBLE_EQ(r.scalar("time_to_first_token")->value, 2 * r.scalar("step_time")->value);
}

TEST(Representative, DecodeMatchesAllRanks) {
  std::vector<std::string> o = {"cluster.nodes=2", "parallel.attention_dp=16", "parallel.ep=16"};
  auto all = o, rep = o;
  all.push_back("workload.simulate_ranks=all");
  rep.push_back("workload.simulate_ranks=representative");
  results::Result a = sim::run_scenario(sim::load_scenario(kScenarios + "demo.yaml", all));
  results::Result b = sim::run_scenario(sim::load_scenario(kScenarios + "demo.yaml", rep));
  EXPECT_EQ(b.scalar("simulated_devices")->value, 1);
  double ta = a.scalar("step_time")->value, tb = b.scalar("step_time")->value;
  EXPECT_GE(tb, ta * (1 - 1e-12));
  EXPECT_NEAR(tb / ta, 1.0, 0.01);
  EXPECT_DOUBLE_EQ(a.scalar("tokens_per_s")->value * ta, b.scalar("tokens_per_s")->value * tb);
}

TEST(ExpertLoad, ZipfSkewsRowsAndHistogramFollowsTheFile) {
  Workload uni = build("demo.yaml", {});
  Workload zipf = build("demo.yaml", {"workload.moe_load.distribution=zipf", "workload.moe_load.zipf_s=1.2"});
  auto spread = [](const std::vector<int64_t>& r) {
    return double(*std::max_element(r.begin(), r.end())) / (std::accumulate(r.begin(), r.end(), 0.0) / r.size());
  };
  // GPU 0 holds 32 experts; under Zipf a few of them take most of its tokens.
  EXPECT_LT(spread(layer_rows(uni, 10, 0)), 2.0);
  std::vector<int64_t> all;
  for (int d = 0; d < 8; ++d)
    for (int64_t x : layer_rows(zipf, 10, d)) all.push_back(x);
  EXPECT_GT(spread(all), 8.0);

  strata::testing::ScratchDir dir("strata_hist_");
  std::string row = "5 5 5 5 5 5 5 5";
  for (int e = 8; e < 256; ++e) row += " 0";
  std::ofstream(dir.file("h.txt")) << "# only experts 0-7 get tokens\n" << row << "\n";
  Workload hist = build("demo.yaml", std::vector<std::string>{"workload.moe_load.distribution=histogram",
                                                             "workload.moe_load.histogram=" + dir.file("h.txt")});
  // Every token takes the 8 experts with tokens; placement spreads them over the GPUs.
  std::vector<int64_t> used;
  for (int d = 0; d < 8; ++d)
    for (int64_t x : layer_rows(hist, 10, d))
      if (x > 0) used.push_back(x);
  EXPECT_EQ(used, std::vector<int64_t>(8, 1024));
  std::ofstream(dir.file("bad.txt")) << "1 2 3\n";
  try {
    read_expert_histogram(dir.file("bad.txt"), 256, 58);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), dir.file("bad.txt") + ":1: 3 counts, expected one per routed expert (256)");
  }
}

TEST(ExpertPlacement, RedundantCopiesGoToTheHeaviestExperts) {
  std::vector<double> w(256, 1.0);
  w[7] = 10, w[200] = 6;
  ExpertPlacement p(256, 32, 32, 8, 8, w);
  EXPECT_EQ(p.slots_per_rank(), 9);
  std::multiset<int> held(p.slot_expert().begin(), p.slot_expert().end());
  EXPECT_EQ(held.size(), 288u);
  for (int e = 0; e < 256; ++e) EXPECT_GE(held.count(e), 1u);
  EXPECT_GT(held.count(7), held.count(200));
  EXPECT_GT(held.count(200), 1u);
  // Hierarchical: 2 groups of 32 experts per node; every copy stays on its group's node.
  for (size_t s = 0; s < p.slot_expert().size(); ++s) EXPECT_EQ(int(s / 9 / 8), p.slot_expert()[s] / 64) << s;
  // Uniform load, no redundancy: experts in order, 8 per rank (groups on nodes).
  ExpertPlacement q(256, 0, 32, 8, 8, {});
  for (int s = 0; s < 256; ++s) EXPECT_EQ(q.slot_expert()[s], s);
}

TEST(Routing, WeightedRoutingKeepsTheGroupLimit) {
  MoeSpec m;
  m.routed_experts = 256, m.top_k = 8, m.groups = 8, m.groups_per_token = 4, m.expert_intermediate = 2048;
  std::vector<double> w(256);
  for (int e = 0; e < 256; ++e) w[e] = 1.0 / std::pow(e + 1, 1.0);
  ExpertRouter r(m, 3, &w);
  std::vector<int> picks = r.route(2000);
  std::vector<int> load(256, 0);
  for (int t = 0; t < 2000; ++t) {
    std::set<int> experts, groups;
    for (int j = 0; j < 8; ++j) experts.insert(picks[t * 8 + j]), groups.insert(picks[t * 8 + j] / 32);
    EXPECT_EQ(experts.size(), 8u);
    EXPECT_LE(groups.size(), 4u);
    for (int e : experts) load[e]++;
  }
  EXPECT_GT(load[0], 5 * load[200]);
  ExpertRouter again(m, 3, &w);
  EXPECT_EQ(again.route(2000), picks);
}

TEST(ExpertParallel, DispatchAndCombineCarryTheWholeGroupsRouting) {
  // Two nodes, EP16, one representative rank: the all-to-alls still route all 16 ranks' tokens.
  Workload w = build("demo.yaml", {"cluster.nodes=2", "parallel.attention_dp=16", "parallel.ep=16",
                                   "workload.batch_per_gpu=8", "parallel.micro_batches=2",
                                   "workload.simulate_ranks=representative"});
  ASSERT_EQ(w.devices.size(), 1u);
  std::map<std::pair<int, int>, const TokenRouting*> routed;  // (layer, micro-batch) -> dispatch's
  int dispatches = 0, combines = 0;
  for (const Op& op : w.graph.ops()) {
    if (op.kind != OpKind::collective || op.name.find(".moe.") == std::string::npos) continue;
    const Collective& c = w.graph.collectives()[op.collective];
    ASSERT_TRUE(token_routed(c.kind)) << op.name;
    ASSERT_TRUE(c.tokens) << op.name;
    const TokenRouting& t = *c.tokens;
    EXPECT_EQ(c.ranks.size(), 16u);
    EXPECT_EQ(t.ranks(), 16);
    EXPECT_EQ(t.gpus_per_node(), 8);
    EXPECT_EQ(t.tokens(), 16 * 4);  // 8 requests per rank in 2 micro-batches
    uint32_t in_sets = 0;
    for (const auto& ns : t.node_sets()) in_sets += ns.tokens;
    EXPECT_EQ(in_sets, uint32_t(t.tokens()));
    EXPECT_DOUBLE_EQ(op.bytes, t.remote_copies() * c.token_bytes);
    auto key = std::make_pair(op.layer, op.micro_batch);
    if (c.kind == CollectiveKind::ep_dispatch) {
      ++dispatches;
      EXPECT_EQ(c.token_bytes, 7168 + 7168 / 128 * 4 + 8 * 12);  // FP8, scales, top-k ids and weights
      routed[key] = &t;
    } else {
      ++combines;
      EXPECT_EQ(c.token_bytes, 7168 * 2);  // BF16
      EXPECT_EQ(routed.at(key), &t) << op.name;  // the dispatch's tokens come back
    }
  }
  EXPECT_EQ(dispatches, 2 * 58);
  EXPECT_EQ(combines, 2 * 58);
}

TEST(ExpertParallel, TrainingBackwardReusesTheForwardRouting) {
  auto sc = sim::load_scenario(kScenarios + "deepseek-v3-training-2048.yaml",
                               {"cluster.nodes=4", "parallel.pp=4", "parallel.attention_dp=8", "parallel.ep=8",
                                "workload.training.global_batch=64", "workload.model.layers=8"});
  const auto& s = sc.spec;
  Workload w = generate(s.workload, s.parallel, s.gpus(), s.hardware.gpus_per_node, uint64_t(s.seed));
  std::map<std::pair<int, int>, std::set<const TokenRouting*>> per_group;  // (layer, first rank)
  std::map<std::string, int> kinds;
  for (const Op& op : w.graph.ops()) {
    if (op.kind != OpKind::collective || op.name.find(".moe.") == std::string::npos) continue;
    const Collective& c = w.graph.collectives()[op.collective];
    std::string what = op.name.substr(op.name.find(".moe.") + 5);
    kinds[what + "=" + collective_kind_name(c.kind)]++;
    per_group[{op.layer, c.ranks.front()}].insert(c.tokens.get());
    if (what == "combine.bwd") {
      EXPECT_EQ(c.token_bytes, 7168 + 56 * 4) << op.name;  // dispatched in FP8 with 1x128 scales
    } else if (what != "dispatch") {
      EXPECT_EQ(c.token_bytes, 7168 * 2) << op.name;  // BF16 combine and its gradients
    }
  }
  // Gradients of the combine go to the experts like a dispatch (in the dispatch format), those of
  // the dispatch come back like a combine; each (layer, EP group) routing serves every micro-batch.
  EXPECT_EQ(kinds.size(), 4u);
  EXPECT_GT(kinds["dispatch=ep_dispatch"], 0);
  EXPECT_EQ(kinds["combine.bwd=ep_dispatch"], kinds["dispatch=ep_dispatch"]);
  EXPECT_EQ(kinds["dispatch.bwd=ep_combine"], kinds["dispatch=ep_dispatch"]);
  EXPECT_EQ(kinds["combine=ep_combine"], kinds["dispatch=ep_dispatch"]);
  for (const auto& [group, routings] : per_group) EXPECT_EQ(routings.size(), 1u) << "layer " << group.first;
}
