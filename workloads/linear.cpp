#include "workloads/linear.h"

#include "workloads/kernels.h"

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {

constexpr double kScaleBytes = 4.0;  // FP32 scale per 128 elements
constexpr int64_t kScaleBlock = 128;
constexpr double kQuantFlops = 4.0;  // per element: |x|, block max, scale, convert

double scale_bytes(int64_t rows, int64_t cols) {
  return double(rows) * double((cols + kScaleBlock - 1) / kScaleBlock) * kScaleBytes;
}

/// A kernel of the linear's own, tagged like the GEMM it serves.
Op like(Op op, const Op& gemm, Pass pass) {
  op.layer = gemm.layer;
  op.phase = gemm.phase;
  op.pass = pass;
  return op;
}

/// DeepGEMM reads the activation scales M-major and TMA-aligned: a small transpose kernel.
Op scale_layout(const std::string& name, int64_t rows, int64_t cols) {
  const double b = scale_bytes(rows, cols);
  return elementwise(name, -1, b, b, 0);
}

/// Fused cast and transpose: rows x cols in (BF16, or FP8 with 1x128 scales, dequantised on the
/// fly), cols x rows FP8 out with 128x1 scales along the rows (the weight gradient's reduction).
Op quantise_transposed(std::string name, int64_t rows, int64_t cols, bool from_fp8) {
  const double n = double(rows) * cols;
  const double in = from_fp8 ? activation_bytes(rows, cols, DType::fp8) : n * dtype_bytes(DType::bf16);
  return elementwise(std::move(name), -1, in, n + scale_bytes(cols, rows), (kQuantFlops + (from_fp8 ? 1 : 0)) * n);
}

/// An FP8 weight transposed for the input gradient (128x128 block scales transpose with it).
Op weight_transpose(std::string name, const Op& f) {
  const double w = f.kind == OpKind::grouped_gemm || f.kind == OpKind::batched_gemm
                       ? weight_bytes(f.k, f.n, f.dtype) * (f.kind == OpKind::grouped_gemm ? nonempty_groups(f) : f.batch)
                       : weight_bytes(f.k, f.n, f.dtype);
  return elementwise(std::move(name), -1, w, w, 0);
}

Op from_gemm(Op op, const Op& f, Pass pass) {
  op.op_class = f.op_class;
  op.layer = f.layer;
  op.phase = f.phase;
  op.pass = pass;
  return op;
}

}  // namespace

bool is_gemm(const Op& op) {
  return op.kind == OpKind::gemm || op.kind == OpKind::batched_gemm || op.kind == OpKind::grouped_gemm;
}

Op quantise(std::string name, int64_t rows, int64_t cols) {
  const double n = double(rows) * cols;
  return elementwise(std::move(name), -1, n * dtype_bytes(DType::bf16), activation_bytes(rows, cols, DType::fp8),
                     kQuantFlops * n);
}

Op dequantise(std::string name, int64_t rows, int64_t cols) {
  const double n = double(rows) * cols;
  return elementwise(std::move(name), -1, activation_bytes(rows, cols, DType::fp8), n * dtype_bytes(DType::bf16),
                     2.0 * n);
}

std::vector<Op> forward_kernels(const BlockOp& b, const LinearRecipe& r) {
  const Op& f = b.op;
  if (!is_gemm(f) || f.dtype != DType::fp8 || b.quantised_input) return {f};
  const int64_t rows = f.kind == OpKind::batched_gemm ? f.m * f.batch : f.m;
  std::vector<Op> out{like(quantise(f.name + ".quant", rows, f.k), f, f.pass)};
  if (r.scale_layout_kernel) out.push_back(like(scale_layout(f.name + ".scale_transpose", rows, f.k), f, f.pass));
  out.push_back(f);
  return out;
}

BackwardKernels gemm_backward(const BlockOp& b, const LinearRecipe& r) {
  const DType grad = r.grad;
  const Op& f = b.op;
  BackwardKernels out;
  const Pass bwd = Pass::backward_input;
  // Rows of the activation (all groups, or every batch entry).
  const int64_t rows = f.kind == OpKind::batched_gemm ? f.m * f.batch : f.m;
  Op dgrad = from_gemm(f.kind == OpKind::grouped_gemm
                           ? grouped_gemm(f.name + ".dgrad", f.device, f.group_rows, f.k, f.n, f.dtype)
                           : f.kind == OpKind::batched_gemm
                                 ? batched_gemm(f.name + ".dgrad", f.device, f.batch, f.m, f.k, f.n, f.dtype)
                                 : gemm(f.name + ".dgrad", f.device, f.m, f.k, f.n, f.dtype),
                       f, bwd);
  Op wgrad = from_gemm(f.kind == OpKind::grouped_gemm
                           ? grouped_gemm_wgrad(f.name + ".wgrad", f.device, f.group_rows, f.n, f.k, f.dtype, grad)
                           : f.kind == OpKind::batched_gemm
                                 ? batched_gemm_wgrad(f.name + ".wgrad", f.device, f.batch, f.m, f.n, f.k, f.dtype, grad)
                                 : gemm_wgrad_op(f.name + ".wgrad", f.device, f.m, f.n, f.k, f.dtype, grad),
                       f, Pass::backward_weight);
  if (f.dtype == DType::fp8) {
    // Input gradient: dY quantised per token (unless it arrived so), the weight transposed.
    if (!b.quantised_grad) {
      out.input.push_back(like(quantise(f.name + ".dgrad.quant", rows, f.n), f, bwd));
      if (r.scale_layout_kernel) out.input.push_back(like(scale_layout(f.name + ".dgrad.scale_transpose", rows, f.n), f, bwd));
    }
    out.input.push_back(like(weight_transpose(f.name + ".dgrad.weight_transpose", f), f, bwd));
    out.input.push_back(dgrad);
    // Weight gradient's operands, quantised along the tokens just before it (what is held in FP8
    // per token, a kept input or a dispatched gradient, is dequantised in the same kernel).
    const Pass w = Pass::backward_weight;
    out.weight.push_back(like(quantise_transposed(f.name + ".wgrad.quant_x", rows, f.k, b.fp8_cache), f, w));
    out.weight.push_back(like(quantise_transposed(f.name + ".wgrad.quant_dy", rows, f.n, b.quantised_grad), f, w));
  } else {
    out.input.push_back(dgrad);
  }
  out.weight.push_back(wgrad);
  return out;
}

}  // namespace strata::workloads
