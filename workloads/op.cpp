#include "workloads/op.h"

#include <map>

namespace strata::workloads {

const char* op_kind_name(OpKind k) {
  switch (k) {
    case OpKind::gemm: return "gemm";
    case OpKind::batched_gemm: return "batched_gemm";
    case OpKind::grouped_gemm: return "grouped_gemm";
    case OpKind::attention_decode: return "attention_decode";
    case OpKind::norm: return "norm";
    case OpKind::elementwise: return "elementwise";
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
  }
  return "?";
}

const char* stream_name(Stream s) { return s == Stream::compute ? "compute" : "comm"; }

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

void TokenRouting::add(int src, const std::vector<int>& dest_ranks, const std::vector<int>& counts) {
  if (offsets.empty()) offsets.push_back(0);
  source.push_back(src);
  dests.insert(dests.end(), dest_ranks.begin(), dest_ranks.end());
  experts.insert(experts.end(), counts.begin(), counts.end());
  offsets.push_back(static_cast<int>(dests.size()));
}

std::vector<Flow> token_flows(const TokenRouting& t, bool combine) {
  std::map<std::pair<int, int>, double> pairs;  // ordered: flows come out sorted
  for (int i = 0; i < t.tokens(); ++i)
    for (int j = t.offsets[i]; j < t.offsets[i + 1]; ++j)
      if (t.dests[j] != t.source[i]) pairs[{t.source[i], t.dests[j]}] += t.bytes_per_token;
  std::vector<Flow> out;
  for (const auto& [p, b] : pairs)
    out.push_back(combine ? Flow{p.second, p.first, b} : Flow{p.first, p.second, b});
  return out;
}

}  // namespace strata::workloads
