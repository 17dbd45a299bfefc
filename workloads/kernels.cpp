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
  op.flops = op.model_flops = 2.0 * m * n * k;
  op.bytes_written = double(m) * n * dtype_bytes(DType::bf16);
  op.bytes = activation_bytes(m, k, d) + weight_bytes(k, n, d) + op.bytes_written;
  return op;
}

namespace {
/// `batch` copies of one gemm with distinct weights, as one batched kernel.
Op batched(Op op, int64_t batch) {
  op.kind = OpKind::batched_gemm;
  op.batch = batch;
  op.flops *= batch;
  op.model_flops = op.flops;
  op.bytes *= batch;
  op.bytes_written *= batch;
  return op;
}
}  // namespace

Op batched_gemm(std::string name, int device, int64_t batch, int64_t m, int64_t n, int64_t k,
                DType d) {
  return batched(gemm(std::move(name), device, m, n, k, d), batch);
}

namespace {
/// One gemm per group of `rows[g]` rows; `group_bytes(r)` is a non-empty group's traffic, of
/// which `group_written(r)` is written.
template <class Bytes, class Written>
Op grouped(std::string name, int device, const std::vector<int64_t>& rows, int64_t n, int64_t k, DType d,
           Bytes group_bytes, Written group_written) {
  Op op = base(std::move(name), device, OpKind::grouped_gemm, OpClass::moe_gemm, d);
  op.group_rows = rows;
  op.n = n, op.k = k;
  op.batch = static_cast<int64_t>(rows.size());
  for (int64_t r : rows) {
    op.m += r;
    if (r == 0) continue;
    op.flops += 2.0 * r * n * k;
    op.bytes += group_bytes(r);
    op.bytes_written += group_written(r);
  }
  op.model_flops = op.flops;
  return op;
}
}  // namespace

Op grouped_gemm(std::string name, int device, const std::vector<int64_t>& rows, int64_t n,
                int64_t k, DType d) {
  return grouped(
      std::move(name), device, rows, n, k, d,
      [&](int64_t r) { return activation_bytes(r, k, d) + weight_bytes(k, n, d) + double(r) * n * dtype_bytes(DType::bf16); },
      [&](int64_t r) { return double(r) * n * dtype_bytes(DType::bf16); });
}

Op grouped_gemm_wgrad(std::string name, int device, const std::vector<int64_t>& rows, int64_t n,
                      int64_t k, DType d, DType grad) {
  const double acc = double(k) * n * dtype_bytes(grad);
  Op op = grouped(
      std::move(name), device, rows, n, k, d,
      [&](int64_t r) { return activation_bytes(r, k, d) + activation_bytes(r, n, d) + 2 * acc; },
      [&](int64_t) { return acc; });
  op.accumulate = true;
  return op;
}

Op gemm_wgrad_op(std::string name, int device, int64_t m, int64_t n, int64_t k, DType d, DType grad) {
  Op op = gemm(std::move(name), device, k, n, m, d);
  const double acc = double(k) * n * dtype_bytes(grad);
  op.bytes_written = acc;
  op.bytes = activation_bytes(m, k, d) + activation_bytes(m, n, d) + 2 * acc;
  op.accumulate = true;
  return op;
}

Op batched_gemm_wgrad(std::string name, int device, int64_t batch, int64_t m, int64_t n, int64_t k, DType d,
                      DType grad) {
  return batched(gemm_wgrad_op(std::move(name), device, m, n, k, d, grad), batch);
}

int64_t nonempty_groups(const Op& op) {
  int64_t g = 0;
  for (int64_t r : op.group_rows) g += r > 0;
  return g;
}

DType wgrad_dtype(const Op& w) {
  // Output elements: k x n per non-empty group (grouped), else m x n per batch entry.
  const double elements = w.kind == OpKind::grouped_gemm ? double(nonempty_groups(w)) * double(w.k) * double(w.n)
                                                         : double(w.batch) * double(w.m) * double(w.n);
  return elements > 0 && w.bytes_written / elements < 4 ? DType::bf16 : DType::fp32;
}

double kv_bytes_per_token_per_layer(const ModelSpec& m, DType d) {
  const AttentionSpec& a = m.attention;
  if (a.kind == AttentionKind::mla && d == DType::fp8)
    // FlashMLA FP8 format: latent in FP8 with one FP32 scale per 128, rotary part kept in BF16.
    return a.kv_lora_rank + blocks(a.kv_lora_rank) * kScaleBytes +
           a.qk_rope_head_dim * dtype_bytes(DType::bf16);
  return m.kv_elements_per_token_per_layer() * dtype_bytes(d);
}

namespace {
/// Per-head widths: q.k product and value (MLA naive form: nope + rope, v_head_dim).
struct HeadDims {
  double qk, v;
};
HeadDims head_dims(const AttentionSpec& a) {
  if (a.kind == AttentionKind::mla) return {double(a.qk_nope_head_dim + a.qk_rope_head_dim), double(a.v_head_dim)};
  return {double(a.head_dim), double(a.head_dim)};
}
/// Q, K, V and O of a prefill attention in BF16.
struct AttentionTensors {
  double q, k, v, o;
};
AttentionTensors prefill_tensors(const AttentionSpec& a, const AttentionWork& w) {
  const double bf16 = dtype_bytes(DType::bf16);
  HeadDims d = head_dims(a);
  // MLA's per-head keys and values are materialised by kv_b_proj; GQA shares kv heads.
  double kv_heads = a.kind == AttentionKind::mla ? w.heads : w.kv_heads;
  return {double(w.queries) * w.heads * d.qk * bf16, w.context * kv_heads * d.qk * bf16,
          w.context * kv_heads * d.v * bf16, double(w.queries) * w.heads * d.v * bf16};
}
}  // namespace

Op attention_decode(std::string name, int device, const AttentionSpec& a, const AttentionWork& w,
                    double kv_bytes_per_token) {
  Op op = base(std::move(name), device, OpKind::attention_decode, OpClass::attention, DType::bf16);
  const double bf16 = dtype_bytes(DType::bf16);
  const double kv = w.context * kv_bytes_per_token;
  if (a.kind == AttentionKind::mla) {
    // Absorbed form: every head attends over the shared latent (+ rotary) cache.
    double qk = a.kv_lora_rank + a.qk_rope_head_dim;
    op.flops = 2.0 * w.heads * w.pairs * (qk + a.kv_lora_rank);
    op.bytes = kv + double(w.queries) * w.heads * (qk + a.kv_lora_rank) * bf16;
    op.m = w.queries, op.n = a.kv_lora_rank, op.k = static_cast<int64_t>(qk);
  } else {
    op.flops = 4.0 * w.heads * w.pairs * a.head_dim;
    op.bytes = kv + 2.0 * w.queries * w.heads * a.head_dim * bf16;
    op.m = w.queries, op.n = a.head_dim, op.k = a.head_dim;
  }
  op.model_flops = op.flops;
  op.batch = w.heads;
  op.attention = w;
  op.kv_bytes_per_token = kv_bytes_per_token;
  op.bytes_written = double(w.queries) * w.heads * op.n * bf16;
  // A cache stored in under two bytes per element is FP8 (FlashMLA's format for MLA).
  const double elements = a.kind == AttentionKind::mla ? a.kv_lora_rank + a.qk_rope_head_dim : 2.0 * a.kv_heads * a.head_dim;
  op.kv_dtype = kv_bytes_per_token < elements * 2 ? DType::fp8 : DType::bf16;
  return op;
}

Op attention_prefill(std::string name, int device, const AttentionSpec& a, const AttentionWork& w) {
  Op op = base(std::move(name), device, OpKind::attention_prefill, OpClass::attention, DType::bf16);
  HeadDims d = head_dims(a);
  AttentionTensors t = prefill_tensors(a, w);
  op.flops = op.model_flops = 2.0 * w.heads * w.pairs * (d.qk + d.v);
  op.bytes = t.q + t.k + t.v + t.o;
  op.bytes_written = t.o;
  op.attention = w;
  op.m = w.queries, op.n = static_cast<int64_t>(d.v), op.k = static_cast<int64_t>(d.qk);
  op.batch = w.heads;
  return op;
}

Op attention_backward(const Op& f) {
  Op op = f;
  op.name = f.name + ".bwd";
  op.kind = OpKind::attention_backward;
  op.pass = Pass::backward_input;
  // Forward: S = QK^T, O = PV (2 products). Backward: S again, dV = P^T dO, dP = dO V^T,
  // dQ = dS K, dK = dS^T Q (5 products); the model needs the last four.
  op.flops = 2.5 * f.flops;
  op.model_flops = 2.0 * f.flops;
  op.bytes = 2.0 * f.bytes;  // 2 (Q + K + V) read and written, O and dO read
  op.bytes_written = f.bytes - f.bytes_written;  // dQ, dK, dV
  return op;
}

Op norm(std::string name, int device, int64_t rows, int64_t width) {
  double act = double(rows) * width * dtype_bytes(DType::bf16);
  // Reads the input and the residual, writes the sum and the normalised output.
  Op op = elementwise(std::move(name), device, 2 * act + width * dtype_bytes(DType::bf16), 2 * act,
                      5.0 * rows * width);
  op.kind = OpKind::norm;
  op.m = rows, op.k = width;  // its weight has `width` elements (the weight gradient's size)
  return op;
}

Op collective_op(std::string name, int layer, DType payload, const Collective& c) {
  Op op = base(std::move(name), -1, OpKind::collective, OpClass::communication, payload);
  op.layer = layer;
  op.bytes = collective_bytes(c);
  return op;
}

Op elementwise(std::string name, int device, double read, double write, double flops) {
  Op op = base(std::move(name), device, OpKind::elementwise, OpClass::elementwise, DType::fp32);
  op.bytes = read + write;
  op.bytes_written = write;
  op.flops = op.model_flops = flops;
  return op;
}

Op optimizer_step(std::string name, int device, double params, DType master, DType states,
                  DType grads) {
  double per = dtype_bytes(master) + 2 * dtype_bytes(states);
  // AdamW: moments, bias correction, decoupled weight decay and the update, ~12 FP32 ops.
  Op op = elementwise(std::move(name), device, params * (per + dtype_bytes(grads)),
                      params * (per + dtype_bytes(DType::bf16)), 12.0 * params);
  op.pass = Pass::optimizer;
  return op;
}

}  // namespace strata::workloads
