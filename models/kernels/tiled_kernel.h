// A kernel as a tiled loop nest: a grid of CTAs (output tiles), each a sequence of steps that
// load operand tiles into shared memory and feed them to the tensor cores (or CUDA cores),
// followed by an epilogue that stores the output tile. The chip model (models/tensor_core)
// runs these on its SMs; the kernels themselves are plain descriptions, no SystemC.
#pragma once

#include <cstdint>
#include <string>

#include "hw/dtype.h"

namespace strata::models {

/// One operand tile read by a step: a 2-D block of `rows` rows of `row_bytes` contiguous bytes,
/// `stride` bytes apart, at `offset` in tensor `tensor`. Tensors are laid out at distinct
/// addresses, so the memory model sees real DRAM rows and channels; the L2 keys on
/// (tensor, offset), which is how it sees reuse between CTAs.
struct TileLoad {
  uint32_t tensor = 0;
  uint64_t offset = 0;
  uint32_t rows = 1;
  double row_bytes = 0;
  uint64_t stride = 0;

  double bytes() const { return rows * row_bytes; }
  uint64_t address() const;  ///< tensor_base(tensor) + offset
};

/// One main-loop iteration of a CTA.
struct TileStep {
  static constexpr int kMaxLoads = 4;
  TileLoad loads[kMaxLoads];
  int load_count = 0;
  double mma_flops = 0;     ///< tensor-core work
  double vector_flops = 0;  ///< CUDA-core FP32 work that overlaps the MMA (other warp groups' softmax)
  double sfu_ops = 0;       ///< special-function work that overlaps the MMA
  double serial_vector_flops = 0;  ///< CUDA-core FP32 work the MMA waits for (FP8 promotion)
  double serial_sfu_ops = 0;       ///< special-function work the MMA waits for (softmax exp)

  void add_load(uint32_t tensor, uint64_t offset, uint32_t rows, double row_bytes, uint64_t stride) {
    loads[load_count++] = TileLoad{tensor, offset, rows, row_bytes, stride};
  }
};

class TiledKernel {
 public:
  virtual ~TiledKernel() = default;
  virtual std::string describe() const = 0;
  /// CTAs in launch order (persistent kernels walk this order round-robin over SMs).
  virtual int64_t ctas() const = 0;
  virtual int steps(int64_t cta) const = 0;
  virtual void step(int64_t cta, int k, TileStep& out) const = 0;
  /// The block the epilogue writes back to memory for this CTA (rows == 0: nothing).
  virtual TileLoad output(int64_t cta) const = 0;
  /// A block the epilogue reads before it can store (C of C += A B); rows == 0: none.
  virtual TileLoad epilogue_input(int64_t /*cta*/) const { return TileLoad{0, 0, 0, 0, 0}; }
  /// Bytes of the output tile staged through shared memory before the store (register ->
  /// smem), which the math warps must do before their next tile.
  virtual double epilogue_smem_bytes(int64_t cta) const { return output(cta).bytes(); }
  /// Shared-memory pipeline depth: loads may run this many steps ahead of the math.
  virtual int stages() const = 0;
  /// Format of the tensor-core math (ignored when a kernel has no mma_flops).
  virtual hw::DType mma_dtype() const = 0;
  /// Arithmetic and off-chip bytes if every operand were read once (for the roofline check).
  virtual double total_flops() const = 0;
  virtual double unique_bytes() const = 0;
};

/// Where each tensor of a kernel lives: 1 TiB apart, so blocks of different tensors never
/// share a DRAM row and addresses never collide in the L2.
inline uint64_t tensor_base(uint32_t tensor) { return uint64_t(tensor) << 40; }

inline uint64_t TileLoad::address() const { return tensor_base(tensor) + offset; }

}  // namespace strata::models
