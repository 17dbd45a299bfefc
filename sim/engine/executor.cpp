#include "sim/engine/executor.h"

#include <cstdio>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

namespace strata::sim {
namespace {
std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g s", s);
  return buf;
}
}  // namespace

bool kept_at_measured_time(const workloads::OpGraph& g, const workloads::Op& op) {
  return op.kind == workloads::OpKind::collective && op.measured_s >= 0 &&
         workloads::collective_bytes(g.collectives().at(op.collective)) <= 0;
}

Timeline execute(const workloads::OpGraph& g, models::OpCostModel& ops,
                 const models::NetworkModel& net, const ExecuteProgress& progress) {
  ops.prepare(g.ops());
  CollectivePrices prices;
  return execute_timed(
      g, [&](workloads::OpGraph::OpId id) { return ops.cost(g.op(id)); }, ops.name(), net, prices, progress);
}

Timeline execute_timed(const workloads::OpGraph& g, const OpTimer& time, const char* cost_name,
                       const models::NetworkModel& net, CollectivePrices& priced,
                       const ExecuteProgress& progress) {
  Timeline t;
  t.link_bytes.assign(net.links().size(), 0.0);
  t.link_busy_s.assign(net.links().size(), 0.0);
  std::vector<double> end(g.size(), 0.0);
  // A stored collective may back many ops (micro-batches with the same traffic): price it once.
  priced.resize(g.collectives().size());
  // Allow for rounding when a model returns exactly its bound through a different formula.
  constexpr double kRelTol = 1e-9;
  const auto& graph = g.graph();
  t.records.reserve(g.size());

  const size_t report_every = std::max<size_t>(1, g.size() / 100);
  size_t done = 0;
  for (workloads::OpGraph::OpId id : g.topological_order()) {
    if (progress && done++ % report_every == 0) progress(double(done - 1) / double(g.size()));
    const workloads::Op& op = g.op(id);
    double start = 0;
    auto range = boost::in_edges(id, graph);
    for (auto it = range.first; it != range.second; ++it) start = std::max(start, end[boost::source(*it, graph)]);
    double dur = 0, bound = 0;
    if (op.kind == workloads::OpKind::collective) {
      const workloads::Collective& c = g.collectives().at(op.collective);
      if (kept_at_measured_time(g, op)) {
        dur = op.measured_s;
      } else {
        if (!priced[op.collective]) priced[op.collective] = net.cost(c);
        const models::CollectiveCost& cc = *priced[op.collective];
        dur = cc.time_s;
        for (const models::LinkLoad& l : cc.loads) {
          t.link_bytes[l.link] += l.bytes;
          t.link_busy_s[l.link] += l.busy_s;
          bound = std::max(bound, l.busy_s);
        }
      }
      end[id] = start + dur;
      for (int r : g.participants(op)) t.records.push_back(OpRecord{id, r, start, end[id], bound});
    } else {
      models::OpCost oc = time(id);
      dur = oc.time_s;
      bound = oc.bound_s;
      end[id] = start + dur;
      t.records.push_back(OpRecord{id, op.device, start, end[id], bound});
    }
    // Invariants: simulated time only moves forward, and no op beats its bound.
    if (!(dur >= 0) || !std::isfinite(dur))
      throw std::logic_error("invariant violated: simulated time advances monotonically: op '" + op.name +
                             "' priced at " + seconds(dur));
    if (dur < bound * (1 - kRelTol))
      throw std::logic_error("invariant violated: no op beats its bound: op '" + op.name + "' priced at " +
                             seconds(dur) + ", below its bound of " + seconds(bound) + " (" + cost_name +
                             " op costs)");
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
