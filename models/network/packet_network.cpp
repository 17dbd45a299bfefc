#include "models/network/packet_network.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace strata::models {
using sc_core::sc_time;
using sc_core::SC_SEC;

namespace {

/// Receiver buffers exist at switch input ports, one per link of a bundle; GPUs (memory) and
/// NICs take what arrives.
double receiver_buffer(const Topology& t, int channel) {
  const TopoVertex& v = t.vertices()[t.channel_to(channel)];
  if (v.kind == VertexKind::gpu || v.kind == VertexKind::nic) return 0.0;
  return v.buffer_per_port_bytes * t.channel_edge(channel).links;
}

/// Picks train k's channel at every ECMP hop among the channels leaving the vertex the train is
/// at: the one whose link frees up first (adaptive routing), ties spread over successive trains
/// in proportion to their share.
void choose_hops(const Topology& t, const std::vector<std::unique_ptr<PacketLink>>& links,
                 const Route& r, int k, Train& train) {
  train.hop_count = 0;
  int at = -1, depth = 0;
  auto push = [&](int c) {
    if (train.hop_count == Train::kMaxHops) throw std::logic_error("packet network: route too long");
    train.hops[train.hop_count++] = c;
    at = t.channel_to(c);
  };
  for (int i = 0; i < r.size; ++i) {
    const Route::Segment& s = r.segments[i];
    if (!s.path) {
      push(s.channel);
      continue;
    }
    for (const auto& hop : s.path->hops) {
      double total = 0;
      for (const SwitchPath::Use& u : hop)
        if (at < 0 || t.channel_from(u.channel) == at) total += u.share;
      // Low-discrepancy point for (train, depth): golden-ratio sequence.
      double x = std::fmod((k + 0.5) * 0.6180339887498949 + depth * 0.7548776662466927, 1.0) * total;
      int spread = -1;
      for (const SwitchPath::Use& u : hop) {
        if (at >= 0 && t.channel_from(u.channel) != at) continue;
        spread = u.channel;
        if ((x -= u.share) < 0) break;
      }
      int pick = spread;
      for (const SwitchPath::Use& u : hop)
        if ((at < 0 || t.channel_from(u.channel) == at) && links[u.channel]->free_at() < links[pick]->free_at())
          pick = u.channel;
      push(pick);
      ++depth;
    }
  }
}

}  // namespace

struct PacketNetwork::Fabric : sc_core::sc_module {
  const Topology& topo;
  NetworkOptions options;
  std::vector<std::unique_ptr<PacketSwitch>> vertices;
  std::vector<std::unique_ptr<PacketLink>> links;
  sc_core::sc_event go, all_sent;

  // The job of one price() call.
  const Schedule* job = nullptr;
  bool done = false;
  std::vector<double> phase_s;
  // Bookkeeping of the phase running.
  std::vector<double> delivered;
  std::vector<Route> routes;
  sc_time last_tail;
  int senders = 0;

  Fabric(sc_core::sc_module_name name, const Topology& t, const NetworkOptions& o)
      : sc_module(name), topo(t), options(o) {
    auto on_delivered = [this](int transfer, double bytes, sc_time tail) {
      delivered[transfer] += bytes;
      last_tail = std::max(last_tail, tail);
    };
    auto on_sent = [this] {
      if (--senders == 0) all_sent.notify(sc_core::SC_ZERO_TIME);
    };
    for (size_t v = 0; v < t.vertices().size(); ++v) {
      std::string nm = t.vertices()[v].name;
      std::replace(nm.begin(), nm.end(), '.', '_');  // '.' separates SystemC hierarchy levels
      vertices.push_back(std::make_unique<PacketSwitch>(nm.c_str(),
                                                        t.vertices()[v].latency_s,
                                                        t.vertices()[v].reduction_rate,
                                                        on_delivered, on_sent));
    }
    for (int c = 0; c < t.channels(); ++c) {
      const TopoEdge& e = t.channel_edge(c);
      links.push_back(std::make_unique<PacketLink>(
          ("ch" + std::to_string(c)).c_str(), PacketLinkParams{e.link, e.links, receiver_buffer(t, c), e.tier == LinkTier::scale_up}));
      vertices[t.channel_from(c)]->connect(c, *links.back());
      links.back()->out.bind(vertices[t.channel_to(c)]->in);
    }
    SC_HAS_PROCESS(Fabric);
    SC_THREAD(controller);
  }

  /// Largest train that fits a quarter of every buffer on the route, so several are in flight.
  double train_bytes(const Route& r) const {
    double cap = options.packet_train_bytes;
    r.for_each_use([&](int c, double) {
      double b = receiver_buffer(topo, c);
      if (b > 0) cap = std::min(cap, b / 4 * topo.channel_edge(c).link.protocol_efficiency);
    });
    return cap;
  }

  void run_phase(const Phase& p) {
    const sc_time start = sc_core::sc_time_stamp();
    last_tail = start;
    delivered.assign(p.transfers.size(), 0.0);
    routes.clear();
    std::vector<std::vector<PacketSource>> work(vertices.size());
    double worst = 0, overhead = 0;
    for (size_t i = 0; i < p.transfers.size(); ++i) {
      const Transfer& tr = p.transfers[i];
      routes.push_back(topo.route(tr.src, tr.dst));
      const Route& r = routes.back();
      worst = std::max(worst, r.latency_s + topo.message_overhead(r));
      overhead = std::max(overhead, topo.message_overhead(r));
      PacketSource s;
      s.transfer = static_cast<int>(i);
      s.bytes = tr.bytes;
      s.train_bytes = train_bytes(r);
      s.reduced = tr.switch_reduced;
      s.store_bytes = tr.store_bytes;
      s.path = [this, i](int k, Train& t) { choose_hops(topo, links, routes[i], k, t); };
      work[tr.src].push_back(std::move(s));
    }
    senders = 0;
    for (size_t v = 0; v < vertices.size(); ++v)
      if (!work[v].empty()) {
        vertices[v]->load(std::move(work[v]));
        vertices[v]->start();
        ++senders;
      }
    if (senders > 0) wait(all_sent);
    if (last_tail > sc_core::sc_time_stamp()) wait(last_tail - sc_core::sc_time_stamp());
    for (size_t i = 0; i < p.transfers.size(); ++i)
      if (std::fabs(delivered[i] - p.transfers[i].bytes) > 1e-6 * p.transfers[i].bytes)
        throw std::logic_error("packet network: transfer " + std::to_string(i) + " delivered " +
                               std::to_string(delivered[i]) + " of " +
                               std::to_string(p.transfers[i].bytes) + " bytes");
    double makespan = (last_tail - start).to_seconds();
    phase_s.push_back(p.transfers.empty() ? 0.0 : makespan + overhead + (p.steps - 1) * worst);
  }

  void controller() {
    while (true) {
      // The first job is set before the simulation starts; later ones notify `go`.
      if (done || !job) wait(go);
      for (const Phase& p : job->phases) run_phase(p);
      done = true;
    }
  }
};

PacketNetwork::PacketNetwork(std::shared_ptr<const Topology> topo, NetworkOptions options)
    : ScheduledNetwork(std::move(topo), options) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
    throw std::logic_error("a packet network must be built before the SystemC simulation starts "
                           "(one per process)");
  tlm::tlm_global_quantum::instance().set(sc_time(options.packet_quantum_s, SC_SEC));
  fabric_ = std::make_unique<Fabric>("fabric", topology(), options);
}

PacketNetwork::~PacketNetwork() = default;

ScheduleCost PacketNetwork::price(const Schedule& s) const {
  Fabric& f = *fabric_;
  std::vector<double> before(f.links.size());
  for (size_t c = 0; c < f.links.size(); ++c) before[c] = f.links[c]->payload_bytes();
  const bool started = f.job != nullptr;
  f.job = &s;
  f.done = false;
  f.phase_s.clear();
  if (started) f.go.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_start();
  if (!f.done) throw std::logic_error("packet network: the simulation stopped before the schedule ended");
  ScheduleCost out;
  out.phase_s = f.phase_s;
  for (double p : out.phase_s) out.time_s += p;
  for (size_t c = 0; c < f.links.size(); ++c)
    out.channel_bytes.push_back(f.links[c]->payload_bytes() - before[c]);
  return out;
}

const PacketLink& PacketNetwork::link(int channel) const { return *fabric_->links.at(channel); }
const PacketSwitch& PacketNetwork::vertex(int v) const { return *fabric_->vertices.at(v); }
double PacketNetwork::now_s() const { return sc_core::sc_time_stamp().to_seconds(); }

}  // namespace strata::models
