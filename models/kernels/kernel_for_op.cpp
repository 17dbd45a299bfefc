#include "models/kernels/kernel_for_op.h"

#include <stdexcept>

#include "models/kernels/decode_attention_kernel.h"
#include "models/kernels/gemm_kernel.h"
#include "models/kernels/stream_kernel.h"

namespace strata::models {
using workloads::OpKind;

namespace {
std::unique_ptr<TiledKernel> gemm(const std::vector<int64_t>& rows, const workloads::Op& op,
                                  const hw::ChipSpec& chip, int sms) {
  GemmTiling t = choose_gemm_tiling(rows, op.n, op.k, op.dtype, sms, chip.smem_per_sm_bytes);
  return std::make_unique<GemmKernel>(rows, op.n, op.k, op.dtype, t);
}
}  // namespace

std::unique_ptr<TiledKernel> kernel_for_op(const workloads::Op& op, const hw::ChipSpec& chip, int sms) {
  switch (op.kind) {
    case OpKind::gemm:
      return gemm({op.m}, op, chip, sms);
    case OpKind::batched_gemm:
      return gemm(std::vector<int64_t>(size_t(op.batch), op.m), op, chip, sms);
    case OpKind::grouped_gemm:
      return gemm(op.group_rows, op, chip, sms);
    case OpKind::attention_decode: {
      DecodeAttentionShape s;
      s.requests = op.m;
      s.kv_len = op.kv_len;
      s.kv_groups = op.kv_groups;
      s.query_rows = op.query_rows;
      s.qk_dim = static_cast<int>(op.k);
      s.v_dim = static_cast<int>(op.n);
      s.kv_bytes_per_token = op.kv_bytes_per_token;
      s.kv_dtype = op.kv_dtype;
      return std::make_unique<DecodeAttentionKernel>(s, sms);
    }
    case OpKind::norm:
    case OpKind::elementwise:
      return std::make_unique<StreamKernel>(op.bytes - op.bytes_written, op.bytes_written, op.flops, sms);
    case OpKind::collective:
      break;
  }
  throw std::invalid_argument("op '" + op.name + "' (" + workloads::op_kind_name(op.kind) +
                              ") is not a kernel");
}

}  // namespace strata::models
