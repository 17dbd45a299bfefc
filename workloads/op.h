// One unit of work in a workload: a kernel on one device, or a collective among several.
// FLOPs and bytes are properties of the op (shapes x formats); models turn them into time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/dtype.h"

namespace strata::workloads {

enum class OpKind {
  gemm,              ///< C[m,n] = A[m,k] B[k,n]
  batched_gemm,      ///< `batch` independent gemms of one shape (MLA absorb per head)
  grouped_gemm,      ///< one gemm per expert, rows per group in `group_rows`
  attention_decode,  ///< one query token per request over its KV cache
  norm,              ///< RMSNorm (with residual add)
  elementwise,       ///< activations, rotary, top-k, reductions, sampling
  collective,        ///< communication among `Collective::ranks`
};

/// Coarse classes for the time split in reports.
enum class OpClass { dense_gemm, moe_gemm, attention, communication, elementwise };
constexpr int kOpClassCount = 5;

enum class Stream { compute = 0, comm = 1 };
constexpr int kStreamCount = 2;

enum class CollectiveKind {
  all_to_all,      ///< explicit flows (expert dispatch/combine, uneven sizes allowed)
  send_recv,       ///< explicit flows (pipeline stages)
  all_reduce,      ///< `bytes` on every rank, summed across ranks
  reduce_scatter,  ///< `bytes` on every rank in, bytes / ranks out
  all_gather,      ///< bytes / ranks in, `bytes` on every rank out
  broadcast,       ///< `bytes` from `root` to every rank
};

const char* op_kind_name(OpKind k);
const char* op_class_name(OpClass c);
const char* stream_name(Stream s);
const char* collective_kind_name(CollectiveKind k);

struct Op {
  std::string name;  ///< "L3.attn.q_a_proj"
  OpKind kind = OpKind::elementwise;
  OpClass op_class = OpClass::elementwise;
  int device = -1;  ///< rank of a kernel; -1 for a collective
  Stream stream = Stream::compute;
  hw::DType dtype = hw::DType::bf16;  ///< arithmetic format
  int layer = -1;
  // Shape of gemm-like ops (grouped: m = all rows, batch = groups).
  int64_t m = 0, n = 0, k = 0, batch = 1;
  std::vector<int64_t> group_rows;  ///< grouped_gemm: rows per group
  // Attention ops: cached tokens per request, KV groups (KV heads; 1 for MLA's shared latent),
  // query rows per group (heads per KV head x new tokens) and the cache format.
  int64_t kv_len = 0;
  int32_t kv_groups = 0, query_rows = 0;
  hw::DType kv_dtype = hw::DType::bf16;
  double kv_bytes_per_token = 0;  ///< per group
  double flops = 0;          ///< arithmetic operations
  double bytes = 0;          ///< off-chip memory traffic (reads + writes)
  double bytes_written = 0;  ///< the part of `bytes` that is written
  int collective = -1;  ///< index into OpGraph::collectives() for collectives
};

/// Bytes moved from one rank to another inside a collective.
struct Flow {
  int src = 0;
  int dst = 0;
  double bytes = 0;
};

struct Collective {
  CollectiveKind kind = CollectiveKind::all_to_all;
  std::vector<int> ranks;   ///< participants, in ring order where the algorithm has one
  std::vector<Flow> flows;  ///< all_to_all, send_recv: src != dst; local copies are not listed
  double bytes = 0;         ///< all_reduce, reduce_scatter, all_gather, broadcast: full buffer size
  int root = -1;            ///< broadcast: the rank that holds the data
};

}  // namespace strata::workloads
