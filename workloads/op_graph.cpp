#include "workloads/op_graph.h"

#include <algorithm>
#include <stdexcept>

namespace strata::workloads {

void OpGraph::reserve(size_t ops) { ops_.reserve(ops); }

void OpGraph::follow_stream(OpId id, int device, Stream s) {
  auto key = std::make_pair(device, static_cast<int>(s));
  auto it = last_on_stream_.find(key);
  if (it != last_on_stream_.end()) {
    boost::add_edge(it->second, id, graph_);
    it->second = id;
  } else {
    last_on_stream_.emplace(key, id);
  }
  device_count_ = std::max(device_count_, device + 1);
}

int OpGraph::intern_participants(const std::vector<int>& devices) {
  auto it = participant_index_.find(devices);
  if (it != participant_index_.end()) return it->second;
  int idx = static_cast<int>(participant_sets_.size());
  participant_sets_.push_back(devices);
  participant_index_.emplace(devices, idx);
  return idx;
}

OpGraph::OpId OpGraph::add(Op op) {
  if (op.device < 0) throw std::logic_error("OpGraph::add: kernel op '" + op.name + "' has no device");
  OpId id = boost::add_vertex(graph_);
  int device = op.device;
  Stream s = op.stream;
  ops_.push_back(std::move(op));
  follow_stream(id, device, s);
  return id;
}

int OpGraph::intern_collective(Collective c) {
  collectives_.push_back(std::move(c));
  return static_cast<int>(collectives_.size() - 1);
}

OpGraph::OpId OpGraph::add_collective(Op op, Collective c) {
  std::vector<int> devices = c.ranks;
  int index = intern_collective(std::move(c));
  return add_collective_ref(std::move(op), index, devices);
}

OpGraph::OpId OpGraph::add_collective_ref(Op op, int index, const std::vector<int>& devices,
                                          bool ordered, Stream stream) {
  if (index < 0 || index >= static_cast<int>(collectives_.size()))
    throw std::logic_error("OpGraph::add_collective_ref: no collective " + std::to_string(index));
  OpId id = boost::add_vertex(graph_);
  op.kind = OpKind::collective;
  op.device = -1;
  op.stream = stream;
  op.collective = index;
  op.participants = intern_participants(devices);
  for (int r : devices) {
    if (ordered)
      follow_stream(id, r, stream);
    else
      device_count_ = std::max(device_count_, r + 1);
  }
  ops_.push_back(std::move(op));
  if (!ordered) {
    unordered_.resize(ops_.size(), 0);
    unordered_[id] = 1;
  }
  return id;
}

void OpGraph::depend(OpId before, OpId after) { boost::add_edge(before, after, graph_); }

int OpGraph::phase_id(const std::string& name) {
  auto it = std::find(phases_.begin(), phases_.end(), name);
  if (it != phases_.end()) return static_cast<int>(it - phases_.begin());
  phases_.push_back(name);
  return static_cast<int>(phases_.size() - 1);
}

std::vector<OpGraph::OpId> OpGraph::preds(OpId id) const {
  std::vector<OpId> out;
  auto range = boost::in_edges(id, graph_);
  for (auto it = range.first; it != range.second; ++it) out.push_back(boost::source(*it, graph_));
  return out;
}

std::vector<OpGraph::OpId> OpGraph::topological_order() const {
  // Kahn's algorithm: deterministic (ready ops in id order of discovery) and, on a cycle, the
  // ops left over name where it is.
  const size_t n = ops_.size();
  std::vector<size_t> indegree(n, 0);
  for (size_t v = 0; v < n; ++v) indegree[v] = boost::in_degree(v, graph_);
  std::vector<OpId> order;
  order.reserve(n);
  for (size_t v = 0; v < n; ++v)
    if (indegree[v] == 0) order.push_back(v);
  for (size_t i = 0; i < order.size(); ++i) {
    auto range = boost::out_edges(order[i], graph_);
    for (auto it = range.first; it != range.second; ++it) {
      size_t t = boost::target(*it, graph_);
      if (--indegree[t] == 0) order.push_back(t);
    }
  }
  if (order.size() == n) return order;
  // Every op left over has a predecessor left over; walking back from one must revisit an op,
  // and that op lies on a cycle.
  size_t v = 0;
  while (indegree[v] == 0) ++v;
  std::vector<char> seen(n, 0);
  while (!seen[v]) {
    seen[v] = 1;
    auto range = boost::in_edges(v, graph_);
    for (auto it = range.first; it != range.second; ++it) {
      size_t s = boost::source(*it, graph_);
      if (indegree[s] > 0) {
        v = s;
        break;
      }
    }
  }
  throw std::runtime_error("the op graph has a dependency cycle through op '" + ops_[v].name + "'");
}

}  // namespace strata::workloads
