// Op constructors: each knows the arithmetic and the off-chip bytes of one kernel from its
// shape and formats, so every generator counts FLOPs and bytes the same way.
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
/// `query_tokens` new tokens per request (1, or 2 with one MTP draft) attending over `kv_len`
/// cached tokens, for `requests` requests.
Op attention_decode(std::string name, int device, const ModelSpec& m, int64_t requests,
                    int64_t kv_len, hw::DType kv_dtype, int query_tokens = 1);
/// RMSNorm of `rows` x `width` BF16 activations, with the residual add.
Op norm(std::string name, int device, int64_t rows, int64_t width);
/// An elementwise pass reading `read` and writing `write` bytes with `flops` arithmetic.
Op elementwise(std::string name, int device, double read, double write, double flops);

/// The op that stands for collective `c` in a graph; its bytes are the sum of the flows (or
/// the buffer size for collectives given by size).
Op collective_op(std::string name, int layer, hw::DType payload, const Collective& c);

/// Bytes one layer's KV cache takes per token in `d` (MLA FP8: FlashMLA's 656-byte format).
double kv_bytes_per_token_per_layer(const ModelSpec& m, hw::DType d);

}  // namespace strata::workloads
