// Memory-streaming kernels (norms, activations, rotary, casts, top-k, reductions): the grid
// reads its input in 32 KB chunks through a few pipeline stages, does its arithmetic on the
// CUDA cores and writes its output.
#pragma once

#include "models/kernels/tiled_kernel.h"

namespace strata::models {

class StreamKernel : public TiledKernel {
 public:
  StreamKernel(double read_bytes, double write_bytes, double flops, int sms);

  std::string describe() const override;
  int64_t ctas() const override { return ctas_; }
  int steps(int64_t) const override { return steps_; }
  void step(int64_t cta, int k, TileStep& out) const override;
  TileLoad output(int64_t cta) const override;
  double epilogue_smem_bytes(int64_t) const override { return 0; }  // written from registers
  int stages() const override { return 4; }
  hw::DType mma_dtype() const override { return hw::DType::fp32; }
  double total_flops() const override { return flops_; }
  double unique_bytes() const override { return read_ + write_; }

  static constexpr double kChunkBytes = 32 * 1024;

 private:
  double read_, write_, flops_;
  int64_t ctas_;
  int steps_;
};

}  // namespace strata::models
