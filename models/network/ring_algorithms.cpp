#include "models/network/ring_algorithms.h"

#include <stdexcept>

namespace strata::models {
using workloads::CollectiveKind;

RingTraffic ring_traffic(const workloads::Collective& c) {
  RingTraffic t;
  const int n = static_cast<int>(c.ranks.size());
  if (c.kind == CollectiveKind::all_to_all || c.kind == CollectiveKind::send_recv) {
    t.flows = c.flows;
    t.steps = c.flows.empty() ? 0 : 1;
    return t;
  }
  if (n < 2 || c.bytes <= 0) return t;
  const double chunk = c.bytes / n;
  double per_hop = 0;
  switch (c.kind) {
    case CollectiveKind::all_reduce:  // reduce-scatter then all-gather
      t.steps = 2 * (n - 1);
      per_hop = t.steps * chunk;
      break;
    case CollectiveKind::reduce_scatter:
    case CollectiveKind::all_gather:
      t.steps = n - 1;
      per_hop = t.steps * chunk;
      break;
    case CollectiveKind::broadcast:  // pipelined chain from the root: every hop carries it all
      t.steps = n - 1;
      per_hop = c.bytes;
      break;
    default:
      throw std::logic_error("ring_traffic: unhandled collective kind");
  }
  int start = 0;
  if (c.kind == CollectiveKind::broadcast)
    for (int i = 0; i < n; ++i)
      if (c.ranks[i] == c.root) start = i;
  int hops = c.kind == CollectiveKind::broadcast ? n - 1 : n;  // a chain is a ring minus one hop
  for (int h = 0; h < hops; ++h) {
    int a = c.ranks[(start + h) % n], b = c.ranks[(start + h + 1) % n];
    t.flows.push_back({a, b, per_hop});
  }
  return t;
}

}  // namespace strata::models
