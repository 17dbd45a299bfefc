// DeepSeek's published training trace (../shared/reference/traces/, read from there, never
// copied): its README's per-phase table reproduced from the import, the phase rule that gives
// the autograd thread's kernels to attn(B), the kernel families, and the replay against the
// measured span and compute-stream busy time. Skipped when the trace is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "sim/engine/compare.h"
#include "sim/engine/run.h"
#include "workloads/kernel_classes.h"
#include "workloads/kineto.h"

using namespace strata;
using namespace strata::workloads;

namespace {
const std::string kTrace = STRATA_SOURCE_DIR "/../shared/reference/traces/deepseek-v3-train-ep64-chunk-pair.json";
const std::string kScenario = STRATA_SOURCE_DIR "/configs/scenarios/deepseek-v3-train-trace-replay.yaml";

#define NEED_TRACE()                                                                               \
  if (!std::filesystem::exists(kTrace))                                                            \
  GTEST_SKIP() << "needs DeepSeek's trace at " << kTrace << " (../shared/reference/traces beside the project)"

const KinetoTrace& trace() {
  static const KinetoTrace t = import_kineto_path(kTrace);
  return t;
}

struct Tally {
  int kernels = 0;
  double us = 0;
};
}  // namespace

TEST(DeepSeekTrace, ReadmeTableIsReproducedByItsOwnRule) {
  NEED_TRACE();
  // The README attributes cudaLaunchKernel* kernels (no memcpy, memset or driver launches) to
  // the innermost annotation of the launching thread; the rest is unattributed.
  std::map<std::string, Tally> by;
  for (const MeasuredKernel& k : trace().kernels) {
    if (k.category != "kernel") continue;
    bool runtime = k.launch.rfind("cudaLaunchKernel", 0) == 0;
    Tally& t = by[runtime && !k.phase_borrowed && !k.phase.empty() ? k.phase : "unattributed"];
    t.kernels++, t.us += k.duration_s * 1e6;
  }
  const std::map<std::string, std::pair<int, int>> readme = {
      {"attn(F)", {248, 16528}},     {"attn(W)", {20, 9554}},      {"mlp(F)", {79, 18415}},
      {"mlp(B)", {116, 21224}},      {"mlp(W)", {48, 25513}},      {"dispatch(F)", {12, 26761}},
      {"combine(F)", {8, 34736}},    {"dispatch(B)", {8, 29947}},  {"combine(B)", {12, 23077}},
      {"unattributed", {412, 38286}}};
  ASSERT_EQ(by.size(), readme.size());
  for (const auto& [phase, want] : readme) {
    EXPECT_EQ(by[phase].kernels, want.first) << phase;
    EXPECT_NEAR(by[phase].us, want.second, 0.5) << phase;
  }
}

TEST(DeepSeekTrace, AutogradThreadsKernelsBelongToAttentionBackward) {
  NEED_TRACE();
  // strata's rule: the launching thread's annotation, else another thread's (the main thread
  // is inside attn(B) while autograd's thread launches the attention backward).
  std::map<std::string, Tally> by;
  int borrowed = 0;
  for (const MeasuredKernel& k : trace().kernels) {
    Tally& t = by[k.phase.empty() ? "unattributed" : k.phase];
    t.kernels++, t.us += k.duration_s * 1e6;
    borrowed += k.phase_borrowed;
  }
  EXPECT_EQ(by.count("unattributed"), 0u);
  EXPECT_EQ(by["attn(B)"].kernels, 404);
  EXPECT_NEAR(by["attn(B)"].us, 37363, 0.5);
  EXPECT_EQ(borrowed, 404);
  // attn(F) gains its driver-launched RoPE and copy kernels, memcpys and memsets (28, 951 us).
  EXPECT_EQ(by["attn(F)"].kernels, 276);
  EXPECT_NEAR(by["attn(F)"].us, 17479, 0.5);
}

TEST(DeepSeekTrace, StreamsAndKernelFamilies) {
  NEED_TRACE();
  const KinetoTrace& t = trace();
  EXPECT_EQ(t.world_size, 64);
  EXPECT_EQ(t.device_name, "NVIDIA H800");
  std::map<int64_t, double> stream_us;
  std::map<std::string, Tally> family;
  Tally small, deepep, gemm;
  for (const MeasuredKernel& k : t.kernels) {
    const double us = k.duration_s * 1e6;
    if (k.category == "kernel") stream_us[k.trace_stream] += us;
    family[k.family].kernels++, family[k.family].us += us;
    Tally* x = is_small_kernel(k.op_class)                          ? &small
               : k.op_class == OpClass::communication               ? &deepep
               : k.family == "gemm" || k.family == "grouped_gemm" ? &gemm
                                                                    : nullptr;
    if (x) x->kernels++, x->us += us;
    if (k.trace_stream == 7) {
      EXPECT_EQ(k.stream, Stream::compute);
    } else if (k.trace_stream == 27) {
      EXPECT_EQ(k.stream, Stream::comm);
    }
  }
  EXPECT_NEAR(stream_us[7], 118165, 0.5);  // README: compute stream 7 busy
  EXPECT_NEAR(stream_us[23], 11355, 0.5);  // weight-gradient GEMMs on the second compute stream
  EXPECT_EQ(gemm.kernels, 152);           // issue 14: 152 GEMM kernels, 75.1 ms
  EXPECT_NEAR(gemm.us / 1e3, 75.1, 0.05);
  EXPECT_EQ(family["grouped_gemm"].kernels, 16);  // m_grouped_fp8_ptp128c only
  EXPECT_EQ(deepep.kernels, 36);                  // README/issue: 36 DeepEP kernels, 113.4 ms
  EXPECT_NEAR(deepep.us / 1e3, 113.4, 0.05);
  EXPECT_EQ(family["ep_dispatch"].kernels + family["ep_combine"].kernels, 36);
  EXPECT_EQ(small.kernels, 787);                  // README: ~787 small kernels, ~35.5 ms
  EXPECT_NEAR(small.us / 1e3, 35.5, 0.05);
  // FP8 cast and quantisation by the kernels' own names: 14.8 ms in 176 kernels (the README's
  // ~17.6 ms in 212 matched "cast|quant|fp8" anywhere in the name, template arguments included).
  EXPECT_EQ(family["cast"].kernels, 176);
  EXPECT_NEAR(family["cast"].us / 1e3, 14.845, 0.001);
  EXPECT_EQ(t.unsized_collectives, 36);
}

TEST(DeepSeekTrace, ReplayMatchesTheMeasuredSpanAndItsComparisonEveryPhase) {
  NEED_TRACE();
  sim::Simulation s = sim::simulate(sim::load_scenario(kScenario, {}));
  const results::Result& r = s.result;
  EXPECT_EQ(r.value("gpus"), 64);  // sized from the trace's NCCL world
  // README: compute stream 7 busy 118,165 us in a 128,537 us span.
  EXPECT_NEAR(r.value("step_time") / 128537e-6, 1.0, 0.02);
  sim::Comparison c = sim::compare_trace(kTrace, r);
  EXPECT_TRUE(c.warnings.empty()) << c.warnings.front();
  EXPECT_NEAR(sim::find_row(c, "busy", "compute_stream")->simulated_s / 118165e-6, 1.0, 0.02);
  EXPECT_NEAR(sim::find_row(c, "span", "")->error, 0.0, 0.02);
  int phases = 0;
  for (const sim::CompareRow& row : c.rows) {
    if (row.what != "phase") continue;
    ++phases;
    EXPECT_NE(row.name, "unattributed");
    EXPECT_NEAR(row.error, 0.0, 0.02) << row.name;
  }
  EXPECT_EQ(phases, 10);
  EXPECT_EQ(r.value("unsized_collectives"), 36);
}
