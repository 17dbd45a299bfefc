#include "sim/engine/executor.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace strata::sim {

Timeline execute(const workloads::OpGraph& g, const models::OpCostModel& ops,
                 const models::NetworkModel& net, const ExecuteProgress& progress) {
  Timeline t;
  t.link_bytes.assign(net.links().size(), 0.0);
  t.link_busy_s.assign(net.links().size(), 0.0);
  std::vector<double> end(g.size(), 0.0);
  // Allow for rounding when a model returns exactly its bound through a different formula.
  constexpr double kRelTol = 1e-9;

  const size_t report_every = std::max<size_t>(1, g.size() / 100);
  size_t done = 0;
  for (workloads::OpGraph::OpId id : g.topological_order()) {
    if (progress && done++ % report_every == 0) progress(double(done - 1) / double(g.size()));
    const workloads::Op& op = g.op(id);
    double start = 0;
    for (auto p : g.preds(id)) start = std::max(start, end[p]);
    double dur = 0, bound = 0;
    if (op.kind == workloads::OpKind::collective) {
      const workloads::Collective& c = g.collectives().at(op.collective);
      models::CollectiveCost cc = net.cost(c);
      dur = cc.time_s;
      for (const models::LinkLoad& l : cc.loads) {
        t.link_bytes[l.link] += l.bytes;
        t.link_busy_s[l.link] += l.busy_s;
        bound = std::max(bound, l.busy_s);
      }
      end[id] = start + dur;
      for (int r : c.ranks) t.records.push_back(OpRecord{id, r, start, end[id], bound});
    } else {
      models::OpCost oc = ops.cost(op);
      dur = oc.time_s;
      bound = oc.bound_s;
      end[id] = start + dur;
      t.records.push_back(OpRecord{id, op.device, start, end[id], bound});
    }
    if (dur < bound * (1 - kRelTol))
      throw std::logic_error("op '" + op.name + "' priced at " + std::to_string(dur) +
                             " s, below its bound of " + std::to_string(bound) + " s");
    t.makespan_s = std::max(t.makespan_s, end[id]);
  }
  std::sort(t.records.begin(), t.records.end(), [](const OpRecord& a, const OpRecord& b) {
    if (a.device != b.device) return a.device < b.device;
    if (a.start_s != b.start_s) return a.start_s < b.start_s;
    return a.op < b.op;
  });
  return t;
}

}  // namespace strata::sim
