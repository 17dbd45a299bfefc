// The workload DAG (Boost.Graph). Ops on the same device and stream run in the order they were
// added, so add() links each op to its stream predecessor; data dependencies across streams and
// devices are added with depend().
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <utility>
#include <vector>

#include "workloads/op.h"

namespace strata::workloads {

class OpGraph {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
  using OpId = size_t;

  /// Adds a kernel op (op.device >= 0) after the last op on its device's stream.
  OpId add(Op op);
  /// Adds a collective; it follows the last op on each participant's comm stream.
  OpId add_collective(Op op, Collective c);
  /// `after` cannot start before `before` ends.
  void depend(OpId before, OpId after);

  const std::vector<Op>& ops() const { return ops_; }
  const Op& op(OpId id) const { return ops_[id]; }
  const std::vector<Collective>& collectives() const { return collectives_; }
  const Graph& graph() const { return graph_; }
  size_t size() const { return ops_.size(); }
  /// Predecessors of `id`.
  std::vector<OpId> preds(OpId id) const;
  /// Ops in an order where every op follows its predecessors; throws on a cycle.
  std::vector<OpId> topological_order() const;
  /// Highest device rank used + 1.
  int device_count() const { return device_count_; }

 private:
  void follow_stream(OpId id, int device, Stream s);

  std::vector<Op> ops_;
  std::vector<Collective> collectives_;
  Graph graph_;
  std::map<std::pair<int, int>, OpId> last_on_stream_;
  int device_count_ = 0;
};

}  // namespace strata::workloads
