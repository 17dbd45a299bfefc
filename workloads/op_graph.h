// The workload DAG (Boost.Graph). Ops on the same device and stream run in the order they were
// added, so add() links each op to its stream predecessor; data dependencies across streams and
// devices are added with depend().
//
// A collective has physical participants (Collective::ranks, which the network prices) and
// simulated participants (the devices whose timelines it appears on). They are the same unless
// the workload simulates one representative rank for a group of identical ones.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <string>
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
  /// Adds a collective simulated on all its ranks, after the last op on each one's comm stream.
  OpId add_collective(Op op, Collective c);
  /// Stores a collective for add_collective_ref (one description may back many ops).
  int intern_collective(Collective c);
  /// Adds an op for stored collective `index`, simulated on `devices`. When `ordered`, it
  /// follows the last op on each device's `stream`; otherwise it joins no stream queue (a
  /// point-to-point transfer ordered only by its data dependencies).
  OpId add_collective_ref(Op op, int index, const std::vector<int>& devices, bool ordered = true,
                          Stream stream = Stream::comm);
  /// `after` cannot start before `before` ends.
  void depend(OpId before, OpId after);
  /// Also queues op `id` on `device`'s stream `s` (after its last op there).
  void follow(OpId id, int device, Stream s) { follow_stream(id, device, s); }
  /// False for a collective added unordered (it joins no stream queue).
  bool ordered(OpId id) const { return id >= unordered_.size() || !unordered_[id]; }
  /// Index of a phase name, added on first use.
  int phase_id(const std::string& name);

  const std::vector<Op>& ops() const { return ops_; }
  const Op& op(OpId id) const { return ops_[id]; }
  Op& mutable_op(OpId id) { return ops_[id]; }
  const std::vector<Collective>& collectives() const { return collectives_; }
  const std::vector<std::string>& phases() const { return phases_; }
  /// Simulated devices of a collective op.
  const std::vector<int>& participants(const Op& op) const { return participant_sets_.at(op.participants); }
  const Graph& graph() const { return graph_; }
  size_t size() const { return ops_.size(); }
  /// Predecessors of `id`.
  std::vector<OpId> preds(OpId id) const;
  /// Ops in an order where every op follows its predecessors; throws on a cycle, naming an op
  /// on it.
  std::vector<OpId> topological_order() const;
  /// Highest simulated device rank + 1.
  int device_count() const { return device_count_; }
  void reserve(size_t ops);

 private:
  void follow_stream(OpId id, int device, Stream s);
  int intern_participants(const std::vector<int>& devices);

  std::vector<Op> ops_;
  std::vector<char> unordered_;  ///< per op (grown on demand): collective joins no stream
  std::vector<Collective> collectives_;
  std::vector<std::vector<int>> participant_sets_;
  std::map<std::vector<int>, int> participant_index_;
  std::vector<std::string> phases_;
  Graph graph_;
  std::map<std::pair<int, int>, OpId> last_on_stream_;
  int device_count_ = 0;
};

}  // namespace strata::workloads
