// PyTorch profiler (Kineto) import and replay on small traces written for the purpose
// (tests/data/kineto): classification, streams, launch and cross-stream dependencies, phases,
// measured durations, matching of collectives across ranks, and errors naming the event.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "models/network/backends.h"
#include "sim/engine/compare.h"
#include "sim/engine/run.h"
#include "workloads/kernel_classes.h"
#include "workloads/kineto.h"
#include "workloads/trace_io.h"

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
  EXPECT_EQ(classify_kernel("triton_red_fused_rms_norm_0").family, "norm");
  EXPECT_EQ(classify_kernel("Memcpy DtoH (Device -> Pinned)", "gpu_memcpy").family, "copy");
  EXPECT_EQ(classify_kernel("some_custom_kernel").op_class, OpClass::other);
}

TEST(Kineto, ClassifiesDeepSeeksInternalNames) {
  // DeepEP under dpsk::ep: communication, the notify and layout kernels with what they prepare.
  for (const char* n : {"void dpsk::ep::internode::dispatch<false, 8, false, 8>(int4*, float*, long*)",
                        "void dpsk::ep::internode::notify_dispatch<false, 8>(int const*, long*, int)",
                        "void dpsk::ep::cuda::get_dispatch_layout<256, 32, 8>(long const*, int*, int*)"}) {
    KernelClass k = classify_kernel(n);
    EXPECT_EQ(k.op_class, OpClass::communication) << n;
    EXPECT_EQ(k.family, "ep_dispatch") << n;
    EXPECT_EQ(*k.collective, CollectiveKind::ep_dispatch) << n;
    EXPECT_FALSE(k.ep_notify_of_next) << n;
  }
  KernelClass combine = classify_kernel("void dpsk::ep::internode::combine<false, 8, __nv_bfloat16, 8>(int4*)");
  EXPECT_EQ(combine.family, "ep_combine");
  EXPECT_EQ(*combine.collective, CollectiveKind::ep_combine);
  KernelClass notify = classify_kernel("void dpsk::ep::internode::cached_notify<false>(int, int, int, int*)");
  EXPECT_EQ(notify.op_class, OpClass::communication);
  EXPECT_TRUE(notify.ep_notify_of_next);  // serves a dispatch or a combine: the import decides
  // dpsk::grouped_gemm: grouped only where the kernel's own name says so.
  auto gemm = [](const char* k) {
    return classify_kernel(std::string("void cutlass::device_kernel<dpsk::grouped_gemm::cuda::") + k +
                           "::GemmKernel>(dpsk::grouped_gemm::cuda::" + k + "::GemmKernel::Params)");
  };
  EXPECT_EQ(gemm("m_grouped_fp8_ptp128c").op_class, OpClass::moe_gemm);
  EXPECT_EQ(gemm("fp8_ptp128c").op_class, OpClass::dense_gemm);
  EXPECT_EQ(gemm("fp8_dptp128c_acc").op_class, OpClass::dense_gemm);
  EXPECT_EQ(classify_kernel("void dpsk::grouped_gemm::cuda::utils::transpose<512, 128, 4, 4>(unsigned char const*)")
                .family,
            "transpose");
  // Small kernels by what the kernel itself does, not its template arguments.
  EXPECT_EQ(classify_kernel("void cuda::per_channel_cast_and_transpose<256, 128, true>(void const*)").family, "cast");
  EXPECT_EQ(classify_kernel("void cuda::reduce_fused_impl<__nv_bfloat16, false, false>(int4 const*)").family,
            "permute");
  EXPECT_EQ(classify_kernel("void at::native::sbtopk::gatherTopK<float, unsigned int, 2, false>(int)").family,
            "routing");
  EXPECT_EQ(classify_kernel("void layer_norm::ln_bwd_kernel<layer_norm::Kernel_traits<__nv_bfloat16> >(int)").family,
            "norm");
  EXPECT_EQ(classify_kernel("void at::native::unrolled_elementwise_kernel<at::native::CUDAFunctor_add<float>, "
                            "at::native::memory::LoadWithCast<2> >(int)")
                .family,
            "elementwise");
  EXPECT_EQ(classify_kernel("void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl<"
                            "at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)> >(int)")
                .family,
            "copy");
  KernelClass pre = classify_kernel("void cutlass::device_kernel<flash::FlashAttnBwdPreprocess<cute::tuple<> > >(int)");
  EXPECT_EQ(pre.op_class, OpClass::elementwise);  // FlashAttention's dO.O row sums: not the core
  EXPECT_EQ(classify_kernel("void cutlass::device_kernel<flash::FlashAttnBwd<flash::Mainloop> >(int)").op_class,
            OpClass::attention);
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
  sim::Comparison cmp = sim::compare_trace(kDir + "one_rank.json", s.result);
  std::map<std::string, sim::CompareRow> by;
  for (const auto& r : cmp.rows) by[r.what + ":" + r.name] = r;
  EXPECT_NEAR(by["span:"].measured_s, 325e-6, 1e-12);
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

// tests/data/kineto/two_streams.json: DeepSeek's shapes in small. A main thread with annotations
// and an autograd thread with none; mlp(W) GEMMs on the compute stream and on a second compute
// stream (7 and 23) overlapping by 100 us; DeepEP's cached_notify before a dispatch; a kernel
// waiting for the SMs of a draining kernel on the other stream; one kernel launched outside
// every annotation.
TEST(Kineto, PhaseIsTheLaunchingThreadsAnnotationElseAnotherThreadsElseUnattributed) {
  KinetoTrace t = import_kineto_path(kDir + "two_streams.json");
  ASSERT_EQ(t.kernels.size(), 9u);
  std::map<int, const MeasuredKernel*> at;  // by start, us
  for (const MeasuredKernel& k : t.kernels) at[int(k.start_s * 1e6 + 0.5)] = &k;
  EXPECT_EQ(at[30]->phase, "attn(B)");  // the main thread's own annotation
  EXPECT_FALSE(at[30]->phase_borrowed);
  EXPECT_EQ(at[130]->phase, "attn(B)");  // autograd thread: the main thread is inside attn(B)
  EXPECT_TRUE(at[130]->phase_borrowed);
  EXPECT_EQ(at[130]->launch, "cudaLaunchKernel");
  EXPECT_EQ(at[525]->phase, "mlp(W)");
  EXPECT_EQ(at[525]->launch, "cuLaunchKernel");
  EXPECT_EQ(at[1110]->phase, "");  // no thread inside an annotation: unattributed
  // The replayed ops carry the same phases.
  const OpGraph& g = t.workload.graph;
  std::map<std::string, int> ops_in;
  for (const Op& op : g.ops())
    if (op.op_class != OpClass::host) ops_in[op.phase >= 0 ? g.phases()[op.phase] : ""]++;
  EXPECT_EQ(ops_in["attn(B)"], 2);
  EXPECT_EQ(ops_in["mlp(W)"], 6);
  EXPECT_EQ(ops_in[""], 1);
}

TEST(Kineto, DeepEPNotifyKernelsJoinTheDispatchOrCombineThatFollows) {
  KinetoTrace t = import_kineto_path(kDir + "two_streams.json");
  int sized = 0;
  for (const MeasuredKernel& k : t.kernels)
    if (k.op_class == OpClass::communication) {
      EXPECT_EQ(k.family, "ep_dispatch");  // cached_notify, then dispatch<..., true, ...>
      EXPECT_EQ(k.stream, Stream::comm);
      ++sized;
    }
  EXPECT_EQ(sized, 2);
  EXPECT_EQ(t.unsized_collectives, 2);  // DeepEP's kernels give no size
  for (const Op& op : t.workload.graph.ops())
    if (op.kind == OpKind::collective) {
      const Collective& c = t.workload.graph.collectives()[op.collective];
      EXPECT_EQ(c.kind, CollectiveKind::ep_dispatch);
      EXPECT_EQ(collective_bytes(c), 0.0);
      EXPECT_GT(op.measured_s, 0);
    }
}

TEST(Kineto, AKernelWaitingForSmsStartsWhenTheOtherStreamsKernelEnds) {
  KinetoTrace t = import_kineto_path(kDir + "two_streams.json");
  const OpGraph& g = t.workload.graph;
  const Op *drain = nullptr, *waiter = nullptr, *dispatch = nullptr;
  for (const Op& op : g.ops()) {
    if (std::abs(op.measured_s - 200e-6) < 1e-12 && op.stream == static_cast<Stream>(2)) drain = &op;
    if (std::abs(op.measured_s - 100e-6) < 1e-12 && op.stream == Stream::compute &&
        op.name.find("dptp128c_acc") != std::string::npos)
      waiter = &op;
    if (op.name.find("internode::dispatch") != std::string::npos) dispatch = &op;
  }
  ASSERT_TRUE(drain && waiter && dispatch);
  // Started 110 us after its stream was free, 10 us before the other stream's GEMM ended, with
  // nothing ending on another stream meanwhile: it waited for that GEMM's SMs.
  EXPECT_TRUE(depends(g, drain, waiter));
  // The other stream's GEMM itself waited for the dispatch (an event).
  EXPECT_TRUE(depends(g, dispatch, drain));
}

TEST(Kineto, OverlappingComputeStreamsCountOnceInBusyTimeAndInFullPerClass) {
  sim::Simulation s = replay("two_streams.json");
  const results::Result& r = s.result;
  const results::Table* dev = r.table("devices");
  ASSERT_TRUE(dev);
  const double busy = std::get<std::vector<double>>(dev->find("compute_busy")->data)[0];
  const double util = std::get<std::vector<double>>(dev->find("compute_utilisation")->data)[0];
  // The union of the compute kernels' intervals, recomputed from the timeline.
  std::vector<std::pair<double, double>> iv;
  double sum = 0;
  for (const auto& rec : s.timeline.records) {
    const Op& op = s.workload.graph.op(rec.op);
    if (op.kind == OpKind::collective || op.op_class == OpClass::host) continue;
    iv.push_back({rec.start_s, rec.end_s});
    sum += rec.end_s - rec.start_s;
  }
  std::sort(iv.begin(), iv.end());
  double u = 0, a = 0, b = -1;
  for (auto [x, y] : iv) {
    if (x > b) u += std::max(0.0, b - a), a = x, b = y;
    else b = std::max(b, y);
  }
  u += b - a;
  EXPECT_NEAR(busy, u, 1e-15);
  EXPECT_LT(busy, sum - 50e-6);  // the second compute stream overlapped the first
  EXPECT_NEAR(util, busy / r.value("step_time"), 1e-12);
  EXPECT_LE(util, 1.0);
  // Per class: every kernel in full; concurrent_compute takes the overlap off, so the split
  // still adds up to the step.
  EXPECT_NEAR(r.value("time_dense_gemm"), 700e-6, 1e-12);
  EXPECT_NEAR(r.value("time_concurrent_compute"), u - sum, 1e-12);
  const results::Table* split = r.table("op_classes");
  double total = 0;
  for (double x : std::get<std::vector<double>>(split->find("time")->data)) total += x;
  EXPECT_NEAR(total, r.value("step_time"), 1e-12);
}

TEST(Kineto, CollectivesOfUnknownSizeAreCountedAndReportNoBytes) {
  sim::Simulation s = replay("two_streams.json");
  EXPECT_EQ(s.result.value("unsized_collectives"), 2.0);
  EXPECT_NEAR(s.result.value("unsized_collective_time"), 110e-6, 1e-12);
  const results::Table* ops = s.result.table("ops");
  const auto& kind = std::get<std::vector<std::string>>(ops->find("kind")->data);
  const auto& bytes = std::get<std::vector<double>>(ops->find("bytes")->data);
  int unknown = 0;
  for (size_t i = 0; i < kind.size(); ++i)
    if (kind[i] == "ep_dispatch") {
      EXPECT_TRUE(std::isnan(bytes[i]));  // unknown, not zero traffic
      ++unknown;
    }
  EXPECT_EQ(unknown, 2);
}

TEST(Kineto, CompareWarnsWhenTheResultDescribesAnotherConfiguration) {
  // one_rank.json: NCCL world 2, NVIDIA H800; replayed on an 8-GPU node described as an H100.
  sim::Simulation s = replay("one_rank.json", {"hardware.chip.name=H100 SXM5"});
  sim::Comparison c = sim::compare_trace(kDir + "one_rank.json", s.result);
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0], "the trace's NCCL world is 2 ranks (distributedInfo.world_size), the result simulates 8 GPUs");
  EXPECT_EQ(c.warnings[1], "the trace ran on NVIDIA H800 (deviceProperties), the result simulates H100 SXM5");
  sim::Comparison other = sim::compare_trace(kDir + "two_streams.json", s.result);
  ASSERT_EQ(other.warnings.size(), 3u);
  EXPECT_NE(other.warnings[2].find("one_rank.json, not this trace"), std::string::npos) << other.warnings[2];
  EXPECT_NE(sim::format_compare(c).find("warning: the trace ran on NVIDIA H800"), std::string::npos);
}

TEST(Kineto, CompareReportsUnattributedKernelsAsTheirOwnRow) {
  sim::Simulation s = replay("two_streams.json");
  sim::Comparison c = sim::compare_trace(kDir + "two_streams.json", s.result);
  const sim::CompareRow* u = sim::find_row(c, "phase", "unattributed");
  ASSERT_TRUE(u);
  EXPECT_NEAR(u->measured_s, 10e-6, 1e-12);
  EXPECT_NEAR(u->simulated_s, 10e-6, 1e-12);
  EXPECT_NEAR(sim::find_row(c, "phase", "attn(B)")->measured_s, 200e-6, 1e-12);
  EXPECT_NEAR(sim::find_row(c, "busy", "compute")->measured_s, 620e-6, 1e-12);  // 30-230, 520-930, 1110-1120
  EXPECT_NEAR(sim::find_row(c, "busy", "compute_stream")->measured_s, 510e-6, 1e-12);
  EXPECT_NEAR(sim::find_row(c, "deepep", "ep_dispatch")->measured_s, 110e-6, 1e-12);
  EXPECT_NEAR(sim::find_row(c, "small", "rope")->measured_s, 10e-6, 1e-12);
}

TEST(Kineto, ImportedTraceWithUnsizedDeepEPRoundTripsAsAStrataTrace) {
  KinetoTrace t = import_kineto_path(kDir + "two_streams.json");
  std::ostringstream out;
  write_trace(t.workload, out);
  Workload back = read_trace(out.str(), "exported.json");
  ASSERT_EQ(back.graph.size(), t.workload.graph.size());
  for (size_t i = 0; i < back.graph.size(); ++i) {
    EXPECT_EQ(back.graph.op(i).name, t.workload.graph.op(i).name);
    EXPECT_DOUBLE_EQ(back.graph.op(i).measured_s, t.workload.graph.op(i).measured_s);
  }
  for (const Collective& c : back.graph.collectives()) EXPECT_FALSE(c.tokens);  // size unknown, still
}

TEST(Kineto, ATraceScenarioNeedsNoModel) {
  // The preset names no model; its resolved config has none and loads again.
  auto sc = sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/deepseek-v3-train-trace-replay.yaml", {});
  EXPECT_EQ(sc.spec.workload.source, Source::trace);
  EXPECT_EQ(sc.resolved_yaml.find("\n  model:"), std::string::npos) << sc.resolved_yaml;
  const std::string again = ::testing::TempDir() + "/resolved-trace-replay.yaml";
  std::ofstream(again) << sc.resolved_yaml;
  EXPECT_EQ(sim::load_scenario(again, {}).resolved_yaml, sc.resolved_yaml);
  // A generated workload still needs its model.
  try {
    sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/deepseek-v3-train-trace-replay.yaml",
                       {"workload.source=generator"});
    FAIL() << "no error";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("workload.model.name: missing required key"), std::string::npos) << e.what();
  }
}
