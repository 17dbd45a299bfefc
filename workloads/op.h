// One unit of work in a workload: a kernel on one device, or a collective among several.
// FLOPs and bytes are properties of the op (shapes x formats); models turn them into time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/dtype.h"

namespace strata::workloads {

enum class OpKind {
  gemm,                ///< C[m,n] = A[m,k] B[k,n]
  batched_gemm,        ///< `batch` independent gemms of one shape (MLA absorb per head)
  grouped_gemm,        ///< one gemm per expert, rows per group in `group_rows`
  attention_decode,    ///< a few query tokens per request over its KV cache
  attention_prefill,   ///< causal attention of new tokens over their context (FlashAttention)
  attention_backward,  ///< gradients of attention_prefill (recomputes the scores)
  norm,                ///< RMSNorm (with residual add)
  elementwise,         ///< activations, rotary, top-k, reductions, sampling, casts, optimizer
  kernel,              ///< a measured kernel whose arithmetic is not known (trace import)
  collective,          ///< communication among `Collective::ranks`
};
constexpr int kOpKindCount = 10;

/// Coarse classes for the time split in reports. `host` ops are CPU time between kernel
/// launches (trace replay); they delay kernels but are not GPU busy time.
enum class OpClass { dense_gemm, moe_gemm, attention, communication, elementwise, other, host };
constexpr int kOpClassCount = 7;

/// Which part of a training step an op belongs to (inference is all forward).
enum class Pass { forward, backward_input, backward_weight, optimizer };
constexpr int kPassCount = 4;

/// In-order queues of a device. 0 and 1 are the compute and communication streams every
/// generator uses; replayed traces may add more (one per CUDA stream or host thread).
enum class Stream : int { compute = 0, comm = 1 };

const char* op_kind_name(OpKind k);
const char* op_class_name(OpClass c);
const char* pass_name(Pass p);
/// "compute", "comm", or "stream<N>" for other streams.
std::string stream_name(Stream s);

enum class CollectiveKind {
  all_to_all,      ///< explicit flows (expert dispatch/combine, uneven sizes allowed)
  send_recv,       ///< explicit flows (pipeline stages)
  all_reduce,      ///< `bytes` on every rank, summed across ranks
  reduce_scatter,  ///< `bytes` on every rank in, bytes / ranks out
  all_gather,      ///< bytes / ranks in, `bytes` on every rank out
  broadcast,       ///< `bytes` from `root` to every rank
};
constexpr int kCollectiveKindCount = 6;

const char* collective_kind_name(CollectiveKind k);

/// Work of one attention kernel on one device, summed over its sequences.
struct AttentionWork {
  int64_t requests = 0;  ///< sequences
  int64_t queries = 0;   ///< query tokens
  double context = 0;    ///< tokens whose keys and values are read
  double pairs = 0;      ///< (query, key) pairs scored; causal prefill scores about half
  int heads = 0;         ///< query heads on this device
  int kv_heads = 0;      ///< GQA: key/value heads on this device
};

struct Op {
  std::string name;  ///< "L3.attn.q_a_proj"
  OpKind kind = OpKind::elementwise;
  OpClass op_class = OpClass::elementwise;
  int device = -1;  ///< rank of a kernel; -1 for a collective
  Stream stream = Stream::compute;
  hw::DType dtype = hw::DType::bf16;  ///< arithmetic format
  Pass pass = Pass::forward;
  int layer = -1;
  int micro_batch = -1;  ///< -1 when the step has no micro-batches
  int phase = -1;        ///< index into OpGraph::phases(), -1 for none
  // Shape of gemm-like ops (grouped: m = all rows, batch = groups).
  int64_t m = 0, n = 0, k = 0, batch = 1;
  std::vector<int64_t> group_rows;  ///< grouped_gemm: rows per group
  double flops = 0;        ///< arithmetic the kernel executes
  double model_flops = 0;  ///< arithmetic the model needs (0 for recomputation; MFU counts these)
  double bytes = 0;        ///< off-chip memory traffic (reads + writes)
  double bytes_written = 0;  ///< the part of `bytes` that is written
  // Attention kernels: the work the kernel library tiles, and the KV cache they read.
  AttentionWork attention;
  double kv_bytes_per_token = 0;  ///< per layer, all KV heads (decode)
  hw::DType kv_dtype = hw::DType::bf16;
  double measured_s = -1;  ///< measured duration (trace replay); < 0 when unknown
  int collective = -1;     ///< index into OpGraph::collectives() for collectives
  int participants = -1;   ///< index into OpGraph::participant_sets(): simulated devices
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
  /// Expert all-to-alls: the same traffic with one copy per (source rank, destination node),
  /// addressed to the destination node's GPU on the source's rail: what DeepEP sends over the
  /// scale-out network before forwarding inside the node. Empty when not known.
  std::vector<Flow> node_flows;
  double bytes = 0;         ///< all_reduce, reduce_scatter, all_gather, broadcast: full buffer size
  int root = -1;            ///< broadcast: the rank that holds the data
};

}  // namespace strata::workloads
