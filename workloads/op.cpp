#include "workloads/op.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace strata::workloads {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_gemm: return "batched_gemm";
    case OpKind::grouped_gemm: return "grouped_gemm";
    case OpKind::attention_decode: return "attention_decode";
    case OpKind::attention_prefill: return "attention_prefill";
    case OpKind::attention_backward: return "attention_backward";
    case OpKind::norm: return "norm";
    case OpKind::elementwise: return "elementwise";
    case OpKind::kernel: return "kernel";
    case OpKind::collective: return "collective";
  }
  return "?";
}

const char* op_class_name(OpClass c) {
  switch (c) {
    case OpClass::dense_gemm: return "dense_gemm";
    case OpClass::moe_gemm: return "moe_gemm";
    case OpClass::attention: return "attention";
    case OpClass::communication: return "communication";
    case OpClass::elementwise: return "elementwise";
    case OpClass::other: return "other";
    case OpClass::host: return "host";
  }
  return "?";
}

const char* pass_name(Pass p) {
  switch (p) {
    case Pass::forward: return "forward";
    case Pass::backward_input: return "backward_input";
    case Pass::backward_weight: return "backward_weight";
    case Pass::optimizer: return "optimizer";
  }
  return "?";
}

std::string stream_name(Stream s) {
  if (s == Stream::compute) return "compute";
  if (s == Stream::comm) return "comm";
  return "stream" + std::to_string(static_cast<int>(s));
}

const char* collective_kind_name(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::all_to_all: return "all_to_all";
    case CollectiveKind::send_recv: return "send_recv";
    case CollectiveKind::all_reduce: return "all_reduce";
    case CollectiveKind::reduce_scatter: return "reduce_scatter";
    case CollectiveKind::all_gather: return "all_gather";
    case CollectiveKind::broadcast: return "broadcast";
    case CollectiveKind::ep_dispatch: return "ep_dispatch";
    case CollectiveKind::ep_combine: return "ep_combine";
  }
  return "?";
}

const char* collective_algorithm_name(CollectiveAlgorithm a) {
  switch (a) {
    case CollectiveAlgorithm::automatic: return "automatic";
    case CollectiveAlgorithm::ring: return "ring";
    case CollectiveAlgorithm::tree: return "tree";
    case CollectiveAlgorithm::nvls: return "nvls";
    case CollectiveAlgorithm::direct: return "direct";
    case CollectiveAlgorithm::node_forwarded: return "node_forwarded";
    case CollectiveAlgorithm::per_expert: return "per_expert";
  }
  return "?";
}

TokenRouting::TokenRouting(int first_rank, int ranks, int gpus_per_node, bool keep_tokens)
    : first_(first_rank), ranks_(ranks), gpn_(gpus_per_node), keep_(keep_tokens) {
  if (ranks < 1 || gpus_per_node < 1 || first_rank < 0)
    throw std::invalid_argument("token routing needs ranks >= 1 and gpus_per_node >= 1");
  int nodes = (first_rank + ranks - 1) / gpus_per_node - first_rank / gpus_per_node + 1;
  if (nodes > kMaxNodes)
    throw std::invalid_argument("an expert-parallel group spans " + std::to_string(nodes) + " nodes; at most " +
                                std::to_string(kMaxNodes) + " are supported");
  pairs_.assign(size_t(ranks) * ranks, 0);
  experts_per_pair_.assign(size_t(ranks) * ranks, 0);
  if (nodes <= kDenseNodes) open_dense_.assign(size_t(1) << nodes, 0);
  for (int r = first_rank; r < first_rank + ranks; ++r) node_bit_.push_back(uint64_t(1) << (r / gpn_ - first_node()));
}

void TokenRouting::add(int src, const int* dest_ranks, const int* counts, int n) {
  auto inside = [&](int r) { return r >= first_ && r < first_ + ranks_; };
  if (!inside(src)) throw std::invalid_argument("token source " + std::to_string(src) + " is outside the group");
  uint64_t nodes = 0;
  for (int j = 0; j < n; ++j) {
    int d = dest_ranks[j];
    if (!inside(d)) throw std::invalid_argument("token destination " + std::to_string(d) + " is outside the group");
    pairs_[index(src, d)] += 1;
    experts_per_pair_[index(src, d)] += uint32_t(counts[j]);
    nodes |= node_bit_[d - first_];
    remote_ += d != src;
  }
  ++count_;
  if (src != open_src_) flush(), open_src_ = src;
  if (!open_dense_.empty())
    ++open_dense_[nodes];
  else
    ++open_[nodes];
  if (!keep_) return;
  if (offsets.empty()) offsets.push_back(0);
  source.push_back(src);
  dests.insert(dests.end(), dest_ranks, dest_ranks + n);
  experts.insert(experts.end(), counts, counts + n);
  offsets.push_back(static_cast<int>(dests.size()));
}

void TokenRouting::flush() {
  const size_t from = sets_.size();
  for (size_t m = 0; m < open_dense_.size(); ++m)
    if (open_dense_[m]) sets_.push_back(NodeSet{m, open_src_, open_dense_[m]}), open_dense_[m] = 0;
  for (const auto& [nodes, tokens] : open_) sets_.push_back(NodeSet{nodes, open_src_, tokens});
  // Hash order is not an output: sort the source's sets.
  std::sort(sets_.begin() + from, sets_.end(), [](const NodeSet& x, const NodeSet& y) { return x.nodes < y.nodes; });
  open_.clear();
  open_src_ = -1;
}

void TokenRouting::compact() {
  flush();
  auto key = [](const NodeSet& x) { return std::make_pair(x.src, x.nodes); };
  auto before = [&](const NodeSet& x, const NodeSet& y) { return key(x) < key(y); };
  if (!std::is_sorted(sets_.begin(), sets_.end(), before)) std::stable_sort(sets_.begin(), sets_.end(), before);
  size_t out = 0;
  for (size_t i = 0; i < sets_.size(); ++i) {
    if (out > 0 && key(sets_[out - 1]) == key(sets_[i]))
      sets_[out - 1].tokens += sets_[i].tokens;
    else
      sets_[out++] = sets_[i];
  }
  sets_.resize(out);
  sets_.shrink_to_fit();
  open_ = {};  // release the buckets
  open_dense_ = {};
}

void TokenRouting::add_node_set(int src, uint64_t nodes, uint32_t tokens) {
  if (src < first_ || src >= first_ + ranks_)
    throw std::invalid_argument("token source " + std::to_string(src) + " is outside the group");
  sets_.push_back(NodeSet{nodes, src, tokens});
  count_ += int(tokens);
}

void TokenRouting::add_pair(int src, int dst, uint32_t tokens, uint32_t experts) {
  for (int r : {src, dst})
    if (r < first_ || r >= first_ + ranks_)
      throw std::invalid_argument("rank " + std::to_string(r) + " is outside the group");
  pairs_[index(src, dst)] += tokens;
  experts_per_pair_[index(src, dst)] += experts;
  if (src != dst) remote_ += tokens;
}

Collective sized_collective(CollectiveKind k, std::vector<int> ranks, double bytes) {
  Collective c;
  c.kind = k;
  c.ranks = std::move(ranks);
  c.bytes = bytes;
  return c;
}

bool token_routed(CollectiveKind k) { return k == CollectiveKind::ep_dispatch || k == CollectiveKind::ep_combine; }

std::vector<Flow> token_flows(const TokenRouting& t, double bytes_per_token, bool combine) {
  std::vector<Flow> out;
  const int first = t.first_rank(), n = t.ranks();
  for (int s = first; s < first + n; ++s)
    for (int d = first; d < first + n; ++d) {
      double tokens = t.pair_tokens(s, d);
      if (s == d || tokens == 0) continue;
      out.push_back(combine ? Flow{d, s, tokens * bytes_per_token} : Flow{s, d, tokens * bytes_per_token});
    }
  return out;
}

double collective_bytes(const Collective& c) {
  if (token_routed(c.kind)) return c.tokens ? c.tokens->remote_copies() * c.token_bytes : 0.0;
  if (c.kind == CollectiveKind::all_to_all || c.kind == CollectiveKind::send_recv) {
    double sum = 0;
    for (const Flow& f : c.flows) sum += f.bytes;
    return sum;
  }
  return c.bytes;
}

}  // namespace strata::workloads
