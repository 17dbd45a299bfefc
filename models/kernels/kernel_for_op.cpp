#include "models/kernels/kernel_for_op.h"

#include <algorithm>
#include <stdexcept>

#include "models/kernels/decode_attention_kernel.h"
#include "models/kernels/flash_attention_kernel.h"
#include "models/kernels/gemm_kernel.h"
#include "models/kernels/stream_kernel.h"

namespace strata::models {
using workloads::OpKind;

namespace {

/// Bytes per output element: what the op says it writes over the elements it produces (BF16
/// activations, FP32 weight gradients), so the kernel stores no less than its roofline counts.
double out_bytes(const workloads::Op& op, const std::vector<int64_t>& rows, const std::vector<int64_t>& depth) {
  double elements = 0;
  for (size_t g = 0; g < rows.size(); ++g)
    if (depth[g] > 0) elements += double(rows[g]) * double(op.n);
  return op.bytes_written > 0 && elements > 0 ? op.bytes_written / elements : hw::dtype_bytes(hw::DType::bf16);
}

/// A weight gradient's FP8 operands are both quantised along the reduction (the tokens): B is
/// scaled per row, like A.
bool wgrad_operands(const workloads::Op& op) { return op.pass == workloads::Pass::backward_weight; }

std::unique_ptr<TiledKernel> gemm(const std::vector<int64_t>& rows, const workloads::Op& op,
                                  const hw::ChipSpec& chip, int sms) {
  const double ob = out_bytes(op, rows, std::vector<int64_t>(rows.size(), op.k));
  GemmTiling t = choose_gemm_tiling(rows, op.n, op.k, op.dtype, sms, chip.smem_per_sm_bytes, ob, chip.gemm);
  return std::make_unique<GemmKernel>(rows, op.n, op.k, op.dtype, t, ob, op.accumulate, wgrad_operands(op));
}

/// A grouped weight gradient: per expert dW[k, n] += A^T dC, reducing over the expert's rows.
std::unique_ptr<TiledKernel> grouped_wgrad(const workloads::Op& op, const hw::ChipSpec& chip, int sms) {
  std::vector<int64_t> rows(op.group_rows.size(), op.k);
  int64_t deepest = op.group_rows.empty() ? 0 : *std::max_element(op.group_rows.begin(), op.group_rows.end());
  const double ob = out_bytes(op, rows, op.group_rows);
  GemmTiling t = choose_gemm_tiling(rows, op.n, deepest, op.dtype, sms, chip.smem_per_sm_bytes, ob, chip.gemm);
  return std::make_unique<GemmKernel>(rows, op.group_rows, op.n, op.dtype, t, ob, op.accumulate, wgrad_operands(op));
}

std::unique_ptr<TiledKernel> decode_attention(const workloads::Op& op, int sms) {
  const workloads::AttentionWork& w = op.attention;
  DecodeAttentionShape s;
  s.requests = w.requests;
  s.kv_len = w.requests > 0 ? static_cast<int64_t>(w.context / w.requests + 0.5) : 0;
  s.kv_groups = w.kv_heads > 0 ? w.kv_heads : 1;  // MLA: one shared latent
  s.query_rows = static_cast<int>(w.requests > 0 ? w.queries / w.requests * w.heads / s.kv_groups : 0);
  s.qk_dim = static_cast<int>(op.k);
  s.v_dim = static_cast<int>(op.n);
  s.kv_bytes_per_token = op.kv_bytes_per_token / s.kv_groups;
  s.kv_dtype = op.kv_dtype;
  return std::make_unique<DecodeAttentionKernel>(s, sms);
}

std::unique_ptr<TiledKernel> flash_attention(const workloads::Op& op, bool backward) {
  const workloads::AttentionWork& w = op.attention;
  FlashAttentionShape s;
  s.sequences = w.requests;
  s.queries = w.requests > 0 ? w.queries / w.requests : 0;
  s.context = w.requests > 0 ? static_cast<int64_t>(w.context / w.requests + 0.5) : 0;
  s.heads = w.heads;
  s.kv_heads = w.kv_heads > 0 ? w.kv_heads : w.heads;  // MLA naive form: per-head keys and values
  s.qk_dim = static_cast<int>(op.k);
  s.v_dim = static_cast<int>(op.n);
  s.backward = backward;
  return std::make_unique<FlashAttentionKernel>(s);
}

}  // namespace

bool is_kernel(const workloads::Op& op) {
  if (op.device < 0 || op.op_class == workloads::OpClass::host) return false;
  switch (op.kind) {
    case OpKind::gemm:
    case OpKind::batched_gemm:
    case OpKind::grouped_gemm:
    case OpKind::norm:
    case OpKind::elementwise:
      return op.flops > 0 || op.bytes > 0;
    case OpKind::attention_decode:
    case OpKind::attention_prefill:
    case OpKind::attention_backward:
      return op.attention.requests > 0;
    case OpKind::kernel:
    case OpKind::collective:
      break;
  }
  return false;
}

std::unique_ptr<TiledKernel> kernel_for_op(const workloads::Op& op, const hw::ChipSpec& chip, int sms) {
  if (!is_kernel(op))
    throw std::invalid_argument("op '" + op.name + "' (" + workloads::op_kind_name(op.kind) +
                                ") is not a kernel the library can tile");
  switch (op.kind) {
    case OpKind::gemm:
      return gemm({op.m}, op, chip, sms);
    case OpKind::batched_gemm:
      return gemm(std::vector<int64_t>(size_t(op.batch), op.m), op, chip, sms);
    case OpKind::grouped_gemm:
      return op.pass == workloads::Pass::backward_weight ? grouped_wgrad(op, chip, sms)
                                                         : gemm(op.group_rows, op, chip, sms);
    case OpKind::attention_decode:
      return decode_attention(op, sms);
    case OpKind::attention_prefill:
      return flash_attention(op, false);
    case OpKind::attention_backward:
      return flash_attention(op, true);
    default:
      return std::make_unique<StreamKernel>(op.bytes - op.bytes_written, op.bytes_written, op.flops, sms);
  }
}

}  // namespace strata::models
