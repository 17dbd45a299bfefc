#include "models/network/flow_network.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "models/network/max_min.h"

namespace strata::models {

FlowNetwork::FlowNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options)
    : ScheduledNetwork(std::move(topo), options) {}

double FlowNetwork::phase_time(const Phase& p, std::vector<double>& channel_bytes, bool grouped,
                               bool& conflict, std::vector<double>* finish, bool bound_only) const {
  const Topology& t = topology();
  MaxMinSolver solver(options().flow_batching);
  solver.reserve(p.transfers.size(), p.transfers.size() * 8);
  std::vector<int> channel_res(t.channels(), -1);
  // Who claimed a channel: -1 nobody, -2 a single-channel hop, >= 0 the group resource.
  std::vector<int> owner(t.channels(), -1);
  std::unordered_map<const std::vector<SwitchPath::Use>*, int> group_res;
  std::unordered_map<int, int> engine_res;
  auto channel = [&](int c) {
    if (channel_res[c] < 0) channel_res[c] = solver.add_resource(t.channel_edge(c).payload_rate());
    if (owner[c] >= 0) conflict = true;
    owner[c] = -2;
    return channel_res[c];
  };
  // ECMP hops with the same channels and shares (from different switch paths) are one resource.
  std::map<std::vector<std::pair<int, double>>, int> group_by_content;
  auto group = [&](const std::vector<SwitchPath::Use>& hop) {
    auto it = group_res.find(&hop);
    if (it != group_res.end()) return it->second;
    std::vector<std::pair<int, double>> key;
    for (const SwitchPath::Use& u : hop) key.push_back({u.channel, u.share});
    auto [known, fresh] = group_by_content.try_emplace(key, -1);
    if (fresh) {
      // The hop saturates when its most loaded channel does.
      double cap = std::numeric_limits<double>::infinity();
      for (const SwitchPath::Use& u : hop)
        cap = std::min(cap, t.channel_edge(u.channel).payload_rate() / u.share);
      known->second = solver.add_resource(cap);
      for (const SwitchPath::Use& u : hop) {
        if (owner[u.channel] != -1) conflict = true;
        owner[u.channel] = known->second;
      }
    }
    group_res.emplace(&hop, known->second);
    return known->second;
  };
  // Small NVLink writes take more of a scale-up link per payload byte.
  auto penalty = [&](int c, const Transfer& tr) {
    if (tr.store_bytes <= 0) return 1.0;
    const TopoEdge& e = t.channel_edge(c);
    return e.tier == LinkTier::scale_up ? e.link.packet_penalty(tr.store_bytes) : 1.0;
  };
  double worst_latency = 0;
  for (const Transfer& tr : p.transfers) {
    Route r = t.route(tr.src, tr.dst);
    worst_latency = std::max(worst_latency, r.latency_s + t.message_overhead(r));
    solver.add_flow(tr.bytes);
    // Solver uses and link statistics in one pass over the route.
    for (int i = 0; i < r.size; ++i) {
      const Route::Segment& s = r.segments[i];
      if (!s.path) {
        channel_bytes[s.channel] += tr.bytes;
        if (!t.never_binds(s.channel)) solver.use(channel(s.channel), penalty(s.channel, tr));
        continue;
      }
      for (const auto& hop : s.path->hops) {
        for (const SwitchPath::Use& u : hop) channel_bytes[u.channel] += tr.bytes * u.share;
        if (hop.size() == 1)
          solver.use(channel(hop[0].channel), hop[0].share * penalty(hop[0].channel, tr));
        else if (grouped)
          solver.use(group(hop), penalty(hop[0].channel, tr));
        else
          for (const SwitchPath::Use& u : hop) solver.use(channel(u.channel), u.share * penalty(u.channel, tr));
      }
    }
    if (tr.switch_reduced) {
      auto [it, fresh] = engine_res.try_emplace(tr.src, -1);
      if (fresh) it->second = solver.add_resource(t.vertices()[tr.src].reduction_rate);
      solver.use(it->second);
    }
  }
  if (bound_only) return solver.load_bound() + p.steps * worst_latency;
  std::vector<double> done = solver.run();
  double makespan = done.empty() ? 0.0 : *std::max_element(done.begin(), done.end());
  if (finish) *finish = std::move(done);
  return makespan + p.steps * worst_latency;
}

std::vector<double> FlowNetwork::transfer_finish_times(const Phase& p) const {
  std::vector<double> bytes(topology().channels(), 0.0), finish;
  bool conflict = false;
  phase_time(p, bytes, false, conflict, &finish);
  return finish;
}

double FlowNetwork::lower_bound(const Schedule& s) const {
  double total = 0;
  std::vector<double> bytes(topology().channels(), 0.0);
  for (const Phase& p : s.phases) {
    bool conflict = false;  // overlapping ECMP groups only lower the bound further
    total += phase_time(p, bytes, true, conflict, nullptr, true);
  }
  return total;
}

ScheduleCost FlowNetwork::price(const Schedule& s) const {
  ScheduleCost out;
  out.channel_bytes.assign(topology().channels(), 0.0);
  for (const Phase& p : s.phases) {
    std::vector<double> bytes(topology().channels(), 0.0);
    bool conflict = false;
    double time = phase_time(p, bytes, true, conflict, nullptr);
    if (conflict) {
      // ECMP groups overlap (an irregular topology): price channel by channel instead.
      std::fill(bytes.begin(), bytes.end(), 0.0);
      time = phase_time(p, bytes, false, conflict, nullptr);
    }
    for (size_t c = 0; c < bytes.size(); ++c) out.channel_bytes[c] += bytes[c];
    out.phase_s.push_back(time);
    out.time_s += time;
  }
  return out;
}

}  // namespace strata::models
