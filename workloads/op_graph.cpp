#include "workloads/op_graph.h"

#include <boost/graph/topological_sort.hpp>
#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace strata::workloads {

void OpGraph::follow_stream(OpId id, int device, Stream s) {
  auto key = std::make_pair(device, static_cast<int>(s));
  auto it = last_on_stream_.find(key);
  if (it != last_on_stream_.end()) boost::add_edge(it->second, id, graph_);
  last_on_stream_[key] = id;
  device_count_ = std::max(device_count_, device + 1);
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

OpGraph::OpId OpGraph::add_collective(Op op, Collective c) {
  OpId id = boost::add_vertex(graph_);
  op.kind = OpKind::collective;
  op.device = -1;
  op.stream = Stream::comm;
  op.collective = static_cast<int>(collectives_.size());
  for (int r : c.ranks) follow_stream(id, r, Stream::comm);
  collectives_.push_back(std::move(c));
  ops_.push_back(std::move(op));
  return id;
}

void OpGraph::depend(OpId before, OpId after) { boost::add_edge(before, after, graph_); }

std::vector<OpGraph::OpId> OpGraph::preds(OpId id) const {
  std::vector<OpId> out;
  auto range = boost::in_edges(id, graph_);
  for (auto it = range.first; it != range.second; ++it) out.push_back(boost::source(*it, graph_));
  return out;
}

std::vector<OpGraph::OpId> OpGraph::topological_order() const {
  std::vector<OpId> rev;
  try {
    boost::topological_sort(graph_, std::back_inserter(rev));
  } catch (const boost::not_a_dag&) {
    throw std::runtime_error("the op graph has a dependency cycle");
  }
  return std::vector<OpId>(rev.rbegin(), rev.rend());
}

}  // namespace strata::workloads
