// PyTorch profiler (Kineto) import and replay on small traces written for the purpose
// (tests/data/kineto): classification, streams, launch and cross-stream dependencies, phases,
// measured durations, matching of collectives across ranks, and errors naming the event.
#include <gtest/gtest.h>

#include <map>

#include "models/network/backends.h"
#include "sim/engine/compare.h"
#include "sim/engine/run.h"
#include "workloads/kernel_classes.h"
#include "workloads/kineto.h"

using namespace strata;
using namespace strata::workloads;

namespace {
const std::string kDir = STRATA_SOURCE_DIR "/tests/data/kineto/";

const Op* find(const OpGraph& g, const std::string& prefix) {
  for (const Op& op : g.ops())
    if (op.name.rfind(prefix, 0) == 0) return &op;
  return nullptr;
}
size_t id_of(const OpGraph& g, const Op* op) { return static_cast<size_t>(op - &g.ops()[0]); }
bool depends(const OpGraph& g, const Op* before, const Op* after) {
  for (size_t p : g.preds(id_of(g, after)))
    if (p == id_of(g, before)) return true;
  return false;
}

sim::Simulation replay(const std::string& trace, std::vector<std::string> extra = {}) {
  std::vector<std::string> o = {"workload.source=trace", "workload.trace.file=" + kDir + trace};
  o.insert(o.end(), extra.begin(), extra.end());
  return sim::simulate(sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", o));
}

double busy(const sim::Simulation& s, OpClass c) {
  double t = 0;
  for (const auto& r : s.timeline.records)
    if (s.workload.graph.op(r.op).op_class == c) t += r.end_s - r.start_s;
  return t;
}
}  // namespace

TEST(Kineto, ClassifiesKernelNames) {
  EXPECT_EQ(classify_kernel("sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64").family, "gemm");
  EXPECT_EQ(classify_kernel("void deep_gemm::fp8_m_grouped_gemm_kernel<128u>").family, "grouped_gemm");
  EXPECT_EQ(classify_kernel("flash_fwd_splitkv_mla_kernel").op_class, OpClass::attention);
  EXPECT_EQ(classify_kernel("void deep_ep::internode_ll::combine<7168>").family, "ep_combine");
  EXPECT_EQ(*classify_kernel("ncclDevKernel_ReduceScatter_Sum_bf16_RING_LL").collective,
            CollectiveKind::reduce_scatter);
  EXPECT_EQ(*classify_kernel("ncclKernel_AllGather_RING_LL_Sum_int8_t").collective, CollectiveKind::all_gather);
  EXPECT_EQ(classify_kernel("per_token_group_quant_8bit_kernel").family, "cast");
  EXPECT_EQ(classify_kernel("triton_red_fused_rms_norm_0").family, "elementwise");
  EXPECT_EQ(classify_kernel("Memcpy DtoH (Device -> Pinned)", "gpu_memcpy").family, "memcpy");
  EXPECT_EQ(classify_kernel("some_custom_kernel").op_class, OpClass::other);
}

TEST(Kineto, ImportsKernelsStreamsPhasesAndDependencies) {
  KinetoTrace t = import_kineto_path(kDir + "one_rank.json");
  const OpGraph& g = t.workload.graph;
  EXPECT_EQ(t.kernels.size(), 10u);
  EXPECT_EQ(t.steps, 1);
  EXPECT_EQ(t.world_size, 2);
  std::map<std::string, std::string> phase;
  for (const MeasuredKernel& k : t.kernels) phase[k.family + "@" + std::to_string(int(k.start_s * 1e6))] = k.phase;
  EXPECT_EQ(phase["attention@65"], "attn");
  EXPECT_EQ(phase["grouped_gemm@135"], "moe");
  EXPECT_EQ(phase["elementwise@310"], "ProfilerStep");

  const Op* nccl = find(g, "ncclDevKernel_AllReduce");
  ASSERT_TRUE(nccl);
  const Collective& c = g.collectives()[nccl->collective];
  EXPECT_EQ(c.kind, CollectiveKind::all_reduce);
  EXPECT_EQ(c.ranks, (std::vector<int>{0, 1}));
  EXPECT_DOUBLE_EQ(c.bytes, 2097152.0 * 2);  // In msg nelems x BF16
  EXPECT_DOUBLE_EQ(nccl->measured_s, 80e-6);
  EXPECT_EQ(nccl->stream, Stream::comm);
  const Op* ep = find(g, "void deep_ep::internode_ll::dispatch");
  ASSERT_TRUE(ep);
  EXPECT_TRUE(g.collectives()[ep->collective].flows.empty());  // no size: keeps its measured time

  // The second GEMM started 33 us after its stream was free: it waited for the all-reduce.
  const Op* late = nullptr;
  for (const Op& op : g.ops())
    if (op.name.rfind("sm90_xmma_gemm", 0) == 0) late = &op;
  ASSERT_TRUE(late);
  EXPECT_EQ(late->stream, Stream::compute);
  EXPECT_TRUE(depends(g, nccl, late));
  // Every kernel follows its launch on the host thread's stream.
  const Op* flash = find(g, "flash_fwd");
  bool launched = false;
  for (size_t p : g.preds(id_of(g, flash)))
    launched = launched || g.op(p).op_class == OpClass::host;
  EXPECT_TRUE(launched);
  // The synchronisation waits for the memcpy.
  const Op* sync = find(g, "host.cudaStreamSynchronize");
  const Op* copy = find(g, "Memcpy DtoH");
  ASSERT_TRUE(sync && copy);
  EXPECT_TRUE(depends(g, copy, sync));
}

TEST(Kineto, ReplayKeepsMeasuredKernelsAndRepricesSizedCollectives) {
  sim::Simulation s = replay("one_rank.json");
  EXPECT_NEAR(busy(s, OpClass::dense_gemm), 70e-6, 1e-12);
  EXPECT_NEAR(busy(s, OpClass::attention), 60e-6, 1e-12);
  EXPECT_NEAR(busy(s, OpClass::moe_gemm), 50e-6, 1e-12);
  EXPECT_NEAR(busy(s, OpClass::elementwise), 25e-6, 1e-12);
  // The 4 MB all-reduce over 2 ranks of one H800 node is repriced on the scenario's network
  // (its NVLink ring: 2 steps, 4 MB each way at the NVLink payload rate); the DeepEP dispatch
  // keeps its 40 us.
  const workloads::Collective* ar = nullptr;
  for (const Collective& c : s.workload.graph.collectives())
    if (c.kind == CollectiveKind::all_reduce) ar = &c;
  ASSERT_TRUE(ar);
  EXPECT_EQ(ar->bytes, 4194304);
  auto sc = sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", {});
  auto net = models::make_network(std::make_shared<models::Topology>(sc.spec.hardware, sc.spec.cluster),
                                  sc.spec.network);
  const double all_reduce = net->cost(*ar).time_s;
  EXPECT_GT(all_reduce, 4194304 / (8 * 25e9));  // above 4 MB at the H800's 200 GB/s line rate
  EXPECT_NEAR(busy(s, OpClass::communication), all_reduce + 40e-6, 1e-12);
  // The replay starts at the first launch (trace time 10 us) and follows the host thread: the
  // last kernel, the DeepEP dispatch, is launched 42 us of CPU time after the synchronisation
  // that waits for the memcpy, which ends at 208 us; so 208 + 42 + 4 (launch) + 40 = 294 us.
  // (The measured span is 325 us: the replay does not model the GPU's launch latency.)
  EXPECT_NEAR(s.result.scalar("step_time")->value, 294e-6, 1e-12);
}

TEST(Kineto, ReplayScalesByClockAndCanSerializeCommunication) {
  sim::Simulation slow = replay("one_rank.json", {"workload.trace.clock=2745 MHz"});
  EXPECT_NEAR(busy(slow, OpClass::attention), 60e-6 * 2745 / 1830, 1e-12);
  sim::Simulation base = replay("one_rank.json");
  sim::Simulation serial = replay("one_rank.json", {"workload.trace.comm_overlap=false"});
  EXPECT_GT(serial.result.scalar("step_time")->value, base.result.scalar("step_time")->value);
}

TEST(Kineto, MatchesCollectivesAcrossRanks) {
  KinetoTrace t = import_kineto_path(kDir + "two_ranks");
  const OpGraph& g = t.workload.graph;
  int collectives = 0;
  for (const Op& op : g.ops())
    if (op.kind == OpKind::collective) {
      ++collectives;
      EXPECT_EQ(g.participants(op), (std::vector<int>{0, 1})) << op.name;
    }
  EXPECT_EQ(collectives, 2);  // one all-reduce and one dispatch, each shared by both ranks
  EXPECT_EQ(t.workload.devices, (std::vector<int>{0, 1}));
}

TEST(Kineto, CompareReportsPerClassAndPhase) {
  sim::Simulation s = replay("one_rank.json");
  std::vector<sim::CompareRow> rows = sim::compare_trace(kDir + "one_rank.json", s.result);
  std::map<std::string, sim::CompareRow> by;
  for (const auto& r : rows) by[r.what + ":" + r.name] = r;
  EXPECT_NEAR(by["step:"].measured_s, 325e-6, 1e-12);
  EXPECT_NEAR(by["class:attention"].error, 0.0, 1e-9);
  EXPECT_NEAR(by["class:communication"].measured_s, 120e-6, 1e-12);
  EXPECT_LT(by["class:communication"].error, -0.3);
  EXPECT_NEAR(by["phase:attn"].error, 0.0, 1e-9);
}

TEST(Kineto, MissingFieldsNameTheEvent) {
  try {
    import_kineto_path(kDir + "missing_stream.json");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("missing_stream.json: event #16 'flash_fwd_splitkv_mla_kernel<cutlass::"
                                         "bfloat16_t, 64, 64>' (cat kernel): missing field 'args.stream'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(import_kineto({{"x.json", "{\"events\": []}"}}), std::invalid_argument);
}
