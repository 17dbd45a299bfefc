// The DeepSeek-V3 decode step generator: op structure, FLOPs against the parameter count,
// token conservation in dispatch/combine, memory footprint, determinism.
#include <gtest/gtest.h>

#include <map>

#include "sim/engine/scenario.h"
#include "workloads/workload.h"
#include "workloads/kernels.h"

using namespace strata;
using namespace strata::workloads;

namespace {
sim::LoadedScenario demo(const std::vector<std::string>& overrides = {}) {
  return sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", overrides);
}
Workload build(const sim::ScenarioSpec& s) {
  return generate(s.workload, s.parallel, s.gpus(), s.hardware.gpus_per_node, static_cast<uint64_t>(s.seed));
}
}  // namespace

TEST(DecodeStep, OpCountsPerRank) {
  auto sc = demo();
  Workload w = build(sc.spec);
  std::map<int, int> per_device;
  int collectives = 0;
  for (const Op& op : w.graph.ops()) {
    if (op.kind == OpKind::collective) ++collectives;
    else per_device[op.device]++;
  }
  // Per rank: embedding, 3 dense layers x 20 ops, 58 MoE layers x 32 ops, then final norm,
  // head, sample. Attention: 2 norms, 5 FP8 linears of 2 kernels (per-token quantisation, GEMM),
  // 2 BF16 absorb GEMMs, rope, the kernel (14); dense FFN: up_gate (2), SwiGLU quantising its
  // output, down (4). MoE: gate (6 kernels), the dispatch's quantisation, shared expert (3: its
  // input is the dispatch's), routing map, permute, up_gate, SwiGLU, down, unpermute.
  ASSERT_EQ(per_device.size(), 8u);
  for (auto& [d, n] : per_device) EXPECT_EQ(n, 1 + 3 * (1 + 14 + 1 + 4) + 58 * (1 + 14 + 1 + 6 + 1 + 3 + 6) + 3) << "device " << d;
  EXPECT_EQ(collectives, 58 * 2);  // one dispatch and one combine per MoE layer (one EP group)
}

TEST(DecodeStep, GemmFlopsEqualTwiceTheActiveWeights) {
  auto sc = demo();
  const ModelSpec& m = sc.spec.workload.model;
  Workload w = build(sc.spec);
  double gemm = 0, attn = 0;
  for (const Op& op : w.graph.ops()) {
    if (op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm || op.kind == OpKind::grouped_gemm)
      gemm += op.flops;
    if (op.kind == OpKind::attention_decode) attn += op.flops;
  }
  double tokens = w.tokens_per_step;
  // Every weight a token touches is one multiply-add (the absorbed MLA products use kv_b_proj's
  // weights); the embedding is a lookup and norms are not GEMMs.
  double norms = m.layers * 2.0 * m.hidden + m.layers * (m.attention.q_lora_rank + m.attention.kv_lora_rank) +
                 m.hidden + m.moe_layers() * double(m.moe.routed_experts);  // + router bias
  double expected = 2 * (m.active_params() - m.embedding_params() - norms);
  EXPECT_NEAR(gemm / tokens / expected, 1.0, 1e-9);
  // Absorbed MLA core: 2 x heads x kv_len x (576 + 512) per layer per token.
  EXPECT_DOUBLE_EQ(attn / tokens, 2.0 * 128 * 4096 * (576 + 512) * 61);
}

TEST(DecodeStep, EveryTokenReachesTopKExperts) {
  auto sc = demo();
  Workload w = build(sc.spec);
  std::map<int, int64_t> rows_per_layer;
  for (const Op& op : w.graph.ops())
    if (op.kind == OpKind::grouped_gemm && op.name.find("up_gate") != std::string::npos)
      rows_per_layer[op.layer] += op.m;
  EXPECT_EQ(rows_per_layer.size(), 58u);
  for (auto& [l, rows] : rows_per_layer) EXPECT_EQ(rows, 8 * 128 * 8) << "layer " << l;
}

TEST(DecodeStep, DispatchAndCombineMirrorEachOther) {
  auto sc = demo();
  Workload w = build(sc.spec);
  const auto& cs = w.graph.collectives();
  ASSERT_EQ(cs.size() % 2, 0u);
  const double dispatch_token = activation_bytes(1, 7168, hw::DType::fp8) + 8 * 12.0;  // + top-k ids, weights
  for (size_t i = 0; i < cs.size(); i += 2) {
    const Collective& d = cs[i];
    const Collective& c = cs[i + 1];
    ASSERT_EQ(d.flows.size(), c.flows.size());
    for (size_t f = 0; f < d.flows.size(); ++f) {
      EXPECT_NE(d.flows[f].src, d.flows[f].dst);
      EXPECT_EQ(d.flows[f].src, c.flows[f].dst);
      EXPECT_EQ(d.flows[f].dst, c.flows[f].src);
      double tokens = d.flows[f].bytes / dispatch_token;
      EXPECT_DOUBLE_EQ(tokens, std::round(tokens));
      EXPECT_DOUBLE_EQ(c.flows[f].bytes, tokens * 7168 * 2);  // BF16 combine
    }
  }
}

TEST(DecodeStep, MemoryFootprint) {
  auto sc = demo();
  const ModelSpec& m = sc.spec.workload.model;
  Workload w = build(sc.spec);
  // KV: 128 requests x 4096 tokens x 70,272 B.
  EXPECT_DOUBLE_EQ(w.memory[0].kv_cache_bytes, 128.0 * 4096 * 70272);
  // Weights: FP8 linear layers (with block scales) for attention, dense FFN, shared expert and
  // 32 of 256 routed experts; BF16 router, embedding and head.
  double linear = 61 * m.attention_params() + 3 * m.dense_ffn_params() + 58 * (1 + 32) * m.expert_params();
  double approx = linear + 2 * (58 * m.router_params() + 2 * m.embedding_params());
  EXPECT_NEAR(w.memory[0].weight_bytes / approx, 1.0, 0.001);  // scales add < 0.1%
  EXPECT_GT(w.memory[0].weight_bytes, 80e9);  // EP8 does not fit V3 in 80 GB H800s
}

TEST(DecodeStep, SeedDeterminesRouting) {
  auto a = build(demo().spec), b = build(demo().spec), c = build(demo({"seed=2"}).spec);
  auto rows = [](const Workload& w) {
    std::vector<int64_t> v;
    for (const Op& op : w.graph.ops())
      if (op.kind == OpKind::grouped_gemm) v.insert(v.end(), op.group_rows.begin(), op.group_rows.end());
    return v;
  };
  EXPECT_EQ(rows(a), rows(b));
  EXPECT_NE(rows(a), rows(c));
}

TEST(DecodeStep, DenseModelHasNoCollectives) {
  sim::ScenarioSpec s = demo().spec;
  s.workload.model.moe = MoeSpec{};
  s.workload.model.dense_layers = s.workload.model.layers;
  s.workload.model.dense_intermediate = 18432;
  s.parallel.ep = 1;
  Workload w = build(s);
  EXPECT_TRUE(w.graph.collectives().empty());
}
