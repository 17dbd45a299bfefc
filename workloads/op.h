// One unit of work in a workload: a kernel on one device, or a collective among several.
// FLOPs and bytes are properties of the op (shapes x formats); models turn them into time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
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
  all_to_all,      ///< explicit flows (uniform or variable sizes)
  send_recv,       ///< explicit flows (pipeline stages)
  all_reduce,      ///< `bytes` on every rank, summed across ranks
  reduce_scatter,  ///< `bytes` on every rank in, bytes / ranks out
  all_gather,      ///< bytes / ranks in, `bytes` on every rank out
  broadcast,       ///< `bytes` from `root` to every rank
  ep_dispatch,     ///< tokens to the ranks of their experts (`tokens`, DeepEP dispatch)
  ep_combine,      ///< expert outputs back to each token's rank, summed there (DeepEP combine)
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
constexpr int kCollectiveKindCount = 8;

const char* collective_kind_name(CollectiveKind k);
const char* collective_algorithm_name(CollectiveAlgorithm a);

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
  bool accumulate = false;   ///< gemm kinds: C += A B, the epilogue reads C first (gradient accumulation)
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

/// Where the tokens of one expert-parallel dispatch (or combine) go: for each token, the
/// distinct ranks holding its chosen experts and how many of them on each rank. It keeps exact
/// counts, which is what the networks price and small enough for a 262k-token prefill or training
/// micro-batch: tokens and expert copies per (source, destination) rank pair, and tokens per
/// (source, set of destination nodes), from which a network derives DeepEP's one copy per
/// destination node or NVLink domain (domains are whole nodes). With `keep_tokens` every token's
/// destinations are kept as well, for detailed schedules that tests replay token by token.
class TokenRouting {
 public:
  /// `tokens` tokens of rank `src` whose experts lie on exactly the nodes in `nodes` (bit i:
  /// node first_node() + i).
  struct NodeSet {
    uint64_t nodes = 0;
    int src = 0;
    uint32_t tokens = 0;
  };
  static constexpr int kMaxNodes = 64;

  TokenRouting() = default;
  /// Ranks first_rank .. first_rank + ranks - 1, in nodes of gpus_per_node GPUs; throws
  /// std::invalid_argument when they span more than kMaxNodes nodes.
  TokenRouting(int first_rank, int ranks, int gpus_per_node, bool keep_tokens = false);

  /// Appends a token of rank `src`; `dest_ranks` distinct and ascending, `counts` experts per
  /// destination (>= 1).
  void add(int src, const int* dest_ranks, const int* counts, int n);
  void add(int src, const std::vector<int>& dest_ranks, const std::vector<int>& counts) {
    add(src, dest_ranks.data(), counts.data(), static_cast<int>(dest_ranks.size()));
  }

  int first_rank() const { return first_; }
  int ranks() const { return ranks_; }
  int gpus_per_node() const { return gpn_; }
  int first_node() const { return first_ / (gpn_ > 0 ? gpn_ : 1); }
  /// Tokens added.
  int tokens() const { return count_; }
  /// Token copies that leave their rank (one per token and destination other than its own).
  double remote_copies() const { return remote_; }
  /// Tokens `src` sends to `dst` (once per token; src == dst counts local tokens).
  double pair_tokens(int src, int dst) const { return pairs_[index(src, dst)]; }
  /// Expert copies `src`'s tokens choose on `dst`.
  double pair_experts(int src, int dst) const { return experts_per_pair_[index(src, dst)]; }
  /// Tokens per (source, destination node set), ordered by source then set; call compact()
  /// after the last add().
  const std::vector<NodeSet>& node_sets() const { return sets_; }
  void compact();
  /// Restores the counts directly, without per-token records (trace reader): add_node_set
  /// counts its tokens, add_pair adds to the pair counts.
  void add_pair(int src, int dst, uint32_t tokens, uint32_t experts);
  void add_node_set(int src, uint64_t nodes, uint32_t tokens);
  /// Whether the per-token record below is kept.
  bool keeps_tokens() const { return keep_; }

  // Per-token record (keep_tokens only).
  std::vector<int> source;   ///< per token: the rank that holds it
  std::vector<int> offsets;  ///< per token: start of its destinations; size tokens + 1
  std::vector<int> dests;    ///< distinct destination ranks of each token, ascending
  std::vector<int> experts;  ///< per destination: experts chosen on that rank (>= 1)

 private:
  size_t index(int src, int dst) const {
    return size_t(src - first_) * size_t(ranks_) + size_t(dst - first_);
  }

  int first_ = 0, ranks_ = 0, gpn_ = 1, count_ = 0;
  bool keep_ = false;
  std::vector<uint32_t> pairs_, experts_per_pair_;
  double remote_ = 0;
  std::vector<uint64_t> node_bit_;  ///< per rank of the group: its node's bit
  std::vector<NodeSet> sets_;
  // Node sets of the source being added: counted per set, in an array indexed by the set when
  // the group spans few nodes, else hashed; flush() appends them to sets_ in set order.
  static constexpr int kDenseNodes = 12;
  std::vector<uint32_t> open_dense_;
  std::unordered_map<uint64_t, uint32_t> open_;
  int open_src_ = -1;
  void flush();
};

struct Collective {
  CollectiveKind kind = CollectiveKind::all_to_all;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::automatic;
  std::vector<int> ranks;   ///< participants, in ring order where the algorithm has one
  std::vector<Flow> flows;  ///< all_to_all, send_recv: src != dst; local copies are not listed
  double bytes = 0;         ///< all_reduce, reduce_scatter, all_gather, broadcast: full buffer size
  int root = -1;            ///< broadcast: the rank that holds the data
  /// ep_dispatch, ep_combine: the tokens moved (shared by a layer's dispatch, combine and their
  /// backward twins) and the bytes of one copy of one token in this direction.
  std::shared_ptr<const TokenRouting> tokens;
  double token_bytes = 0;
};

/// A collective given by its buffer size (all_reduce, reduce_scatter, all_gather, broadcast).
Collective sized_collective(CollectiveKind k, std::vector<int> ranks, double bytes);

/// True for ep_dispatch and ep_combine.
bool token_routed(CollectiveKind k);

/// Rank-to-rank flows of token traffic: one copy per (token, destination rank) of
/// `bytes_per_token`, dispatch from the token's rank, combine towards it, ordered by (source,
/// destination) of the dispatch. Local copies are left out.
std::vector<Flow> token_flows(const TokenRouting& t, double bytes_per_token, bool combine);

/// Bytes all ranks send over the network in `c` as the workload states it (flows, token copies,
/// or the buffer size of a collective given by size).
double collective_bytes(const Collective& c);

}  // namespace strata::workloads
