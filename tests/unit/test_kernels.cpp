// The kernel library: tiling choices, step streams, byte and FLOP accounting.
#include <gtest/gtest.h>

#include <set>

#include "models/kernels/decode_attention_kernel.h"
#include "models/kernels/gemm_kernel.h"
#include "models/kernels/kernel_for_op.h"
#include "models/kernels/stream_kernel.h"
#include "workloads/kernels.h"

using namespace strata;
using namespace strata::models;

namespace {
constexpr double kSmem = 228 * 1024;

/// Sums the bytes a kernel moves: every load of every step of every CTA.
double loaded(const TiledKernel& k) {
  double b = 0;
  TileStep st;
  for (int64_t c = 0; c < k.ctas(); ++c)
    for (int s = 0; s < k.steps(c); ++s) {
      k.step(c, s, st);
      for (int l = 0; l < st.load_count; ++l) b += st.loads[l].bytes();
    }
  return b;
}
}  // namespace

TEST(GemmTiling, SmallMFillsEverySmInOneWave) {
  // DeepGEMM picks BLOCK_N = 16 for M=64, N=2112: 132 tiles on 132 SMs.
  GemmTiling t = choose_gemm_tiling({64}, 2112, 7168, hw::DType::fp8, 132, kSmem);
  EXPECT_EQ(t.bm, 64);
  EXPECT_EQ(t.bn, 16);
  EXPECT_EQ(t.tiles, 132);
  EXPECT_EQ(t.waves, 1);
  EXPECT_GE(t.stages, 2);
}

TEST(GemmTiling, LargeGemmUsesBigTilesAndFitsSharedMemory) {
  GemmTiling t = choose_gemm_tiling({4096}, 7168, 16384, hw::DType::fp8, 132, kSmem);
  EXPECT_EQ(t.bm, 128);
  double stage = double(t.bm + t.bn) * t.bk + t.bm * 4.0 + 4.0;
  EXPECT_LE(t.stages * stage + t.bm * t.bn * 2.0, kSmem);
  EXPECT_EQ(t.waves, (t.tiles + 131) / 132);
}

TEST(GemmTiling, BkIsOne128ByteRow) {
  EXPECT_EQ(choose_gemm_tiling({4096}, 4096, 4096, hw::DType::fp8, 132, kSmem).bk, 128);
  EXPECT_EQ(choose_gemm_tiling({4096}, 4096, 4096, hw::DType::bf16, 132, kSmem).bk, 64);
}

TEST(GemmKernel, CoversEveryOutputTileOnceAndCountsFlops) {
  GemmTiling t = choose_gemm_tiling({300}, 1000, 512, hw::DType::bf16, 132, kSmem);
  GemmKernel k({300}, 1000, 512, hw::DType::bf16, t);
  std::set<uint64_t> outputs;
  double out_bytes = 0;
  for (int64_t c = 0; c < k.ctas(); ++c) {
    outputs.insert(k.output(c).address());
    out_bytes += k.output(c).bytes();
  }
  EXPECT_EQ(int64_t(outputs.size()), k.ctas());
  EXPECT_DOUBLE_EQ(out_bytes, 300.0 * 1000 * 2);  // BF16 C, ragged edges excluded
  EXPECT_DOUBLE_EQ(k.total_flops(), 2.0 * 300 * 1000 * 512);
}

TEST(GemmKernel, MulticastPairsReadEachOperandTileOnce) {
  // Without L2 reuse between pairs, every A tile is read once per n block and every B tile
  // once per m-block pair (B is multicast across the two m blocks of a pair).
  const int64_t m = 512, n = 512, k = 256;
  GemmTiling t = choose_gemm_tiling({m}, n, k, hw::DType::bf16, 132, kSmem);
  GemmKernel g({m}, n, k, hw::DType::bf16, t);
  const int64_t mb = (m + t.bm - 1) / t.bm, nb = (n + t.bn - 1) / t.bn;
  ASSERT_EQ(mb % 2, 0);
  double a = double(m) * k * 2 * nb, b = double(n) * k * 2 * (mb / 2);
  EXPECT_DOUBLE_EQ(loaded(g), a + b);
}

TEST(GemmKernel, GroupedGemmSkipsEmptyGroups) {
  GemmTiling t = choose_gemm_tiling({0, 64, 0, 32}, 4096, 7168, hw::DType::fp8, 132, kSmem);
  GemmKernel g({0, 64, 0, 32}, 4096, 7168, hw::DType::fp8, t);
  EXPECT_EQ(g.ctas(), 2 * ((4096 + t.bn - 1) / t.bn));
  EXPECT_DOUBLE_EQ(g.total_flops(), 2.0 * 96 * 4096 * 7168);
}

TEST(DecodeAttention, SplitsPagesEvenlyOverSmsAndReadsEachPageOncePerRowTile) {
  DecodeAttentionShape s;
  s.requests = 128;
  s.kv_len = 4096;
  s.query_rows = 128;  // two 64-row tiles
  s.qk_dim = 576;
  s.v_dim = 512;
  s.kv_bytes_per_token = 1152;
  DecodeAttentionKernel k(s, 132);
  EXPECT_EQ(k.ctas(), 132);  // 66 partitions x 2 row tiles
  int64_t pages = 0;
  int lo = 1 << 30, hi = 0;
  for (int64_t c = 0; c < k.ctas(); ++c) {
    pages += k.steps(c);
    lo = std::min(lo, k.steps(c));
    hi = std::max(hi, k.steps(c));
  }
  EXPECT_EQ(pages, 2 * 128 * 64);  // every page once per row tile
  EXPECT_LE(hi - lo, 1);           // balanced split
  EXPECT_DOUBLE_EQ(k.total_flops(), 2.0 * 128 * 128 * 4096 * (576 + 512));
}

TEST(KernelForOp, MapsEveryKernelKind) {
  workloads::ModelSpec m;
  m.layers = 1;
  m.attention.kind = workloads::AttentionKind::mla;
  m.attention.heads = 128;
  m.attention.kv_lora_rank = 512;
  m.attention.qk_rope_head_dim = 64;
  hw::ChipSpec chip;
  chip.smem_per_sm_bytes = kSmem;
  auto gemm = kernel_for_op(workloads::gemm("g", 0, 64, 2112, 7168, hw::DType::fp8), chip, 132);
  EXPECT_DOUBLE_EQ(gemm->total_flops(), 2.0 * 64 * 2112 * 7168);
  workloads::AttentionWork w;
  w.requests = 4;
  w.queries = 4;
  w.context = 4000;
  w.pairs = 4000;
  w.heads = 128;
  auto attn = kernel_for_op(workloads::attention_decode("a", 0, m.attention, w, 1152), chip, 132);
  EXPECT_DOUBLE_EQ(attn->total_flops(), 2.0 * 4 * 128 * 1000 * (576 + 512));
  // Prefill: 2 sequences of 256 new tokens, causal, MLA naive form (192 / 128 per head).
  m.attention.qk_nope_head_dim = 128;
  m.attention.v_head_dim = 128;
  workloads::AttentionWork p;
  p.requests = 2;
  p.queries = 512;
  p.context = 512;
  p.pairs = 2 * (256.0 * 257 / 2);
  p.heads = 16;
  workloads::Op fwd = workloads::attention_prefill("p", 0, m.attention, p);
  auto fa = kernel_for_op(fwd, chip, 132);
  EXPECT_DOUBLE_EQ(fa->total_flops(), fwd.flops);
  auto bwd = kernel_for_op(workloads::attention_backward(fwd), chip, 132);
  EXPECT_DOUBLE_EQ(bwd->total_flops(), 2.5 * fwd.flops);
  auto ew = kernel_for_op(workloads::elementwise("e", 0, 1e6, 5e5, 1e5), chip, 132);
  EXPECT_NEAR(loaded(*ew), 1e6, 1e-6);
  EXPECT_DOUBLE_EQ(ew->unique_bytes(), 1.5e6);
  workloads::Op coll;
  coll.kind = workloads::OpKind::collective;
  EXPECT_THROW(kernel_for_op(coll, chip, 132), std::invalid_argument);
}

// A kernel stores what its op says it writes: FP32 weight gradients are twice the bytes of BF16
// activations (the cycle model once stored BF16 for both, and a small-batch weight gradient came
// out faster than its roofline; the executor's bound invariant caught it).
TEST(KernelForOp, StoresTheOpsOutputBytes) {
  hw::ChipSpec chip;
  chip.smem_per_sm_bytes = kSmem;
  auto stored = [](const TiledKernel& k) {
    double b = 0;
    for (int64_t c = 0; c < k.ctas(); ++c) b += double(k.output(c).rows) * k.output(c).row_bytes;
    return b;
  };
  workloads::Op fwd = workloads::grouped_gemm("e", 0, {96, 0, 130}, 2048, 7168, hw::DType::fp8);
  EXPECT_DOUBLE_EQ(stored(*kernel_for_op(fwd, chip, 132)), fwd.bytes_written);  // BF16
  workloads::Op w = workloads::grouped_gemm_wgrad("e.wgrad", 0, {96, 0, 130}, 7168, 2048, hw::DType::fp8);
  w.pass = workloads::Pass::backward_weight;
  EXPECT_DOUBLE_EQ(w.bytes_written, 2 * 2048.0 * 7168 * 4);  // two experts with tokens, FP32
  EXPECT_DOUBLE_EQ(stored(*kernel_for_op(w, chip, 132)), w.bytes_written);
  workloads::Op dense = workloads::gemm("g", 0, 64, 2112, 7168, hw::DType::fp8);
  EXPECT_DOUBLE_EQ(stored(*kernel_for_op(dense, chip, 132)), dense.bytes_written);
}
