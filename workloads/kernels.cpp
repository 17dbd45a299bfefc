#include "workloads/kernels.h"

#include <cmath>

namespace strata::workloads {
using hw::DType;
using hw::dtype_bytes;

namespace {
constexpr double kScaleBytes = 4.0;  // FP32 scale
constexpr int64_t kScaleBlock = 128;

int64_t blocks(int64_t x) { return (x + kScaleBlock - 1) / kScaleBlock; }

Op base(std::string name, int device, OpKind kind, OpClass cls, DType d) {
  Op op;
  op.name = std::move(name);
  op.device = device;
  op.kind = kind;
  op.op_class = cls;
  op.dtype = d;
  return op;
}
}  // namespace

double activation_bytes(int64_t m, int64_t k, DType d) {
  double b = double(m) * k * dtype_bytes(d);
  if (d == DType::fp8) b += double(m) * blocks(k) * kScaleBytes;
  return b;
}

double weight_bytes(int64_t k, int64_t n, DType d) {
  double b = double(k) * n * dtype_bytes(d);
  if (d == DType::fp8) b += double(blocks(k)) * blocks(n) * kScaleBytes;
  return b;
}

Op gemm(std::string name, int device, int64_t m, int64_t n, int64_t k, DType d) {
  Op op = base(std::move(name), device, OpKind::gemm, OpClass::dense_gemm, d);
  op.m = m, op.n = n, op.k = k;
  op.flops = 2.0 * m * n * k;
  op.bytes_written = double(m) * n * dtype_bytes(DType::bf16);
  op.bytes = activation_bytes(m, k, d) + weight_bytes(k, n, d) + op.bytes_written;
  return op;
}

Op batched_gemm(std::string name, int device, int64_t batch, int64_t m, int64_t n, int64_t k,
                DType d) {
  Op op = gemm(std::move(name), device, m, n, k, d);
  op.kind = OpKind::batched_gemm;
  op.batch = batch;
  op.flops *= batch;
  op.bytes *= batch;
  op.bytes_written *= batch;
  return op;
}

Op grouped_gemm(std::string name, int device, const std::vector<int64_t>& rows, int64_t n,
                int64_t k, DType d) {
  Op op = base(std::move(name), device, OpKind::grouped_gemm, OpClass::moe_gemm, d);
  op.group_rows = rows;
  op.n = n, op.k = k;
  op.batch = static_cast<int64_t>(rows.size());
  for (int64_t r : rows) {
    op.m += r;
    if (r == 0) continue;
    op.flops += 2.0 * r * n * k;
    op.bytes_written += double(r) * n * dtype_bytes(DType::bf16);
    op.bytes += activation_bytes(r, k, d) + weight_bytes(k, n, d) + double(r) * n * dtype_bytes(DType::bf16);
  }
  return op;
}

double kv_bytes_per_token_per_layer(const ModelSpec& m, DType d) {
  const AttentionSpec& a = m.attention;
  if (a.kind == AttentionKind::mla && d == DType::fp8)
    // FlashMLA FP8 format: latent in FP8 with one FP32 scale per 128, rotary part kept in BF16.
    return a.kv_lora_rank + blocks(a.kv_lora_rank) * kScaleBytes +
           a.qk_rope_head_dim * dtype_bytes(DType::bf16);
  return m.kv_elements_per_token_per_layer() * dtype_bytes(d);
}

Op attention_decode(std::string name, int device, const ModelSpec& m, int64_t requests,
                    int64_t kv_len, DType kv_dtype, int query_tokens) {
  Op op = base(std::move(name), device, OpKind::attention_decode, OpClass::attention, DType::bf16);
  const AttentionSpec& a = m.attention;
  const double bf16 = dtype_bytes(DType::bf16);
  const double rows = double(requests) * a.heads * query_tokens;  // query rows over all heads
  op.kv_len = kv_len;
  op.kv_dtype = kv_dtype;
  if (a.kind == AttentionKind::mla) {
    // Absorbed form: every head attends over the shared latent (+ rotary) cache.
    const double qk = a.kv_lora_rank + a.qk_rope_head_dim;
    op.flops = 2.0 * rows * kv_len * (qk + a.kv_lora_rank);
    op.bytes_written = rows * a.kv_lora_rank * bf16;
    op.bytes = double(requests) * kv_len * kv_bytes_per_token_per_layer(m, kv_dtype) + rows * qk * bf16 +
               op.bytes_written;
    op.m = requests, op.n = a.kv_lora_rank, op.k = static_cast<int64_t>(qk);
    op.kv_groups = 1;
    op.query_rows = a.heads * query_tokens;
    op.kv_bytes_per_token = kv_bytes_per_token_per_layer(m, kv_dtype);
  } else {
    op.flops = 4.0 * rows * kv_len * a.head_dim;
    op.bytes_written = rows * a.head_dim * bf16;
    op.bytes = double(requests) * kv_len * kv_bytes_per_token_per_layer(m, kv_dtype) + 2.0 * op.bytes_written;
    op.m = requests, op.n = a.head_dim, op.k = a.head_dim;
    op.kv_groups = a.kv_heads;
    op.query_rows = a.heads / a.kv_heads * query_tokens;
    op.kv_bytes_per_token = kv_bytes_per_token_per_layer(m, kv_dtype) / a.kv_heads;
  }
  op.batch = a.heads;
  return op;
}

Op norm(std::string name, int device, int64_t rows, int64_t width) {
  double act = double(rows) * width * dtype_bytes(DType::bf16);
  // Reads the input and the residual, writes the sum and the normalised output.
  Op op = elementwise(std::move(name), device, 2 * act + width * dtype_bytes(DType::bf16), 2 * act,
                      5.0 * rows * width);
  op.kind = OpKind::norm;
  return op;
}

Op collective_op(std::string name, int layer, DType payload, const Collective& c) {
  Op op = base(std::move(name), -1, OpKind::collective, OpClass::communication, payload);
  op.layer = layer;
  for (const Flow& f : c.flows) op.bytes += f.bytes;
  if (c.flows.empty()) op.bytes = c.bytes;
  return op;
}

Op elementwise(std::string name, int device, double read, double write, double flops) {
  Op op = base(std::move(name), device, OpKind::elementwise, OpClass::elementwise, DType::fp32);
  op.bytes = read + write;
  op.bytes_written = write;
  op.flops = flops;
  return op;
}

}  // namespace strata::workloads
