// The cycle-level chip model on kernels whose timing can be worked out by hand. Each
// simulation runs in a child process (SystemC cannot restart) through run_in_child.
#include <gtest/gtest.h>

#include <sstream>

#include "models/kernels/gemm_kernel.h"
#include "models/roofline/roofline.h"
#include "models/tensor_core/kernel_batch.h"
#include "sim/config/loader.h"
#include "sim/engine/child_process.h"
#include "workloads/kernels.h"

using namespace strata;
using namespace strata::models;

namespace {

/// A chip with round numbers: 4 SMs at 1 GHz, 1000 BF16 FLOP/clock/SM, 1 TB/s memory.
hw::HardwareSpec toy() {
  hw::HardwareSpec h;
  h.chip.sm_count = 4;
  h.chip.clock_hz = 1e9;
  h.chip.flops_per_clock_per_sm.bf16 = 1000;
  h.chip.flops_per_clock_per_sm.fp32 = 100;
  h.chip.smem_per_sm_bytes = 228 * 1024;
  h.chip.l2_bytes = 1 << 20;
  h.chip.onchip = {1000, 100, 100, 16, 200e-9, 1e-6};  // L2 1 TB/s, hit 100 ns, smem 100 B/ns
  h.memory.stacks = 1;
  h.memory.bus_width_bits = 1000;
  h.memory.pin_rate_bytes_per_s = 1e9;  // 1 TB/s
  h.memory.capacity_bytes = 1e9;
  return h;
}

/// Kernel times (and L2 hits) of `kernels` on `hw`, from a child process.
std::vector<std::pair<double, int64_t>> run(const hw::HardwareSpec& hw, int sms,
                                            std::vector<std::unique_ptr<TiledKernel>> kernels,
                                            bool wave_sampling = true) {
  std::string text = sim::run_in_child([&] {
    std::vector<const TiledKernel*> p;
    for (auto& k : kernels) p.push_back(k.get());
    std::ostringstream out;
    out.precision(17);
    for (const KernelResult& r : simulate_kernels(hw, sms, p, peak_bandwidth_memory(1.0, 50e-9), wave_sampling))
      out << r.time_s << " " << r.l2.hits << "\n";
    return out.str();
  });
  std::istringstream in(text);
  std::vector<std::pair<double, int64_t>> v;
  double t;
  int64_t h;
  while (in >> t >> h) v.push_back({t, h});
  return v;
}

std::unique_ptr<TiledKernel> gemm(int64_t m, int64_t n, int64_t k, const GemmTiling& t,
                                  hw::DType d = hw::DType::bf16) {
  return std::make_unique<GemmKernel>(std::vector<int64_t>{m}, n, k, d, t);
}

}  // namespace

TEST(ChipModel, OneTileByHand) {
  // One 64x16 BF16 tile, K = 64 (one step, no multicast partner). Times in ns from launch:
  //  1000      kernel_start; A (8192 B) and B (2048 B) miss the L2 and go to memory together
  //  1058.192  A leaves memory: 8192 B at 1000 B/ns + 50 ns latency; +200 ns fabric = 1258.192
  //  1052.048  B leaves memory (it shares the same 20 ns bin); +200 ns fabric = 1252.048
  //  1266.384  A through the 1000 B/ns L2 port (bins fill from 1258.192 on); B is done earlier
  //  1397.456  + 131,072 FLOP at 1000 FLOP/ns
  //  1417.936  + 2048 B registers -> shared memory at 100 B/ns
  //  1419.984  + the 2048 B store through the L2 port
  //  1472.032  + the store into memory: 2048 B at 1000 B/ns + 50 ns latency (a kernel ends when
  //            its posted writes have drained)
  GemmTiling t{64, 16, 64, 2, 1, 1};
  auto r = run(toy(), 4, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(64, 16, 64, t));
    return v;
  }());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0].first * 1e9, 1472.032, 0.01);
  EXPECT_EQ(r[0].second, 0);  // nothing to reuse
}

TEST(ChipModel, FewerTilesThanSmsRunInParallelAndARaggedTailAddsAWave) {
  // Compute-bound tiles (long K, tiny operands): time is set by waves of tiles.
  GemmTiling t{64, 16, 64, 4, 0, 0};
  auto r = run(toy(), 4, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(64, 16, 64 * 64, t));      // 1 tile
    v.push_back(gemm(64, 16 * 3, 64 * 64, t));  // 3 tiles, 4 SMs: one wave
    v.push_back(gemm(64, 16 * 5, 64 * 64, t));  // 5 tiles: two waves
    return v;
  }());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NEAR(r[1].first / r[0].first, 1.0, 0.01);
  // The tail adds one tile's math (64 steps of 131.072 ns, plus a 20.48 ns epilogue); the
  // persistent pipeline hides its loads behind the first tile.
  EXPECT_NEAR((r[2].first - r[0].first) * 1e9, 64 * 131.072 + 20.48, 30);
}

TEST(ChipModel, SecondReaderOfATileHitsL2) {
  // Four tiles along one row of C, in two multicast pairs sharing A: each pair reads both
  // halves of every A tile; on one SM the second pair finds all of them in L2.
  GemmTiling t{64, 16, 64, 2, 0, 0};
  auto r = run(toy(), 1, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(64, 64, 64 * 8, t));
    return v;
  }());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].second, 16);  // 8 steps x 2 halves
}

TEST(ChipModel, CycleStaysWithinAStatedRatioOfTheRooflineOnLargeGemms) {
  // On a large compute-bound FP8 GEMM the cycle-level time must be at or above the roofline
  // and within 1.4x of it (wave quantisation, FP8 promotion, pipeline fill; stated bound).
  hw::HardwareSpec h800 = hw::HardwareSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"));
  workloads::Op op = workloads::gemm("g", 0, 4096, 7168, 16384, hw::DType::fp8);
  GemmTiling t = choose_gemm_tiling({4096}, 7168, 16384, hw::DType::fp8, 132, h800.chip.smem_per_sm_bytes);
  auto r = run(h800, 132, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(4096, 7168, 16384, t, hw::DType::fp8));
    return v;
  }());
  double bound = Roofline(h800.chip, h800.memory).bound(op);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_GE(r[0].first, bound);
  EXPECT_LE(r[0].first / bound, 1.4);
}

TEST(ChipModel, AKernelsResultDoesNotDependOnWhatRanBeforeIt) {
  // The kernel cost cache stores each kernel's time alone; a batch must reproduce it exactly.
  GemmTiling small{64, 16, 64, 4, 0, 0};
  auto alone = run(toy(), 4, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(64, 48, 64 * 16, small));
    return v;
  }());
  auto after = run(toy(), 4, [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    v.push_back(gemm(640, 640, 64 * 32, small));  // a write-heavy kernel first
    v.push_back(gemm(64, 48, 64 * 16, small));
    return v;
  }());
  ASSERT_EQ(alone.size(), 1u);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(alone[0].first, after[1].first);  // bit-identical
}

TEST(ChipModel, WaveSamplingStaysWithinOnePercentOfTheFullSimulation) {
  // Long GEMMs on the H800: a compute-bound dense one (14 waves), a memory-heavy grouped one
  // (32 experts of 512 rows, 56 waves) and a short-K one (31 waves, store-heavy).
  hw::HardwareSpec h800 = hw::HardwareSpec::schema().bind(
      config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml", {"chip.clock=1600 MHz"}));
  auto kernels = [&] {
    std::vector<std::unique_ptr<TiledKernel>> v;
    const double smem = h800.chip.smem_per_sm_bytes;
    v.push_back(gemm(4096, 7168, 16384, choose_gemm_tiling({4096}, 7168, 16384, hw::DType::fp8, 132, smem), hw::DType::fp8));
    std::vector<int64_t> rows(32, 512);
    v.push_back(std::make_unique<GemmKernel>(rows, 4096, 7168, hw::DType::fp8,
                                             choose_gemm_tiling(rows, 4096, 7168, hw::DType::fp8, 132, smem)));
    v.push_back(gemm(4096, 32768, 512, choose_gemm_tiling({4096}, 32768, 512, hw::DType::fp8, 132, smem), hw::DType::fp8));
    return v;
  };
  auto sampled = run(h800, 132, kernels(), true), full = run(h800, 132, kernels(), false);
  ASSERT_EQ(sampled.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(sampled[i].first / full[i].first, 1.0, 0.01) << "kernel " << i;
}
