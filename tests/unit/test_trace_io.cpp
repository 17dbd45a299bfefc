// The strata trace format (docs/trace-format.md): generated workloads round-trip, and every kind
// of malformed trace gets an error naming the op.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "sim/engine/scenario.h"
#include "workloads/trace_io.h"
#include "workloads/workload.h"

using namespace strata;
using namespace strata::workloads;

namespace {

Workload demo_workload(std::vector<std::string> extra = {}) {
  auto sc = sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", extra);
  const auto& s = sc.spec;
  return generate(s.workload, s.parallel, s.gpus(), s.hardware.gpus_per_node, static_cast<uint64_t>(s.seed));
}

std::set<std::pair<size_t, size_t>> edges(const OpGraph& g) {
  std::set<std::pair<size_t, size_t>> out;
  for (size_t v = 0; v < g.size(); ++v)
    for (size_t p : g.preds(v)) out.insert({p, v});
  return out;
}

void expect_same(const Workload& a, const Workload& b) {
  ASSERT_EQ(a.graph.size(), b.graph.size());
  for (size_t i = 0; i < a.graph.size(); ++i) {
    const Op &x = a.graph.op(i), &y = b.graph.op(i);
    ASSERT_EQ(x.name, y.name) << i;
    EXPECT_EQ(x.kind, y.kind) << x.name;
    EXPECT_EQ(x.op_class, y.op_class) << x.name;
    EXPECT_EQ(x.device, y.device) << x.name;
    EXPECT_EQ(x.stream, y.stream) << x.name;
    EXPECT_EQ(x.dtype, y.dtype) << x.name;
    EXPECT_EQ(x.pass, y.pass) << x.name;
    EXPECT_EQ(x.layer, y.layer) << x.name;
    EXPECT_EQ(x.micro_batch, y.micro_batch) << x.name;
    EXPECT_EQ(x.m, y.m) << x.name;
    EXPECT_EQ(x.n, y.n) << x.name;
    EXPECT_EQ(x.k, y.k) << x.name;
    EXPECT_EQ(x.batch, y.batch) << x.name;
    EXPECT_EQ(x.group_rows, y.group_rows) << x.name;
    EXPECT_EQ(x.flops, y.flops) << x.name;
    EXPECT_EQ(x.model_flops, y.model_flops) << x.name;
    EXPECT_EQ(x.bytes, y.bytes) << x.name;
    if (x.kind == OpKind::collective) {
      const Collective &c = a.graph.collectives()[x.collective], &d = b.graph.collectives()[y.collective];
      EXPECT_EQ(c.kind, d.kind);
      EXPECT_EQ(c.ranks, d.ranks);
      EXPECT_EQ(c.bytes, d.bytes);
      ASSERT_EQ(c.flows.size(), d.flows.size());
      for (size_t f = 0; f < c.flows.size(); ++f) {
        EXPECT_EQ(c.flows[f].src, d.flows[f].src);
        EXPECT_EQ(c.flows[f].dst, d.flows[f].dst);
        EXPECT_EQ(c.flows[f].bytes, d.flows[f].bytes);
      }
      EXPECT_EQ(c.algorithm, d.algorithm);
      EXPECT_EQ(c.token_bytes, d.token_bytes);
      ASSERT_EQ(bool(c.tokens), bool(d.tokens));
      if (c.tokens) {
        const workloads::TokenRouting &t = *c.tokens, &u = *d.tokens;
        EXPECT_EQ(t.tokens(), u.tokens());
        EXPECT_EQ(t.first_rank(), u.first_rank());
        EXPECT_EQ(t.gpus_per_node(), u.gpus_per_node());
        for (int s = t.first_rank(); s < t.first_rank() + t.ranks(); ++s)
          for (int r = t.first_rank(); r < t.first_rank() + t.ranks(); ++r) {
            EXPECT_EQ(t.pair_tokens(s, r), u.pair_tokens(s, r));
            EXPECT_EQ(t.pair_experts(s, r), u.pair_experts(s, r));
          }
        ASSERT_EQ(t.node_sets().size(), u.node_sets().size());
        for (size_t k = 0; k < t.node_sets().size(); ++k) {
          EXPECT_EQ(t.node_sets()[k].src, u.node_sets()[k].src);
          EXPECT_EQ(t.node_sets()[k].nodes, u.node_sets()[k].nodes);
          EXPECT_EQ(t.node_sets()[k].tokens, u.node_sets()[k].tokens);
        }
      }
      EXPECT_EQ(a.graph.participants(x), b.graph.participants(y));
      EXPECT_EQ(a.graph.ordered(i), b.graph.ordered(i));
    }
  }
  EXPECT_EQ(edges(a.graph), edges(b.graph));
  EXPECT_EQ(a.devices, b.devices);
  EXPECT_EQ(a.tokens_per_step, b.tokens_per_step);
  ASSERT_EQ(a.memory.size(), b.memory.size());
  for (size_t i = 0; i < a.memory.size(); ++i) EXPECT_EQ(a.memory[i].total(), b.memory[i].total());
}

/// Error text of reading `ops` (a JSON list) inside an otherwise valid trace.
std::string error_of(const std::string& ops, const std::string& head = "\"format\": \"strata-trace\", \"version\": 1") {
  try {
    read_trace("{" + head + ", \"ops\": " + ops + "}", "t.json");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

const char* kGemm = R"({"id": 0, "name": "g", "kind": "gemm", "device": 0, "m": 4, "n": 8, "k": 16})";

}  // namespace

TEST(TraceIo, DecodeStepRoundTrips) {
  Workload w = demo_workload();
  std::ostringstream once;
  write_trace(w, once);
  Workload back = read_trace(once.str(), "demo.json");
  expect_same(w, back);
  std::ostringstream twice;
  write_trace(back, twice);
  EXPECT_EQ(once.str(), twice.str());
}

TEST(TraceIo, TwoMicroBatchesAndMtpRoundTrip) {
  Workload w = demo_workload({"parallel.micro_batches=2", "workload.mtp.enabled=true"});
  std::ostringstream out;
  write_trace(w, out);
  expect_same(w, read_trace(out.str(), "demo.json"));
}

TEST(TraceIo, TrainingStepWithUnorderedTransfersRoundTrips) {
  auto sc = sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/deepseek-v3-training-2048.yaml",
                               {"cluster.nodes=2", "parallel.pp=2", "parallel.attention_dp=8", "parallel.ep=8",
                                "workload.training.global_batch=32", "workload.model.layers=4"});
  const auto& s = sc.spec;
  Workload w = generate(s.workload, s.parallel, s.gpus(), s.hardware.gpus_per_node, 1);
  std::ostringstream out;
  write_trace(w, out);
  expect_same(w, read_trace(out.str(), "train.json"));
}

TEST(TraceIo, HandWrittenTraceBuildsTheGraph) {
  Workload w = read_trace(R"({"format": "strata-trace", "version": 1, "devices": 2, "ops": [
    {"id": 10, "name": "a", "kind": "gemm", "device": 0, "m": 128, "n": 7168, "k": 2048, "dtype": "fp8"},
    {"id": 11, "name": "b", "kind": "gemm", "device": 1, "m": 128, "n": 7168, "k": 2048, "dtype": "fp8"},
    {"id": 12, "name": "x", "kind": "all_to_all", "ranks": [0, 1], "flows": [[0, 1, 1e6], [1, 0, 5e5]], "deps": [10, 11]},
    {"id": 13, "name": "r", "kind": "all_reduce", "ranks": [0, 1], "bytes": 4096},
    {"id": 14, "name": "after", "kind": "elementwise", "device": 0, "flops": 10, "bytes": 100, "deps": [12], "duration": 2e-6}]})",
                          "hand.json");
  const OpGraph& g = w.graph;
  ASSERT_EQ(g.size(), 5u);
  EXPECT_DOUBLE_EQ(g.op(0).flops, 2.0 * 128 * 7168 * 2048);
  EXPECT_EQ(g.collectives()[g.op(2).collective].flows.size(), 2u);
  EXPECT_DOUBLE_EQ(g.op(2).bytes, 1.5e6);
  EXPECT_DOUBLE_EQ(g.op(4).measured_s, 2e-6);
  // x follows a and b (deps), r follows x on both comm streams, "after" follows x and a.
  EXPECT_EQ(edges(g), (std::set<std::pair<size_t, size_t>>{{0, 2}, {1, 2}, {2, 3}, {2, 4}, {0, 4}}));
  EXPECT_EQ(w.devices, (std::vector<int>{0, 1}));
}

TEST(TraceIo, HandWrittenExpertAllToAllIsPricedFromItsCounts) {
  // Two ranks of one node: rank 0 sends 3 tokens to rank 1 (4 expert copies there), rank 1 keeps
  // its 2 tokens local.
  std::string text = R"({"format": "strata-trace", "version": 1, "ops": [
    {"id": 0, "name": "d", "kind": "ep_dispatch", "ranks": [0, 1], "token_bytes": 1000, "algorithm": "per_expert",
     "tokens": {"gpus_per_node": 8, "pairs": [[0, 1, 3, 4], [1, 1, 2, 2]], "node_sets": [[0, [0], 3], [1, [0], 2]]}}]})";
  Workload w = read_trace(text, "ep.json");
  const Collective& c = w.graph.collectives()[0];
  ASSERT_TRUE(c.tokens);
  EXPECT_EQ(c.tokens->tokens(), 5);
  EXPECT_EQ(c.tokens->pair_experts(0, 1), 4);
  EXPECT_EQ(c.algorithm, CollectiveAlgorithm::per_expert);
  EXPECT_EQ(w.graph.op(0).bytes, 3000);  // token copies leaving their rank
}

TEST(TraceIo, MalformedTracesNameTheProblem) {
  struct Case {
    std::string ops, message;
  };
  std::vector<Case> cases = {
      {"[{\"id\": 0, \"name\": \"a\", \"kind\": \"gemm\", \"device\": 0, \"m\": 1, \"n\": 1, \"k\": 1,}]",
       "t.json: 1:"},
      {R"([{"id": 0, "name": "a", "kind": "gemmm", "device": 0}])",
       "t.json: op #0 (id 0, 'a'): unknown kind 'gemmm'; did you mean 'gemm'?"},
      {R"([{"id": 0, "name": "a", "kind": "gemm", "device": 0, "m": 1, "n": 1, "k": 1, "dtyp": "fp8"}])",
       "t.json: op #0 (id 0, 'a'): unknown field 'dtyp'; did you mean 'dtype'?"},
      {R"([{"id": 0, "kind": "gemm", "device": 0}])", "t.json: op #0 (id 0): missing field 'name'"},
      {R"([{"id": 0, "name": "a", "kind": "gemm", "m": 1, "n": 1, "k": 1}])",
       "t.json: op #0 (id 0, 'a'): missing field 'device'"},
      {std::string("[") + kGemm + "," + kGemm + "]", "t.json: op #1 (id 0, 'g'): duplicate id 0"},
      {R"([{"id": 0, "name": "a", "kind": "norm", "device": 0, "deps": [7]}])",
       "t.json: op #0 (id 0, 'a'): depends on op id 7, which does not exist"},
      {R"([{"id": 3, "name": "a", "kind": "norm", "device": 0, "deps": [3]}])",
       "t.json: op #0 (id 3, 'a'): depends on itself"},
      {R"([{"id": 0, "name": "a", "kind": "norm", "device": 0, "deps": [1]},
           {"id": 1, "name": "b", "kind": "norm", "device": 1, "deps": [0]}])",
       "t.json: the op graph has a dependency cycle through op"},
      {R"([{"id": 0, "name": "a", "kind": "gemm", "device": 0, "m": 4, "n": 8, "k": 16, "flops": 5}])",
       "t.json: op #0 (id 0, 'a'): inconsistent shapes: flops 5 but the shape gives 1024"},
      {R"([{"id": 0, "name": "a", "kind": "grouped_gemm", "device": 0, "m": 5, "n": 8, "k": 16, "group_rows": [1, 2]}])",
       "t.json: op #0 (id 0, 'a'): inconsistent shapes: m = 5 but group_rows add up to 3"},
      {R"([{"id": 0, "name": "a", "kind": "gemm", "device": 0, "m": 0, "n": 8, "k": 16}])",
       "t.json: op #0 (id 0, 'a'): gemm needs m, n, k >= 1"},
      {R"([{"id": 0, "name": "x", "kind": "all_to_all", "ranks": [0, 1], "flows": [[0, 2, 10]]}])",
       "t.json: op #0 (id 0, 'x'): flow [0,2,10] names a rank outside the collective's ranks"},
      {R"([{"id": 0, "name": "x", "kind": "all_to_all", "ranks": [0, 1], "flows": [[1, 1, 10]]}])",
       "t.json: op #0 (id 0, 'x'): flow [1,1,10] sends a rank to itself"},
      {R"([{"id": 0, "name": "x", "kind": "all_to_all", "ranks": [0, 1]}])",
       "t.json: op #0 (id 0, 'x'): all_to_all needs \"flows\": [[src, dst, bytes], ...]"},
      {R"([{"id": 0, "name": "x", "kind": "ep_dispatch", "ranks": [0, 1], "token_bytes": 8}])",
       "t.json: op #0 (id 0, 'x'): ep_dispatch needs \"tokens\": {\"gpus_per_node\": G, \"pairs\": [...], \"node_sets\": [...]}"},
      {R"([{"id": 0, "name": "x", "kind": "ep_dispatch", "ranks": [0, 1], "token_bytes": 8,
            "tokens": {"gpus_per_node": 8, "pairs": [[0, 2, 1, 1]]}}])",
       "t.json: op #0 (id 0, 'x'): token pair [0,2,1,1] names a rank outside the collective's ranks"},
      {R"([{"id": 0, "name": "x", "kind": "ep_combine", "ranks": [0, 1], "token_bytes": 8,
            "tokens": {"gpus_per_node": 8, "node_sets": [[0, [3], 1]]}}])",
       "t.json: op #0 (id 0, 'x'): node set [0,[3],1] names a node outside 0 .. 0"},
      {R"([{"id": 0, "name": "x", "kind": "ep_combine", "ranks": [0, 1], "bytes": 8}])",
       "t.json: op #0 (id 0, 'x'): field 'bytes' is not for ep_combine (it gives \"tokens\" and \"token_bytes\")"},
      {R"([{"id": 0, "name": "x", "kind": "all_reduce", "ranks": [0, 1], "bytes": 8, "algorithm": "rings"}])",
       "t.json: op #0 (id 0, 'x'): unknown algorithm 'rings'; did you mean 'ring'?"},
      {R"([{"id": 0, "name": "x", "kind": "broadcast", "ranks": [0, 1], "bytes": 8, "root": 4}])",
       "t.json: op #0 (id 0, 'x'): root 4 is not among the ranks"},
      {R"([{"id": 0, "name": "x", "kind": "all_reduce", "ranks": [0, 0], "bytes": 8}])",
       "t.json: op #0 (id 0, 'x'): rank 0 listed twice"},
      {R"([{"id": 0, "name": "x", "kind": "all_reduce", "ranks": [0, 1]}])",
       "t.json: op #0 (id 0, 'x'): missing field 'bytes'"},
      {R"([{"id": 0, "name": "a", "kind": "gemm", "device": 0, "m": 1, "n": 1, "k": 1, "ranks": [0]}])",
       "t.json: op #0 (id 0, 'a'): field 'ranks' is for collectives"},
      {R"([{"id": 0, "name": "a", "kind": "norm", "device": 0, "stream": "fast"}])",
       "t.json: op #0 (id 0, 'a'): stream must be \"compute\", \"comm\" or a stream number >= 0, got \"fast\""},
      {R"([{"id": 0, "name": "a", "kind": "norm", "device": 0, "bytes": -1}])",
       "t.json: op #0 (id 0, 'a'): field 'bytes' must be a non-negative number, got -1"},
  };
  for (const Case& c : cases) {
    std::string e = error_of(c.ops);
    EXPECT_EQ(e.rfind(c.message, 0), 0u) << "got: " << e << "\nwanted: " << c.message;
  }
  EXPECT_EQ(error_of(std::string("[") + kGemm + "]", "\"format\": \"strata-trace\", \"version\": 2"),
            "t.json: trace version 2 is not supported (this build reads version 1)");
  EXPECT_EQ(error_of("[]", "\"format\": \"other\", \"version\": 1").rfind("t.json: not a strata trace", 0), 0u);
  EXPECT_EQ(error_of(std::string("[") + kGemm + "]", "\"format\": \"strata-trace\", \"version\": 1, \"device\": 2"),
            "t.json: unknown top-level field 'device'; did you mean 'devices'? (allowed: format, version, "
            "devices, workload, memory, ops)");
  EXPECT_EQ(error_of(R"([{"id": 0, "name": "a", "kind": "norm", "device": 3}])",
                     "\"format\": \"strata-trace\", \"version\": 1, \"devices\": 2"),
            "t.json: op #0 (id 0, 'a'): device 3 is outside 0 .. 1");
}

TEST(TraceIo, JsonErrorsHaveLineAndColumn) {
  std::string e = error_of("[\n  {\"id\": 0,,}\n]");
  EXPECT_NE(e.find("t.json: 2:12: not valid JSON"), std::string::npos) << e;
}
