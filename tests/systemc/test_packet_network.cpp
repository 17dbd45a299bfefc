// The SystemC packet backend, one simulation per process (ctest runs each mode separately):
//   conservation  bytes in = bytes out on every link and vertex, no credit leaks, one message's
//                 latency as computed by hand
//   buffers       tiny switch buffers: credits throttle the sender, nothing is lost or leaked
//   node          agrees with the flow backend on one HGX H100 node (ring, NVLS, all-to-all)
//   cluster       agrees with the flow backend on DeepEP traffic across nodes
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <systemc>

#include "models/network/collective_algorithms.h"
#include "models/network/flow_network.h"
#include "models/network/packet_network.h"
#include "hw/cluster.h"
#include "workloads/routing.h"

using namespace strata;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

using System = hw::ClusterPreset;

System preset(const std::string& name, int nodes) {
  System s = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + name + ".yaml");
  s.cluster.nodes = nodes;
  return s;
}

struct Backends {
  std::shared_ptr<models::Topology> topo;
  std::unique_ptr<models::FlowNetwork> flow;
  std::unique_ptr<models::PacketNetwork> packet;
};

Backends build(const System& s) {
  Backends b;
  b.topo = std::make_shared<models::Topology>(s.hardware, s.cluster);
  models::NetworkOptions o;
  o.flow_batching = 0;
  b.flow = std::make_unique<models::FlowNetwork>(b.topo, o);
  b.packet = std::make_unique<models::PacketNetwork>(b.topo, o);
  return b;
}

models::Schedule schedule_of(const Collective& c, CollectiveAlgorithm a, const models::Topology& t) {
  return models::plan_collective(c, a, t, false, models::NetworkOptions().ep_store_bytes);
}

/// What each vertex has sent and received so far (counters run across price() calls).
struct Counts {
  std::vector<double> sent, received;
};

Counts counts(const Backends& b) {
  Counts c;
  for (size_t v = 0; v < b.topo->vertices().size(); ++v) {
    c.sent.push_back(b.packet->vertex(int(v)).payload_sent());
    c.received.push_back(b.packet->vertex(int(v)).payload_received());
  }
  return c;
}

/// Bytes in = bytes out at every vertex and overall, every credit back, and every link to or
/// from a GPU or NIC (single path) carries what the flow backend routes over it.
void conserved(const Backends& b, const Counts& before, const models::ScheduleCost& pk,
               const models::ScheduleCost& fl, double sent_total, const std::string& what) {
  const models::Topology& t = *b.topo;
  Counts after = counts(b);
  std::vector<double> balance(t.vertices().size(), 0.0);
  double sent = 0, received = 0, worst_link = 0, outstanding = 0;
  for (size_t v = 0; v < balance.size(); ++v) {
    double s = after.sent[v] - before.sent[v], r = after.received[v] - before.received[v];
    sent += s, received += r;
    balance[v] = s - r;
  }
  for (int c = 0; c < t.channels(); ++c) {
    balance[t.channel_from(c)] -= pk.channel_bytes[c];
    balance[t.channel_to(c)] += pk.channel_bytes[c];
    outstanding += b.packet->link(c).credits_outstanding(sc_core::sc_time_stamp());
    auto kind = [&](int v) { return t.vertices()[v].kind; };
    bool endpoint = kind(t.channel_from(c)) == models::VertexKind::gpu || kind(t.channel_from(c)) == models::VertexKind::nic ||
                    kind(t.channel_to(c)) == models::VertexKind::gpu || kind(t.channel_to(c)) == models::VertexKind::nic;
    if (endpoint) worst_link = std::max(worst_link, std::fabs(pk.channel_bytes[c] - fl.channel_bytes[c]));
  }
  double worst_vertex = 0;
  for (double x : balance) worst_vertex = std::max(worst_vertex, std::fabs(x));
  check(std::fabs(sent - sent_total) <= 1e-6 * sent_total && std::fabs(received - sent_total) <= 1e-6 * sent_total,
        what + ": bytes sent = bytes received = " + std::to_string(sent_total));
  check(worst_vertex <= 1e-6 * sent_total,
        what + ": every vertex passes on what it takes in (max imbalance " + std::to_string(worst_vertex) + " B)");
  check(worst_link <= 1e-6 * sent_total,
        what + ": links to and from GPUs and NICs carry what the flow routes give them");
  check(outstanding == 0, what + ": every credit returned (" + std::to_string(outstanding) + " B outstanding)");
}

void near(double packet, double flow, double tol, const std::string& what) {
  double err = (packet - flow) / flow;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s: packet %.4g s vs flow %.4g s (%+.2f%%, within %.0f%%)", what.c_str(),
                packet, flow, err * 100, tol * 100);
  check(std::fabs(err) <= tol, buf);
}

Collective all_to_all(int gpus, double base) {
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  for (int a = 0; a < gpus; ++a) {
    c.ranks.push_back(a);
    for (int b = 0; b < gpus; ++b)
      if (a != b) c.flows.push_back({a, b, base * (1 + (a * 7 + b * 3) % 5)});
  }
  return c;
}

double total(const Collective& c) {
  double s = 0;
  for (const auto& f : c.flows) s += f.bytes;
  return s;
}

Collective by_size(CollectiveKind k, int n, double bytes) {
  std::vector<int> all(n);
  std::iota(all.begin(), all.end(), 0);
  return workloads::sized_collective(k, std::move(all), bytes);
}

Collective deepep(CollectiveKind k, int ep, int tokens, int node_limit, double bytes) {
  workloads::MoeSpec moe;
  moe.routed_experts = 256;
  moe.top_k = 8;
  moe.groups = node_limit > 0 ? ep / 8 : 1;
  moe.groups_per_token = node_limit > 0 ? std::min(node_limit, ep / 8) : 1;
  Collective c;
  c.kind = k;
  for (int r = 0; r < ep; ++r) c.ranks.push_back(r);
  c.tokens = std::make_shared<workloads::TokenRouting>(workloads::route_tokens(moe, 0, ep, tokens, 8, 1, 0));
  c.token_bytes = bytes;
  return c;
}

void conservation() {
  Backends b = build(preset("h800-ib-rail-fat-tree", 2));
  // One 64 B message across the fabric: latency as the flow backend and the hand sum give it.
  models::Schedule one;
  one.phases.push_back({{models::Transfer{0, 9, 64}}, 1});
  double pk = b.packet->price(one).time_s, fl = b.flow->price(one).time_s;
  near(pk, fl, 0.01, "64 B message, rail 0 to rail 1 through a spine");
  // Uneven all-to-all over NVLink and the network.
  Collective c = all_to_all(16, 1e6);
  models::Schedule s = schedule_of(c, CollectiveAlgorithm::direct, *b.topo);
  Counts before = counts(b);
  models::ScheduleCost p = b.packet->price(s), f = b.flow->price(s);
  conserved(b, before, p, f, total(c), "uneven all-to-all on 16 GPUs");
  near(p.time_s, f.time_s, 0.05, "uneven all-to-all on 16 GPUs");
}

void buffers() {
  System sys = preset("h800-ib-rail-fat-tree", 4);
  sys.cluster.fabric.tiers[0].switch_chip.buffer_per_port_bytes = 4096;  // a few packets
  sys.hardware.scale_up.switch_chip.buffer_per_port_bytes = 2048;
  Backends b = build(sys);
  // Incast: three nodes' rail-0 GPUs and the rest of node 0 all send to GPU 0.
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  c.ranks = {0, 1, 2, 3, 8, 16, 24};
  for (int s : {1, 2, 3, 8, 16, 24}) c.flows.push_back({s, 0, 4e6});
  models::Schedule s = schedule_of(c, CollectiveAlgorithm::direct, *b.topo);
  Counts before = counts(b);
  models::ScheduleCost p = b.packet->price(s), f = b.flow->price(s);
  conserved(b, before, p, f, total(c), "incast through 4 KiB switch buffers");
  double credits = 0;
  for (int ch = 0; ch < b.topo->channels(); ++ch) credits += b.packet->link(ch).credits_taken();
  check(credits > 0, "credits were taken");
  check(p.time_s >= f.time_s * 0.99, "tiny buffers cannot beat the fluid bound (" +
                                         std::to_string(p.time_s) + " vs " + std::to_string(f.time_s) + ")");
}

void node() {
  Backends b = build(preset("hgx-h100", 1));
  Collective ring = by_size(CollectiveKind::all_reduce, 8, 256e6);
  models::Schedule rs = schedule_of(ring, CollectiveAlgorithm::ring, *b.topo);
  near(b.packet->price(rs).time_s, b.flow->price(rs).time_s, 0.02, "ring all-reduce 256 MB on 8x H100");
  models::Schedule nv = schedule_of(ring, CollectiveAlgorithm::nvls, *b.topo);
  near(b.packet->price(nv).time_s, b.flow->price(nv).time_s, 0.06, "NVLS all-reduce 256 MB on 8x H100");
  Collective a2a = all_to_all(8, 4e6);
  models::Schedule as = schedule_of(a2a, CollectiveAlgorithm::direct, *b.topo);
  Counts before = counts(b);
  models::ScheduleCost p = b.packet->price(as), f = b.flow->price(as);
  near(p.time_s, f.time_s, 0.02, "uneven all-to-all on 8x H100");
  conserved(b, before, p, f, total(a2a), "uneven all-to-all on 8x H100");
}

void cluster() {
  Backends b = build(preset("h800-ib-rail-fat-tree", 4));
  Collective d = deepep(CollectiveKind::ep_dispatch, 32, 1024, 4, 7488);
  models::Schedule ds = schedule_of(d, CollectiveAlgorithm::node_forwarded, *b.topo);
  near(b.packet->price(ds).time_s, b.flow->price(ds).time_s, 0.03, "DeepEP normal dispatch EP32");
  Collective cm = deepep(CollectiveKind::ep_combine, 32, 1024, 4, 14336);
  models::Schedule cs = schedule_of(cm, CollectiveAlgorithm::node_forwarded, *b.topo);
  near(b.packet->price(cs).time_s, b.flow->price(cs).time_s, 0.03, "DeepEP normal combine EP32");
  Collective ll = deepep(CollectiveKind::ep_dispatch, 32, 128, 0, 7408);
  models::Schedule ls = schedule_of(ll, CollectiveAlgorithm::per_expert, *b.topo);
  near(b.packet->price(ls).time_s, b.flow->price(ls).time_s, 0.10, "DeepEP low-latency dispatch EP32");
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "conservation") conservation();
    else if (mode == "buffers") buffers();
    else if (mode == "node") node();
    else if (mode == "cluster") cluster();
    else {
      std::fprintf(stderr, "usage: %s conservation|buffers|node|cluster\n", argv[0]);
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "FAIL: %s\n", e.what());
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
