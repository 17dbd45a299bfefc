// Dense, batched and grouped GEMM as DeepGEMM/CUTLASS-style persistent tiled kernels: each CTA
// owns a BM x BN output tile of one group, walks K in BK steps through a multi-stage TMA
// pipeline, and stores the tile in BF16. FP8 operands carry 1x128 (activation) and 128x128
// (weight) FP32 block scales, applied by FP32 promotion on the CUDA cores every BK, in series
// with the tensor cores.
#pragma once

#include <string>
#include <vector>

#include "hw/chip.h"
#include "models/kernels/tiled_kernel.h"

namespace strata::models {

struct GemmTiling {
  int bm = 128, bn = 128, bk = 128;
  int stages = 2;
  int64_t tiles = 0;
  int64_t waves = 0;
  bool multicast = true;  ///< CTA pairs share an operand tile
};

/// DeepGEMM's rule over the library's tile shapes: fewest waves over `sms`, then the fullest last
/// wave, then larger BM and smaller BN; candidates limited by shared memory (at least 2 pipeline
/// stages). `out_bytes`: bytes of one output element, staged in shared memory by the epilogue.
GemmTiling choose_gemm_tiling(const std::vector<int64_t>& group_rows, int64_t n, int64_t k,
                              hw::DType d, int sms, double smem_bytes, double out_bytes = 2,
                              const hw::GemmLibrarySpec& library = hw::GemmLibrarySpec{});

class GemmKernel : public TiledKernel {
 public:
  /// One GEMM per group: group g computes C_g[rows[g], n] = A_g[rows[g], k] B_g[k, n]; every
  /// group has its own A and B (dense = one group; MLA absorb = one per head; MoE = per expert).
  /// `out_bytes`: bytes of one output element (BF16 activations: 2; FP32 weight gradients: 4).
  /// `accumulate`: C += A B, each tile's epilogue reads its C block before storing it
  /// (weight gradients accumulating into the FP32 gradient buffer). `row_scaled_b`: FP8 B scaled
  /// per row and 128-deep block like A (both operands quantised along the reduction, as a
  /// weight gradient's are), so the promotion multiplies by an outer product of scales.
  GemmKernel(std::vector<int64_t> group_rows, int64_t n, int64_t k, hw::DType d,
             const GemmTiling& t, double out_bytes = 2, bool accumulate = false, bool row_scaled_b = false);
  /// Groups of different depth: group g reduces over depth[g] (MoE weight gradients, where the
  /// reduction runs over each expert's tokens).
  GemmKernel(std::vector<int64_t> group_rows, std::vector<int64_t> group_depth, int64_t n, hw::DType d,
             const GemmTiling& t, double out_bytes = 2, bool accumulate = false, bool row_scaled_b = false);

  std::string describe() const override;
  int64_t ctas() const override { return static_cast<int64_t>(cta_group_.size()); }
  int steps(int64_t cta) const override;
  void step(int64_t cta, int k, TileStep& out) const override;
  TileLoad output(int64_t cta) const override;
  TileLoad epilogue_input(int64_t cta) const override;
  int stages() const override { return tiling_.stages; }
  hw::DType mma_dtype() const override { return dtype_; }
  double total_flops() const override;
  double unique_bytes() const override;
  const GemmTiling& tiling() const { return tiling_; }

 private:
  int64_t rows_in_tile(int64_t cta) const;
  int64_t cols_in_tile(int64_t cta) const;

  std::vector<int64_t> rows_, depth_;
  int64_t n_, k_;  ///< k_: the largest depth
  hw::DType dtype_;
  GemmTiling tiling_;
  double out_bytes_;  ///< per output element
  bool accumulate_, row_scaled_b_;
  std::vector<int64_t> group_row0_;  ///< first row of each group in the contiguous A and C
  // Per CTA, in launch order: group, m block, n block, position in its multicast pair (-1: none).
  std::vector<int32_t> cta_group_, cta_mb_, cta_nb_;
  std::vector<int8_t> cta_pair_;
  std::vector<bool> cta_multicast_a_;  ///< the pair shares A (else B)
};

}  // namespace strata::models
