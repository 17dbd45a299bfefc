#include "models/network/topology.h"

#include "workloads/routing.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>

namespace strata::models {

const char* vertex_kind_name(VertexKind k) {
  switch (k) {
    case VertexKind::gpu: return "gpu";
    case VertexKind::nic: return "nic";
    case VertexKind::node_switch: return "node_switch";
    case VertexKind::nvlink_spine: return "nvlink_spine";
    case VertexKind::leaf: return "leaf";
    case VertexKind::spine: return "spine";
  }
  return "?";
}

const char* link_tier_name(LinkTier t) {
  switch (t) {
    case LinkTier::scale_up: return "scale_up";
    case LinkTier::host: return "host";
    case LinkTier::scale_out: return "scale_out";
  }
  return "?";
}

namespace {

std::string str(int v) { return std::to_string(v); }

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("topology: " + what); }

/// A link must fit the ports at both of its ends.
void check_rate(const hw::LinkSpec& link, double port_rate, const std::string& port) {
  if (link.data_rate() > port_rate * (1 + 1e-9))
    fail(link.name + " (" + config::format_display(link.data_rate(), config::Dim::data_rate) +
         ") is faster than a " + port + " port (" +
         config::format_display(port_rate, config::Dim::data_rate) + ")");
}

/// A vertex for `chips` switch chips of one kind working as one non-blocking tier.
TopoVertex switch_vertex(VertexKind kind, const hw::SwitchSpec& chip, int chips, std::string name,
                         int plane = -1) {
  TopoVertex v;
  v.kind = kind;
  v.plane = plane;
  v.chips = chips;
  v.latency_s = chip.latency_s;
  v.reduction_rate = chip.in_network_reduction ? chips * chip.reduction_rate_bytes_per_s : 0;
  v.buffer_per_port_bytes = chip.buffer_per_port_bytes;
  // A node's switch chips are part of its overhead power (hardware.node_overhead_power).
  v.name = std::move(name);
  return v;
}

}  // namespace

Topology::Topology(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster)
    : gpus_(cluster.nodes * node.gpus_per_node),
      nodes_(cluster.nodes),
      gpus_per_node_(node.gpus_per_node),
      domain_nodes_(cluster.nvlink_domain.nodes),
      planes_(cluster.fabric.planes),
      ecmp_(cluster.fabric.ecmp),
      nvlink_overhead_s_(node.scale_up.message_overhead_s),
      nic_overhead_s_(node.scale_out.nic.message_overhead_s) {
  const int domain_nodes = cluster.nvlink_domain.nodes;
  for (int r = 0; r < gpus_; ++r) {
    TopoVertex v;
    v.kind = VertexKind::gpu;
    v.node = r / gpus_per_node_;
    v.domain = v.node / domain_nodes;
    v.name = "gpu" + str(r);
    add_vertex(v);
  }
  build_scale_up(node, cluster);
  build_fabric(node, cluster);
  index_routes();
}

void Topology::index_routes() {
  for (int c = 0; c < channels(); ++c) {
    const TopoVertex& to = vertices_[channel_to(c)];
    channel_latency_.push_back(channel_edge(c).link.latency_s + (to.kind == VertexKind::gpu ? 0 : to.latency_s));
    enters_nic_.push_back(to.kind == VertexKind::nic);
  }
  gpu_up_.assign(gpus_, -1), gpu_down_.assign(gpus_, -1), gpu_out_.assign(gpus_, -1), gpu_in_.assign(gpus_, -1);
  for (int g = 0; g < gpus_; ++g) {
    gpu_up_[g] = channel_between(g, node_switch_[node_of(g)]);
    gpu_down_[g] = channel_between(node_switch_[node_of(g)], g);
    if (nic_of(g) >= 0) gpu_out_[g] = channel_between(g, nic_of(g)), gpu_in_[g] = channel_between(nic_of(g), g);
  }
  never_binds_.assign(channels(), 0);
  for (int v = 0; v < static_cast<int>(vertices_.size()); ++v)
    if (vertices_[v].kind == VertexKind::nic) {
      int leaf = adjacency_[v].back().first;  // a NIC's last neighbour is its leaf
      nic_leaf_[v] = {leaf, channel_between(v, leaf), channel_between(leaf, v)};
      if (adjacency_[v].size() != 2) continue;  // shared by several GPUs
      // Routes never end at a NIC: GPU -> NIC goes on to the leaf, leaf -> NIC on to the GPU.
      int gpu = adjacency_[v].front().first;
      for (auto [a, b] : {std::pair{channel_between(gpu, v), channel_between(v, leaf)},
                          std::pair{channel_between(v, gpu), channel_between(leaf, v)}}) {
        if (channel_edge(a).payload_rate() >= channel_edge(b).payload_rate())
          never_binds_[a] = 1;
        else
          never_binds_[b] = 1;
      }
    }
}

int Topology::add_vertex(TopoVertex v) {
  vertices_.push_back(std::move(v));
  adjacency_.emplace_back();
  boost::add_vertex(graph_);
  return static_cast<int>(vertices_.size()) - 1;
}

int Topology::add_edge(int a, int b, int links, const hw::LinkSpec& link, LinkTier tier) {
  int id = static_cast<int>(edges_.size());
  edges_.push_back(TopoEdge{a, b, links, link, tier});
  adjacency_[a].push_back({b, id});
  adjacency_[b].push_back({a, id});
  boost::add_edge(a, b, id, graph_);
  return id;
}

void Topology::build_scale_up(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster) {
  const hw::ScaleUpSpec& up = node.scale_up;
  const hw::SwitchSpec& chip = up.switch_chip;
  for (int n = 0; n < nodes_; ++n) {
    TopoVertex v = switch_vertex(VertexKind::node_switch, chip, up.switches, "nvsw" + str(n));
    v.node = n;
    v.domain = n / cluster.nvlink_domain.nodes;
    int sw = add_vertex(v);
    node_switch_.push_back(sw);
    for (int l = 0; l < gpus_per_node_; ++l)
      add_edge(n * gpus_per_node_ + l, sw, up.links, up.link, LinkTier::scale_up);
  }
  const hw::NvlinkDomainSpec& dom = cluster.nvlink_domain;
  if (dom.nodes == 1) return;
  const hw::SwitchTierSpec& tier = dom.tiers.at(0);
  int uplinks = up.switches * chip.ports - gpus_per_node_ * up.links;
  if (uplinks <= 0)
    fail("an NVLink domain of " + str(dom.nodes) + " nodes needs free ports on each node's " +
         str(up.switches) + " x " + chip.name + " for spine uplinks; all " +
         str(up.switches * chip.ports) + " face the GPUs (raise hardware.scale_up.switches)");
  check_rate(tier.link, chip.port_rate_bytes_per_s, chip.name);
  check_rate(tier.link, tier.switch_chip.port_rate_bytes_per_s, tier.switch_chip.name);
  long need = long(dom.nodes) * uplinks;
  int chips = tier.count > 0 ? tier.count : int((need + tier.switch_chip.ports - 1) / tier.switch_chip.ports);
  if (long(chips) * tier.switch_chip.ports < need)
    fail(str(chips) + " NVLink spine chips have " + str(chips * tier.switch_chip.ports) +
         " ports; " + str(dom.nodes) + " nodes x " + str(uplinks) + " uplinks need " + str(int(need)));
  for (int d = 0; d < nodes_ / dom.nodes; ++d) {
    TopoVertex v = switch_vertex(VertexKind::nvlink_spine, tier.switch_chip, chips, "nvspine" + str(d));
    v.domain = d;
    int sp = add_vertex(v);
    for (int n = d * dom.nodes; n < (d + 1) * dom.nodes; ++n)
      add_edge(node_switch_[n], sp, uplinks, tier.link, LinkTier::scale_up);
  }
}

void Topology::build_fabric(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster) {
  const hw::FabricSpec& fab = cluster.fabric;
  if (fab.tiers.empty()) return;
  const int nics = node.scale_out.nics_per_node;
  const hw::NicSpec& nic = node.scale_out.nic;
  if (nics == 0) fail("a scale-out fabric needs NICs (hardware.scale_out.nics_per_node > 0)");
  if (nics > gpus_per_node_)
    fail("more NICs than GPUs per node (" + str(nics) + " > " + str(gpus_per_node_) +
         ") is not supported: each GPU sends through one NIC");
  if (nics % planes_ != 0)
    fail("fabric.planes (" + str(planes_) + ") must divide nics_per_node (" + str(nics) + ")");

  // NICs, each with a PCIe link to every GPU that shares it.
  for (int n = 0; n < nodes_; ++n)
    for (int r = 0; r < nics; ++r) {
      TopoVertex v;
      v.kind = VertexKind::nic;
      v.node = n;
      v.plane = r % planes_;
      v.latency_s = nic.latency_s;
      v.name = "nic" + str(n * nics + r);
      add_vertex(v);
    }
  // NICs were added after the node switches; list their vertices in (node, rail) order.
  std::vector<int> nic_vertex(size_t(nodes_) * nics);
  {
    int k = 0;
    for (int v = 0; v < static_cast<int>(vertices_.size()); ++v)
      if (vertices_[v].kind == VertexKind::nic) nic_vertex[k++] = v;
  }
  nic_of_gpu_.assign(gpus_, -1);
  for (int g = 0; g < gpus_; ++g) {
    int n = node_of(g), rail = local_rank(g) * nics / gpus_per_node_;
    int nv = nic_vertex[size_t(n) * nics + rail];
    nic_of_gpu_[g] = nv;
    add_edge(g, nv, 1, nic.host_link, LinkTier::host);
  }

  const hw::SwitchTierSpec& t0 = fab.tiers[0];
  const bool two_tier = fab.tiers.size() == 2;
  const int ports = t0.switch_chip.ports;
  const int down = t0.down_ports > 0 ? t0.down_ports : (two_tier ? ports / 2 : ports);
  if (down > ports) fail("leaf down_ports (" + str(down) + ") exceeds its " + str(ports) + " ports");
  check_rate(t0.link, nic.port_rate_bytes_per_s, nic.name);
  check_rate(t0.link, t0.switch_chip.port_rate_bytes_per_s, t0.switch_chip.name);
  for (int p = 0; p < planes_; ++p) {
    std::vector<int> rails;
    for (int r = p; r < nics; r += planes_) rails.push_back(r);
    // Leaf of every NIC of this plane.
    std::vector<std::pair<int, int>> nic_leaf;  // (nic vertex, leaf index in plane)
    int leaves = 0;
    if (fab.rail_optimised) {
      int per_rail = (nodes_ + down - 1) / down;
      for (size_t i = 0; i < rails.size(); ++i)
        for (int n = 0; n < nodes_; ++n)
          nic_leaf.push_back({nic_vertex[size_t(n) * nics + rails[i]], int(i) * per_rail + n / down});
      leaves = per_rail * int(rails.size());
    } else {
      int k = 0;
      for (int n = 0; n < nodes_; ++n)
        for (int r : rails) nic_leaf.push_back({nic_vertex[size_t(n) * nics + r], k++ / down});
      leaves = (k + down - 1) / down;
    }
    if (!two_tier && leaves > 1)
      fail(str(int(nic_leaf.size())) + " NICs per plane need " + str(leaves) + " leaves of " +
           str(down) + " ports; add a spine tier to fabric.tiers");
    std::vector<int> leaf_v;
    for (int i = 0; i < leaves; ++i)
      leaf_v.push_back(add_vertex(switch_vertex(VertexKind::leaf, t0.switch_chip, 1, "leaf.p" + str(p) + "." + str(i), p)));
    for (auto [nv, li] : nic_leaf) add_edge(nv, leaf_v[li], 1, t0.link, LinkTier::scale_out);
    if (!two_tier) continue;
    const hw::SwitchTierSpec& t1 = fab.tiers[1];
    int up = ports - down;
    if (up <= 0) fail("leaves need up ports for the spine tier (down_ports < ports)");
    check_rate(t1.link, t0.switch_chip.port_rate_bytes_per_s, t0.switch_chip.name);
    check_rate(t1.link, t1.switch_chip.port_rate_bytes_per_s, t1.switch_chip.name);
    if (leaves > t1.switch_chip.ports)
      fail(str(int(nic_leaf.size())) + " NICs per plane need " + str(leaves) + " leaves, but a spine of " +
           str(t1.switch_chip.ports) + " ports reaches at most " + str(t1.switch_chip.ports) +
           ": a two-tier fat tree takes at most " + str(t1.switch_chip.ports * down) +
           " NICs per plane (add planes)");
    long need = long(leaves) * up;
    int spines = t1.count > 0 ? t1.count : int((need + t1.switch_chip.ports - 1) / t1.switch_chip.ports);
    if (long(spines) * t1.switch_chip.ports < need)
      fail(str(spines) + " spines of " + str(t1.switch_chip.ports) + " ports cannot take " +
           str(leaves) + " leaves x " + str(up) + " uplinks per plane");
    if (up % spines != 0)
      fail(str(up) + " uplinks per leaf do not spread evenly over " + str(spines) + " spines");
    for (int s = 0; s < spines; ++s) {
      int sv = add_vertex(switch_vertex(VertexKind::spine, t1.switch_chip, 1, "spine.p" + str(p) + "." + str(s), p));
      for (int lv : leaf_v) add_edge(lv, sv, up / spines, t1.link, LinkTier::scale_out);
    }
  }
}

int Topology::nvlink_spine(int domain) const {
  for (int v = 0; v < static_cast<int>(vertices_.size()); ++v)
    if (vertices_[v].kind == VertexKind::nvlink_spine && vertices_[v].domain == domain) return v;
  return -1;
}

bool Topology::is_switch(int v) const {
  VertexKind k = vertices_[v].kind;
  return k != VertexKind::gpu && k != VertexKind::nic;
}

std::string Topology::channel_name(int c) const {
  return vertices_[channel_from(c)].name + ">" + vertices_[channel_to(c)].name;
}

const std::vector<int>& Topology::switch_distances(int to) const {
  auto it = distance_cache_.find(to);
  if (it != distance_cache_.end()) return it->second;
  std::vector<int> dist(vertices_.size(), std::numeric_limits<int>::max());
  // BFS over the switches only: GPUs and NICs are endpoints, never relays between switches.
  struct OnlySwitches {  // Boost needs a default-constructible, assignable predicate
    const Topology* t = nullptr;
    bool operator()(Graph::vertex_descriptor v) const { return t->is_switch(int(v)); }
  };
  boost::filtered_graph<Graph, boost::keep_all, OnlySwitches> g(graph_, boost::keep_all(),
                                                                OnlySwitches{this});
  dist[to] = 0;
  boost::breadth_first_search(
      g, Graph::vertex_descriptor(to),
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(
          boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, graph_)),
          boost::on_tree_edge()))));
  return distance_cache_.emplace(to, std::move(dist)).first->second;
}

int Route::hops() const {
  int n = 0;
  for (int i = 0; i < size; ++i) n += segments[i].path ? int(segments[i].path->hops.size()) : 1;
  return n;
}

int Topology::channel_between(int a, int b) const {
  // Search the shorter neighbour list: switches have many neighbours, GPUs and NICs few.
  bool from_b = adjacency_[b].size() < adjacency_[a].size();
  for (auto [y, e] : adjacency_[from_b ? b : a])
    if (y == (from_b ? a : b)) return channel_of(e, edges_[e].a != a);
  fail("no link between " + vertices_[a].name + " and " + vertices_[b].name);
}

void Topology::append(Route& r, int channel) const {
  if (r.size == Route::kMaxSegments) fail("route too long");
  r.segments[r.size++] = Route::Segment{channel, nullptr};
  r.latency_s += channel_latency_[channel];
  if (enters_nic_[channel]) r.crosses_network = true;
}

void Topology::append_switch_path(Route& r, int u, int v, uint64_t flow_hash) const {
  if (u == v) return;
  // Hashing pins a flow to one of at most 64 variants per switch pair, so paths stay cached.
  int variant = ecmp_ == hw::Ecmp::hash ? int(flow_hash % 64) : 0;
  const SwitchPath& p = switch_path(u, v, variant);
  if (r.size == Route::kMaxSegments) fail("route too long");
  r.segments[r.size++] = Route::Segment{-1, &p};
  r.latency_s += p.latency_s;
}

const SwitchPath& Topology::switch_path(int u, int v, int variant) const {
  uint64_t key = (uint64_t(u) * vertices_.size() + uint64_t(v)) * 64 + uint64_t(variant);
  auto it = path_cache_.find(key);
  if (it != path_cache_.end()) return *it->second;
  const std::vector<int>& dist = switch_distances(v);
  if (dist[u] == std::numeric_limits<int>::max())
    fail("no path between " + vertices_[u].name + " and " + vertices_[v].name);
  auto path = std::make_unique<SwitchPath>();
  std::map<int, double> frontier{{u, 1.0}};
  int depth = 0;
  while (!(frontier.size() == 1 && frontier.begin()->first == v)) {
    std::map<int, double> layer, next;
    double link_lat = 0, sw_lat = 0;
    for (auto [x, w] : frontier) {
      std::vector<std::pair<int, int>> cand;  // (neighbour, edge) one hop closer to v
      double total = 0;
      for (auto [y, e] : adjacency_[x])
        if (is_switch(y) && dist[y] == dist[x] - 1) cand.push_back({y, e}), total += edges_[e].payload_rate();
      if (ecmp_ == hw::Ecmp::hash) {
        // Pin to one link of one bundle, every link equally likely.
        int links = 0;
        for (auto [y, e] : cand) links += edges_[e].links;
        int pick = int(workloads::derive_seed(uint64_t(variant), uint64_t(x), uint64_t(depth)) % uint64_t(links));
        for (auto [y, e] : cand) {
          if (pick < edges_[e].links) {
            cand = {{y, e}};
            total = edges_[e].payload_rate();
            break;
          }
          pick -= edges_[e].links;
        }
      }
      for (auto [y, e] : cand) {
        double share = w * edges_[e].payload_rate() / total;
        layer[channel_of(e, edges_[e].a != x)] += share;
        next[y] += share;
        link_lat = std::max(link_lat, edges_[e].link.latency_s);
        sw_lat = std::max(sw_lat, vertices_[y].latency_s);
      }
    }
    std::vector<SwitchPath::Use> uses;
    for (auto [c, sh] : layer) uses.push_back({c, sh});
    path->hops.push_back(std::move(uses));
    path->latency_s += link_lat + sw_lat;
    frontier = std::move(next);
    ++depth;
  }
  return *path_cache_.emplace(key, std::move(path)).first->second;
}

void Topology::direct_route(Route& r, int src, int dst, uint64_t flow_hash) const {
  bool src_gpu = vertices_[src].kind == VertexKind::gpu, dst_gpu = vertices_[dst].kind == VertexKind::gpu;
  if (!src_gpu && !dst_gpu) fail("a route needs a GPU at one end");
  // Attach points in the scale-up fabric.
  int up_src = src_gpu ? node_switch_[node_of(src)] : src;
  int up_dst = dst_gpu ? node_switch_[node_of(dst)] : dst;
  if (vertices_[up_src].domain == vertices_[up_dst].domain) {
    if (src_gpu) append(r, gpu_up_[src]);
    append_switch_path(r, up_src, up_dst, flow_hash);
    if (dst_gpu) append(r, gpu_down_[dst]);
    return;
  }
  if (!src_gpu || !dst_gpu)
    fail("in-network reduction at " + vertices_[src_gpu ? dst : src].name +
         " is out of reach of GPUs outside its NVLink domain");
  int na = nic_of(src), nb = nic_of(dst);
  if (na < 0 || nb < 0)
    fail(vertices_[src].name + " and " + vertices_[dst].name +
         " are in different NVLink domains and the cluster has no scale-out fabric");
  const std::array<int, 3>& a = nic_leaf_.at(na);  // (leaf, NIC to leaf, leaf to NIC)
  const std::array<int, 3>& b = nic_leaf_.at(nb);
  append(r, gpu_out_[src]);
  append(r, a[1]);
  append_switch_path(r, a[0], b[0], flow_hash);
  append(r, b[2]);
  append(r, gpu_in_[dst]);
}

Route Topology::route(int src, int dst) const {
  Route r;
  if (src == dst) return r;
  uint64_t h = workloads::derive_seed(uint64_t(src), uint64_t(dst), 0);
  bool gpus = vertices_[src].kind == VertexKind::gpu && vertices_[dst].kind == VertexKind::gpu;
  if (!gpus || domain_of(src) == domain_of(dst) || nic_of(src) < 0 ||
      vertices_[nic_of(src)].plane == vertices_[nic_of(dst)].plane) {
    direct_route(r, src, dst, h);
    return r;
  }
  // Different planes: relay over NVLink to the GPU of this node whose NIC is in the
  // destination's plane, preferring the one with the destination's local rank (PXN).
  int want = vertices_[nic_of(dst)].plane, base = node_of(src) * gpus_per_node_, fwd = -1;
  for (int i = 0; i < gpus_per_node_ && fwd < 0; ++i) {
    int g = base + (local_rank(dst) + i) % gpus_per_node_;
    if (vertices_[nic_of(g)].plane == want) fwd = g;
  }
  if (fwd < 0) fail("no GPU of node " + str(node_of(src)) + " reaches plane " + str(want));
  direct_route(r, src, fwd, h);
  direct_route(r, fwd, dst, h);
  r.forwarder = fwd;
  return r;
}

double Topology::message_overhead(const Route& r) const {
  if (!r.crosses_network) return nvlink_overhead_s_;
  return nic_overhead_s_ + (r.forwarder >= 0 ? nvlink_overhead_s_ : 0.0);
}

int Topology::degree(int v) const {
  int links = 0;
  for (auto [y, e] : adjacency_[v]) links += edges_[e].links;
  return links;
}

int Topology::diameter() const {
  std::vector<int> sources;
  for (int l = 0; l < gpus_per_node_; ++l) {
    sources.push_back(l);
    sources.push_back(gpus_ - gpus_per_node_ + l);
  }
  int diam = 0;
  std::vector<int> dist(vertices_.size());
  for (int s : sources) {
    std::fill(dist.begin(), dist.end(), -1);
    dist[s] = 0;
    boost::breadth_first_search(
        graph_, Graph::vertex_descriptor(s),
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(
            boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, graph_)),
            boost::on_tree_edge()))));
    for (int g = 0; g < gpus_; ++g) {
      if (dist[g] < 0 && g != s) fail(vertices_[g].name + " is unreachable from " + vertices_[s].name);
      diam = std::max(diam, dist[g]);
    }
  }
  return diam;
}

double Topology::bisection_bandwidth() const {
  // Integer capacities (bytes/s, rounded): push-relabel's conservation holds exactly only in
  // exact arithmetic. With doubles and an "unlimited" 1e30 source arc, excesses lost their low
  // digits and Boost's own check (assert is_flow, seen in the ASan build) failed.
  using Capacity = long long;
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Flow = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, Capacity,
                      boost::property<boost::edge_residual_capacity_t, Capacity,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  const int n = static_cast<int>(vertices_.size());
  Flow g(n + 2);
  auto cap = boost::get(boost::edge_capacity, g);
  auto rev = boost::get(boost::edge_reverse, g);
  auto arc = [&](int a, int b, Capacity c) {
    auto e = boost::add_edge(a, b, g).first, r = boost::add_edge(b, a, g).first;
    cap[e] = c, cap[r] = 0, rev[e] = r, rev[r] = e;
  };
  // A GPU's arc from the source (or to the sink) is "unlimited" at what its own links carry;
  // these sum to at most all links' capacity (16,384 GPUs: ~1e16, far below 9.2e18).
  std::vector<Capacity> attached(n, 0);
  for (const TopoEdge& e : edges_) {
    const Capacity c = std::llround(e.payload_rate());
    arc(e.a, e.b, c);
    arc(e.b, e.a, c);
    attached[e.a] += c, attached[e.b] += c;
  }
  const int source = n, sink = n + 1;
  // Halves: the first and second half of the nodes, or of the GPUs when there is one node.
  for (int r = 0; r < gpus_; ++r) {
    bool first = nodes_ == 1 ? local_rank(r) < gpus_per_node_ / 2 : node_of(r) < nodes_ / 2;
    if (first)
      arc(source, r, attached[r] + 1);
    else
      arc(r, sink, attached[r] + 1);
  }
  return double(boost::push_relabel_max_flow(g, source, sink));
}

}  // namespace strata::models
