#include "models/kernels/gemm_kernel.h"

#include <algorithm>
#include <stdexcept>

namespace strata::models {
using hw::DType;
using hw::dtype_bytes;

namespace {

constexpr double kScaleBytes = 4.0;   // FP32 block scale
constexpr int64_t kScaleBlock = 128;  // 1x128 activation scales, 128x128 weight scales
constexpr int kMaxStages = 8;
constexpr int kSwizzle = 8;  // n blocks walked together, so CTAs of a wave share A and B tiles

// Tensors of a GEMM (see tensor_base): A[rows, k] and B[groups][n, k] K-major ("TN", as
// DeepGEMM takes them), their FP8 scales, and C[rows, n] in BF16. Groups are contiguous in A
// and C (MoE contiguous layout).
enum Tensor : uint32_t { kA = 1, kB = 2, kScaleA = 3, kScaleB = 4, kC = 5 };

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// K per step: one 128-byte swizzled row of the operand (128 FP8, 64 BF16, 32 FP32 elements).
int bk_for(DType d) { return static_cast<int>(128 / dtype_bytes(d)); }

double stage_bytes(int bm, int bn, int bk, DType d) {
  double b = double(bm + bn) * bk * dtype_bytes(d);
  if (d == DType::fp8) b += bm * kScaleBytes + kScaleBytes;
  return b;
}

int64_t count_tiles(const std::vector<int64_t>& rows, int64_t n, int bm, int bn) {
  int64_t t = 0;
  for (int64_t r : rows) t += ceil_div(r, bm) * ceil_div(n, bn);
  return t;
}

}  // namespace

GemmTiling choose_gemm_tiling(const std::vector<int64_t>& rows, int64_t n, int64_t k, DType d,
                              int sms, double smem_bytes, double out_bytes, const hw::GemmLibrarySpec& lib) {
  int64_t max_rows = 0;
  for (int64_t r : rows) max_rows = std::max(max_rows, r);
  // Tile heights: powers of two in the library's range; the smallest one alone serves groups
  // that fit in it (DeepGEMM: 64 for <= 64 rows, else 64 or 128).
  std::vector<int> bms;
  for (int bm = lib.block_m_min; bm <= lib.block_m_max; bm *= 2) bms.push_back(bm);
  if (max_rows <= lib.block_m_min) bms.resize(1);
  const int bk = bk_for(d);
  GemmTiling best;
  best.multicast = lib.multicast;
  bool have = false;
  double best_util = 0;
  for (int bm : bms) {
    for (int bn = lib.block_n_min; bn <= lib.block_n_max; bn += lib.block_n_step) {
      // Epilogue staging (the output tile) shares shared memory with the pipeline stages.
      double free_smem = smem_bytes - double(bm) * bn * out_bytes - 1024.0;
      int stages = static_cast<int>(std::min<double>(kMaxStages, free_smem / stage_bytes(bm, bn, bk, d)));
      if (stages < 2) continue;
      int64_t tiles = count_tiles(rows, n, bm, bn);
      if (tiles == 0) continue;
      int64_t waves = ceil_div(tiles, sms);
      double util = double(tiles - (waves - 1) * sms) / sms;
      bool better = !have || waves < best.waves ||
                    (waves == best.waves &&
                     (util > best_util ||
                      (util == best_util && (bm > best.bm || (bm == best.bm && bn < best.bn)))));
      if (better) {
        best = GemmTiling{bm, bn, bk, stages, tiles, waves, lib.multicast};
        best_util = util;
        have = true;
      }
    }
  }
  if (!have)
    throw std::invalid_argument("no GEMM tiling of " + std::to_string(k) + "-deep " +
                                hw::dtype_name(d) + " operands fits in shared memory");
  return best;
}

GemmKernel::GemmKernel(std::vector<int64_t> group_rows, int64_t n, int64_t k, DType d,
                       const GemmTiling& t, double out_bytes, bool accumulate, bool row_scaled_b)
    : GemmKernel(group_rows, std::vector<int64_t>(group_rows.size(), k), n, d, t, out_bytes, accumulate,
                 row_scaled_b) {}

GemmKernel::GemmKernel(std::vector<int64_t> group_rows, std::vector<int64_t> group_depth, int64_t n, DType d,
                       const GemmTiling& t, double out_bytes, bool accumulate, bool row_scaled_b)
    : rows_(std::move(group_rows)), depth_(std::move(group_depth)), n_(n),
      k_(depth_.empty() ? 0 : *std::max_element(depth_.begin(), depth_.end())), dtype_(d), tiling_(t),
      out_bytes_(out_bytes), accumulate_(accumulate), row_scaled_b_(row_scaled_b) {
  const int64_t nb_total = ceil_div(n, t.bn);
  int64_t row0 = 0;
  for (size_t g = 0; g < rows_.size(); ++g) {
    group_row0_.push_back(row0);
    row0 += rows_[g];
    const int64_t mb_total = depth_[g] > 0 ? ceil_div(rows_[g], t.bm) : 0;
    // Swizzled raster over chunks of n blocks. CTAs launch in clusters of two, side by side,
    // sharing one operand tile by TMA multicast: two m blocks of one n block share B; a group
    // with a single m block pairs adjacent n blocks instead, sharing A.
    auto add = [&](int64_t mb, int64_t nb, int pair, bool on_a) {
      cta_group_.push_back(static_cast<int32_t>(g));
      cta_mb_.push_back(static_cast<int32_t>(mb));
      cta_nb_.push_back(static_cast<int32_t>(nb));
      cta_pair_.push_back(static_cast<int8_t>(pair));
      cta_multicast_a_.push_back(on_a);
    };
    // Without multicast the same raster runs with every CTA loading its own operands.
    const bool mc = t.multicast;
    if (mb_total == 1) {
      for (int64_t nb = 0; nb < nb_total; nb += 2)
        for (int64_t n2 = nb; n2 < std::min(nb_total, nb + 2); ++n2)
          add(0, n2, mc && nb + 1 < nb_total ? int(n2 - nb) : -1, true);
      continue;
    }
    for (int64_t nb0 = 0; nb0 < nb_total; nb0 += kSwizzle)
      for (int64_t mb = 0; mb < mb_total; mb += 2)
        for (int64_t nb = nb0; nb < std::min(nb_total, nb0 + kSwizzle); ++nb)
          for (int64_t m2 = mb; m2 < std::min(mb_total, mb + 2); ++m2)
            add(m2, nb, mc && mb + 1 < mb_total ? int(m2 - mb) : -1, false);
  }
}

std::string GemmKernel::describe() const {
  return "gemm " + std::to_string(rows_.size()) + "x[" + std::to_string(rows_.empty() ? 0 : rows_[0]) +
         (rows_.size() > 1 ? ",..]" : "]") + " x " + std::to_string(n_) + " x " + std::to_string(k_) +
         " " + hw::dtype_name(dtype_) + " tile " + std::to_string(tiling_.bm) + "x" +
         std::to_string(tiling_.bn) + "x" + std::to_string(tiling_.bk) + " stages " +
         std::to_string(tiling_.stages);
}

int GemmKernel::steps(int64_t cta) const {
  return static_cast<int>(ceil_div(depth_[cta_group_[cta]], tiling_.bk));
}

int64_t GemmKernel::rows_in_tile(int64_t cta) const {
  int64_t r = rows_[cta_group_[cta]] - int64_t(cta_mb_[cta]) * tiling_.bm;
  return std::min<int64_t>(r, tiling_.bm);
}

int64_t GemmKernel::cols_in_tile(int64_t cta) const {
  return std::min<int64_t>(n_ - int64_t(cta_nb_[cta]) * tiling_.bn, tiling_.bn);
}

void GemmKernel::step(int64_t cta, int k, TileStep& out) const {
  const int64_t g = cta_group_[cta];
  const int64_t row = group_row0_[g] + int64_t(cta_mb_[cta]) * tiling_.bm;
  const int64_t col = int64_t(cta_nb_[cta]) * tiling_.bn;
  const int64_t k0 = int64_t(k) * tiling_.bk;
  const int64_t depth = std::min<int64_t>(tiling_.bk, depth_[g] - k0);
  const int64_t rows = rows_in_tile(cta), cols = cols_in_tile(cta);
  const double e = dtype_bytes(dtype_);
  const uint64_t ke = uint64_t(k_ * e);
  out = TileStep{};
  // The multicast operand: each CTA of the pair reads half its rows from L2 and multicasts
  // them to both, so the L2 port carries the tile once.
  const int pair = cta_pair_[cta];
  auto half = [pair](int64_t first, int64_t count, int64_t& out_first, int64_t& out_count) {
    out_first = first, out_count = count;
    if (pair < 0) return;
    const int64_t h = (count + 1) / 2;
    out_first = first + pair * h;
    out_count = pair == 0 ? h : count - h;
  };
  int64_t a_row = row, a_rows = rows, b_col = col, b_rows = cols;
  if (cta_multicast_a_[cta])
    half(row, rows, a_row, a_rows);
  else
    half(col, cols, b_col, b_rows);
  out.add_load(kA, uint64_t((a_row * k_ + k0) * e), uint32_t(a_rows), depth * e, ke);
  out.add_load(kB, uint64_t(((g * n_ + b_col) * k_ + k0) * e), uint32_t(b_rows), depth * e, ke);
  if (dtype_ == DType::fp8) {
    // 1x128 activation scales, stored M-major per K block; one 128x128 scale per B block.
    const int64_t kb = k0 / kScaleBlock;
    const int64_t total_rows = group_row0_.back() + rows_.back();
    out.add_load(kScaleA, uint64_t((kb * total_rows + row) * kScaleBytes), 1, rows * kScaleBytes, 0);
    const int64_t kbs = ceil_div(k_, kScaleBlock);
    if (row_scaled_b_)  // one scale per row of B per K block, stored like A's
      out.add_load(kScaleB, uint64_t((kb * n_ * int64_t(rows_.size()) + g * n_ + col) * kScaleBytes), 1,
                   cols * kScaleBytes, 0);
    else
      out.add_load(kScaleB, uint64_t(((g * ceil_div(n_, kScaleBlock) + col / kScaleBlock) * kbs + kb) * kScaleBytes),
                   uint32_t(ceil_div(cols, kScaleBlock)), kScaleBytes, uint64_t(kbs * kScaleBytes));
  }
  // Tensor cores run the whole tile, padding included.
  out.mma_flops = 2.0 * tiling_.bm * tiling_.bn * depth;
  // FP8: the FP32 accumulator is promoted with its scales once per 128-deep block. Both math
  // warp groups wait on the same stage barrier, so they promote in step and the tensor cores
  // idle meanwhile: the promotion adds to the step instead of hiding behind the MMA.
  // With B scaled per row too, each element's scale is sa[m] * sb[n]: a multiply before the FMA.
  if (dtype_ == DType::fp8) out.serial_vector_flops = (row_scaled_b_ ? 4.0 : 2.0) * tiling_.bm * tiling_.bn;
}

TileLoad GemmKernel::output(int64_t cta) const {
  const int64_t g = cta_group_[cta];
  const int64_t row = group_row0_[g] + int64_t(cta_mb_[cta]) * tiling_.bm;
  const int64_t col = int64_t(cta_nb_[cta]) * tiling_.bn;
  const double out_e = out_bytes_;
  TileLoad t;
  t.tensor = kC;
  t.offset = uint64_t((row * n_ + col) * out_e);
  t.rows = uint32_t(rows_in_tile(cta));
  t.row_bytes = cols_in_tile(cta) * out_e;
  t.stride = uint64_t(n_ * out_e);
  return t;
}

TileLoad GemmKernel::epilogue_input(int64_t cta) const {
  if (!accumulate_) return TileLoad{0, 0, 0, 0, 0};
  return output(cta);  // C is read where it is stored
}

double GemmKernel::total_flops() const {
  double f = 0;
  for (size_t g = 0; g < rows_.size(); ++g) f += 2.0 * rows_[g] * n_ * depth_[g];
  return f;
}

double GemmKernel::unique_bytes() const {
  double e = dtype_bytes(dtype_), b = 0;
  for (size_t g = 0; g < rows_.size(); ++g)
    if (rows_[g] > 0 && depth_[g] > 0)
      b += (double(rows_[g]) * depth_[g] + double(depth_[g]) * n_) * e +
           double(rows_[g]) * n_ * out_bytes_ * (accumulate_ ? 2 : 1);
  return b;
}

}  // namespace strata::models
