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
  all_to_all,      ///< explicit flows (uniform or variable sizes)
  send_recv,       ///< explicit flows (pipeline stages)
  all_reduce,      ///< `bytes` on every rank, summed across ranks
  reduce_scatter,  ///< `bytes` on every rank in, bytes / ranks out
  all_gather,      ///< bytes / ranks in, `bytes` on every rank out
  broadcast,       ///< `bytes` from `root` to every rank
  ep_dispatch,     ///< tokens to the ranks of their experts (`tokens`); flows give rank totals
  ep_combine,      ///< expert outputs back to each token's rank, summed there
};

/// How a collective is carried out; `automatic` lets the network model pick the fastest it
/// supports (NCCL's tuner does the same).
enum class CollectiveAlgorithm {
  automatic,
  ring,            ///< NCCL ring: reduce-scatter then all-gather around the ranks
  tree,            ///< NCCL double binary tree: reduce up, broadcast down, pipelined
  nvls,            ///< NVLink SHARP: the switch sums (multimem.ld_reduce) and multicasts
  direct,          ///< every flow straight to its destination
  node_forwarded,  ///< DeepEP normal: one network copy per token and node, to the GPU on the
                   ///< sender's rail, which forwards over NVLink (combine: the reverse, summed)
  per_expert,      ///< DeepEP low-latency: one message per token and expert, straight there
};

const char* op_kind_name(OpKind k);
const char* op_class_name(OpClass c);
const char* stream_name(Stream s);
const char* collective_kind_name(CollectiveKind k);
const char* collective_algorithm_name(CollectiveAlgorithm a);

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
  double flops = 0;  ///< arithmetic operations
  double bytes = 0;  ///< off-chip memory traffic (reads + writes)
  int collective = -1;  ///< index into OpGraph::collectives() for collectives
};

/// Bytes moved from one rank to another inside a collective.
struct Flow {
  int src = 0;
  int dst = 0;
  double bytes = 0;
};

/// The tokens of an expert-parallel dispatch or combine: where each token's experts live, so a
/// network can send one copy per node (DeepEP normal) or one per expert (low latency).
struct TokenRouting {
  double bytes_per_token = 0;  ///< one copy of one token (payload, scales, routing info)
  std::vector<int> source;     ///< per token: the rank that holds it
  std::vector<int> offsets;    ///< per token: start of its destinations; size tokens + 1
  std::vector<int> dests;      ///< distinct destination ranks of each token, ascending
  std::vector<int> experts;    ///< per destination: experts chosen on that rank (>= 1)

  int tokens() const { return static_cast<int>(source.size()); }
  /// Appends a token; `dest_ranks` distinct and ascending, `counts` experts per destination.
  void add(int src, const std::vector<int>& dest_ranks, const std::vector<int>& counts);
};

struct Collective {
  CollectiveKind kind = CollectiveKind::all_to_all;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::automatic;
  std::vector<int> ranks;   ///< participants, in ring order where the algorithm has one
  std::vector<Flow> flows;  ///< all_to_all, send_recv, ep_*: src != dst; local copies not listed
  double bytes = 0;         ///< all_reduce, reduce_scatter, all_gather, broadcast: full buffer size
  int root = -1;            ///< broadcast: the rank that holds the data
  TokenRouting tokens;      ///< ep_dispatch, ep_combine
};

/// Rank-to-rank flows of token traffic: one copy per (token, destination rank), dispatch from
/// the token's rank, combine towards it. Local copies are left out.
std::vector<Flow> token_flows(const TokenRouting& t, bool combine);

}  // namespace strata::workloads
