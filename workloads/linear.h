// The kernels a framework launches around a linear layer (a GEMM with a weight), forward and
// backward, under its number formats. An FP8 GEMM needs quantised operands (DeepSeek-V3's
// recipe, TR §3.3; TransformerEngine's is the same shape): the input is quantised per token in
// 1x128 blocks before the GEMM and its scales are laid out for TMA; in backward the output
// gradient is quantised per token for the input gradient, the FP8 weight is transposed, and the
// weight gradient takes both operands quantised along the token dimension (128x1, a fused
// cast-and-transpose), dequantising first an input that was kept in FP8. Weight gradients
// accumulate into the FP32 gradient buffer (read and written). BF16 GEMMs launch only the GEMMs.
#pragma once

#include <vector>

#include "workloads/op.h"

namespace strata::workloads {

/// A forward op of a block, with what its backward needs to know about it.
struct BlockOp {
  BlockOp() = default;
  explicit BlockOp(Op o, bool re = false) : op(std::move(o)), recompute(re) {}

  Op op;
  bool recompute = false;        ///< re-run in backward under selective recomputation
  bool quantised_input = false;  ///< FP8 GEMM whose input arrives quantised (dispatched tokens,
                                 ///< a fused activation-and-cast, an input shared with another GEMM)
  bool fp8_cache = false;        ///< FP8 GEMM whose input is kept for backward in FP8, not rebuilt
  bool quantised_grad = false;   ///< FP8 GEMM whose output gradient arrives quantised (dispatched in FP8)
  bool no_backward = false;      ///< nothing to run in backward (a cast that only keeps a copy)
  std::vector<Op> backward;      ///< its backward kernels, when not its mirror (traffic reversed)
};

using BlockOps = std::vector<BlockOp>;

/// What a framework launches around its linears (from WorkloadSpec::framework and precision).
struct LinearRecipe {
  bool scale_layout_kernel = false;     ///< FP8 input scales laid out for TMA by a kernel of their own
  hw::DType grad = hw::DType::fp32;     ///< weight-gradient accumulation buffer
};

/// Whether an op is a (dense, batched or grouped) GEMM.
bool is_gemm(const Op& op);

/// Forward kernels of `b`: for an FP8 GEMM without a quantised input, the per-token cast (and the
/// scale layout, when a kernel of its own) before the GEMM; otherwise the op itself.
std::vector<Op> forward_kernels(const BlockOp& b, const LinearRecipe& r);

struct BackwardKernels {
  std::vector<Op> input;   ///< the input gradient
  std::vector<Op> weight;  ///< the weight gradient and its operands' preparation (deferred together
                           ///< by zero-bubble schedules)
};

/// Backward kernels of a GEMM `b`: see the file comment.
BackwardKernels gemm_backward(const BlockOp& b, const LinearRecipe& r);

/// Per-token (1x128) FP8 quantisation of a rows x cols BF16 activation.
Op quantise(std::string name, int64_t rows, int64_t cols);
/// FP8 -> BF16 of a rows x cols activation kept in FP8 with 1x128 scales.
Op dequantise(std::string name, int64_t rows, int64_t cols);

}  // namespace strata::workloads
