// Op constructors: each knows the arithmetic and the off-chip bytes of one kernel from its
// shape and formats, so every generator counts FLOPs and bytes the same way. Every
// constructor sets model_flops = flops except where the kernel recomputes (attention backward).
#pragma once

#include <string>
#include <vector>

#include "workloads/model_spec.h"
#include "workloads/op.h"

namespace strata::workloads {

/// Bytes of an m x k operand in `d`; FP8 operands carry one FP32 scale per 128 elements along k
/// (activations) or per 128 x 128 block (weights), as DeepSeek's FP8 recipe does.
double activation_bytes(int64_t m, int64_t k, hw::DType d);
double weight_bytes(int64_t k, int64_t n, hw::DType d);

/// C[m,n] = A[m,k] B[k,n]; A and B in `d`, C in BF16 (FP32 accumulate).
Op gemm(std::string name, int device, int64_t m, int64_t n, int64_t k, hw::DType d);
/// `batch` independent m x n x k gemms, weights distinct per batch entry.
Op batched_gemm(std::string name, int device, int64_t batch, int64_t m, int64_t n, int64_t k,
                hw::DType d);
/// One gemm per group with `rows[g]` rows and shared n x k shape; groups with no rows read no
/// weights.
Op grouped_gemm(std::string name, int device, const std::vector<int64_t>& rows, int64_t n,
                int64_t k, hw::DType d);
/// Weight gradients of a grouped gemm: per group dW[k,n] += A[rows,k]^T dC[rows,n], reduced
/// over the group's rows and accumulated into the gradient buffer in `grad` (read and written).
Op grouped_gemm_wgrad(std::string name, int device, const std::vector<int64_t>& rows, int64_t n,
                      int64_t k, hw::DType d, hw::DType grad = hw::DType::fp32);
/// Weight gradient of an m x n x k gemm: dW[k,n] += A[m,k]^T dC[m,n] (shape k x n x m), accumulated
/// into the gradient buffer in `grad`.
Op gemm_wgrad_op(std::string name, int device, int64_t m, int64_t n, int64_t k, hw::DType d, hw::DType grad);
/// The same for each of `batch` gemms with distinct weights.
Op batched_gemm_wgrad(std::string name, int device, int64_t batch, int64_t m, int64_t n, int64_t k, hw::DType d,
                      hw::DType grad);
/// Format of a weight-gradient op's accumulation buffer (from the bytes it writes per element).
hw::DType wgrad_dtype(const Op& wgrad);
/// Groups of a grouped gemm that have rows.
int64_t nonempty_groups(const Op& op);


/// Decode attention over a paged KV cache of `kv_bytes_per_token` per layer. MLA runs in the
/// absorbed form (every head attends over the shared 512 + 64 latent); GQA reads each KV head
/// once for its group of query heads.
Op attention_decode(std::string name, int device, const AttentionSpec& a, const AttentionWork& w,
                    double kv_bytes_per_token);
/// Causal FlashAttention-style prefill/training attention in BF16; MLA in its naive form (keys
/// and values up-projected per head: 192-wide q.k, 128-wide v).
Op attention_prefill(std::string name, int device, const AttentionSpec& a, const AttentionWork& w);
/// Backward of an attention_prefill op: dQ, dK, dV. The kernel recomputes the scores (2.5x the
/// forward arithmetic; the model needs 2x), reads Q, K, V, O, dO and writes dQ, dK, dV.
Op attention_backward(const Op& forward);

/// RMSNorm of `rows` x `width` BF16 activations, with the residual add.
Op norm(std::string name, int device, int64_t rows, int64_t width);
/// An elementwise pass reading `read` and writing `write` bytes with `flops` arithmetic.
Op elementwise(std::string name, int device, double read, double write, double flops);
/// AdamW on `params` parameters: reads master weights, two moments and gradients, writes the
/// first three and the working (BF16) weights.
Op optimizer_step(std::string name, int device, double params, hw::DType master,
                  hw::DType states, hw::DType grads);

/// The op that stands for collective `c` in a graph; its bytes are the sum of the flows (or
/// the buffer size for collectives given by size).
Op collective_op(std::string name, int layer, hw::DType payload, const Collective& c);

/// Bytes one layer's KV cache takes per token in `d` (MLA FP8: FlashMLA's 656-byte format).
double kv_bytes_per_token_per_layer(const ModelSpec& m, hw::DType d);

}  // namespace strata::workloads
