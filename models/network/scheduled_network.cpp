#include "models/network/scheduled_network.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "models/network/collective_algorithms.h"
#include "models/network/flow_conservation.h"

namespace strata::models {
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

ScheduledNetwork::ScheduledNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options)
    : topo_(std::move(topo)), options_(options) {
  const Topology& t = *topo_;
  for (int c = 0; c < t.channels(); ++c) {
    const TopoEdge& e = t.channel_edge(c);
    int from = t.channel_from(c), to = t.channel_to(c);
    int device = t.vertices()[from].kind == VertexKind::gpu ? from
                 : t.vertices()[to].kind == VertexKind::gpu ? to
                                                           : -1;
    links_.push_back(LinkInfo{t.channel_name(c), link_tier_name(e.tier), e.link.name, device, e.links,
                              e.payload_rate(), e.link.energy_per_bit_j});
  }
}

std::vector<CollectiveAlgorithm> ScheduledNetwork::algorithms_for(const workloads::Collective& c) const {
  CollectiveAlgorithm a = c.algorithm;
  if (a == CollectiveAlgorithm::automatic) {
    bool ep = c.kind == CollectiveKind::ep_dispatch || c.kind == CollectiveKind::ep_combine;
    bool reduction = c.kind == CollectiveKind::all_reduce || c.kind == CollectiveKind::reduce_scatter ||
                     c.kind == CollectiveKind::all_gather;
    if (ep) a = options_.expert_parallel;
    if (reduction) a = options_.all_reduce;
  }
  if (a != CollectiveAlgorithm::automatic) {
    std::string why = unsupported_reason(c, a, *topo_);
    if (!why.empty()) throw std::invalid_argument(why);
    return {a};
  }
  std::vector<CollectiveAlgorithm> all = candidate_algorithms(c, *topo_);
  if (all.empty())
    throw std::invalid_argument(std::string("no algorithm can carry this ") +
                                workloads::collective_kind_name(c.kind));
  return all;
}

CollectiveCost ScheduledNetwork::cost(const workloads::Collective& c) const {
  CollectiveCost best;
  best.time_s = std::numeric_limits<double>::infinity();
  const std::vector<CollectiveAlgorithm> algorithms = algorithms_for(c);
  for (CollectiveAlgorithm a : algorithms) {
    const bool ep = a == CollectiveAlgorithm::node_forwarded || a == CollectiveAlgorithm::per_expert;
    const double overhead = ep ? options_.ep_kernel_overhead_s : 0.0;
    Schedule plan = plan_collective(c, a, *topo_, false, options_.ep_store_bytes);
    // Pricing is the costly part: skip an algorithm that cannot beat the best one so far.
    if (best.time_s < std::numeric_limits<double>::infinity() && lower_bound(plan) + overhead >= best.time_s)
      continue;
    ScheduleCost sc = price(plan);
    check_flow_conservation(*topo_, plan, sc.channel_bytes);
    sc.time_s += overhead;
    if (sc.time_s >= best.time_s) continue;
    best = CollectiveCost{sc.time_s, {}, a};
    for (size_t ch = 0; ch < sc.channel_bytes.size(); ++ch)
      if (sc.channel_bytes[ch] > 0)
        best.loads.push_back(
            LinkLoad{int(ch), sc.channel_bytes[ch], sc.channel_bytes[ch] / links_[ch].bandwidth});
  }
  return best;
}

double ScheduledNetwork::phase_latency(const Phase& p) const {
  double worst = 0;
  for (const Transfer& t : p.transfers) {
    Route r = topo_->route(t.src, t.dst);
    worst = std::max(worst, r.latency_s + topo_->message_overhead(r));
  }
  return p.steps * worst;
}

}  // namespace strata::models
