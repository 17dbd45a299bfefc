// The cluster as a graph (Boost.Graph): GPUs, NICs and switches as vertices, full-duplex link
// bundles as edges. Each direction of a bundle is a channel, the unit the network models price.
// Built from the node hardware and the cluster wiring; routes GPUs to GPUs (and to switches that
// reduce in the network) over shortest paths with ECMP.
//
// Vertex order: GPUs first (vertex = rank), then NICs, node switches, NVLink spines, leaves and
// spines. A node's NVSwitch chips are one vertex: every GPU of the node spreads its links over
// all of them, so as a tier they are one non-blocking crossbar (likewise an NVLink spine tier).
#pragma once

#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <memory>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "hw/cluster.h"
#include "hw/hardware.h"

namespace strata::models {

enum class VertexKind { gpu, nic, node_switch, nvlink_spine, leaf, spine };
const char* vertex_kind_name(VertexKind k);

/// Which part of the system a link belongs to (the `kind` column of the links table).
enum class LinkTier { scale_up, host, scale_out };
const char* link_tier_name(LinkTier t);

struct TopoVertex {
  VertexKind kind = VertexKind::gpu;
  int node = -1;    ///< node of a GPU, NIC or node switch
  int domain = -1;  ///< NVLink domain of a GPU, node switch or NVLink spine
  int plane = -1;   ///< fabric plane of a NIC, leaf or spine
  int chips = 1;    ///< switch chips merged into this vertex
  double latency_s = 0;              ///< switch or NIC pipeline latency
  double reduction_rate = 0;         ///< bytes/s of reduced output (0: cannot reduce)
  double buffer_per_port_bytes = 0;  ///< switch input buffer per port
  std::string name;                  ///< "gpu3", "nic3", "nvsw0", "leaf.p0.2", "spine.p0.1"
};

/// A full-duplex bundle of `links` identical links between vertices a and b.
struct TopoEdge {
  int a = 0, b = 0;
  int links = 1;
  hw::LinkSpec link;
  LinkTier tier = LinkTier::scale_up;

  double payload_rate() const { return links * link.payload_rate(); }  ///< per direction
  double data_rate() const { return links * link.data_rate(); }        ///< per direction
};

/// Channel c is edge c / 2 in direction a -> b (c even) or b -> a (c odd).
inline int channel_of(int edge, bool reverse) { return 2 * edge + (reverse ? 1 : 0); }

/// Part of a route between two switches, spread over equal-cost paths (ECMP): per hop, the
/// channels used and the share of the traffic on each. Cached and shared by every route between
/// the same two switches.
struct SwitchPath {
  struct Use {
    int channel = 0;
    double share = 1;  ///< fraction of the route's bytes on this channel
  };
  std::vector<std::vector<Use>> hops;
  double latency_s = 0;  ///< links and switches entered along the way
};

/// Where traffic goes from one vertex to another: single channels and shared switch paths, in
/// path order. Small and allocation-free, since collectives route millions of transfers.
struct Route {
  struct Segment {
    int channel = -1;                   ///< one channel, or
    const SwitchPath* path = nullptr;   ///< a cached multi-hop switch path
  };
  static constexpr int kMaxSegments = 12;
  Segment segments[kMaxSegments];
  int size = 0;
  double latency_s = 0;          ///< links, switches and NICs along the way
  bool crosses_network = false;  ///< passes a NIC (the NIC's message overhead applies)
  int forwarder = -1;            ///< GPU that relays it over NVLink into another plane (PXN)

  /// Calls f(channel, share) for every channel the route uses.
  template <class F>
  void for_each_use(F f) const {
    for (int i = 0; i < size; ++i) {
      if (segments[i].path) {
        for (const auto& hop : segments[i].path->hops)
          for (const SwitchPath::Use& u : hop) f(u.channel, u.share);
      } else {
        f(segments[i].channel, 1.0);
      }
    }
  }
  /// Hops (channels in sequence) from source to destination.
  int hops() const;
};

class Topology {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                      boost::no_property, boost::property<boost::edge_index_t, int>>;

  /// Throws std::invalid_argument when the wiring cannot be built (too few ports, ...).
  Topology(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster);

  int gpus() const { return gpus_; }
  int nodes() const { return nodes_; }
  int gpus_per_node() const { return gpus_per_node_; }
  int node_of(int rank) const { return rank / gpus_per_node_; }
  int local_rank(int rank) const { return rank % gpus_per_node_; }
  int domain_of(int rank) const { return vertices_[rank].domain; }
  int gpus_per_domain() const { return gpus_per_node_ * domain_nodes_; }
  /// The spine vertex of an NVLink domain of several nodes, or -1.
  int nvlink_spine(int domain) const;
  /// The NIC a GPU sends through, or -1 when the cluster has no fabric.
  int nic_of(int rank) const { return nic_of_gpu_.empty() ? -1 : nic_of_gpu_[rank]; }
  /// The vertex of a node's NVSwitch chips.
  int node_switch(int node) const { return node_switch_[node]; }
  int planes() const { return planes_; }

  const std::vector<TopoVertex>& vertices() const { return vertices_; }
  const std::vector<TopoEdge>& edges() const { return edges_; }
  const Graph& graph() const { return graph_; }
  int channels() const { return 2 * static_cast<int>(edges_.size()); }
  int channel_from(int c) const { return c % 2 ? edges_[c / 2].b : edges_[c / 2].a; }
  int channel_to(int c) const { return c % 2 ? edges_[c / 2].a : edges_[c / 2].b; }
  const TopoEdge& channel_edge(int c) const { return edges_[c / 2]; }
  /// "gpu3>nvsw0"
  std::string channel_name(int c) const;

  /// Route from GPU or switch `src` to GPU or switch `dst`; throws std::invalid_argument if none.
  Route route(int src, int dst) const;
  /// True when every route over channel c also crosses a channel no faster than c, so c never
  /// limits a flow (the PCIe link of a NIC that serves one GPU, beside the NIC's port).
  bool never_binds(int c) const { return never_binds_[c]; }
  /// Message overhead a transfer over `r` pays once (NVLink software, or the NIC's).
  double message_overhead(const Route& r) const;

  // ---- structural checks
  /// Links (not bundles) at a vertex: GPU NVLinks + its NIC share, switch ports in use.
  int degree(int vertex) const;
  /// Longest shortest path between two GPUs in hops, relaying only through switches and NICs;
  /// the maximum over sources in the first and the last node (every preset is node-symmetric).
  int diameter() const;
  /// Payload bytes/s that can cross from the first half of the nodes to the second (max flow).
  double bisection_bandwidth() const;

 private:
  int add_vertex(TopoVertex v);
  int add_edge(int a, int b, int links, const hw::LinkSpec& link, LinkTier tier);
  void build_scale_up(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster);
  void build_fabric(const hw::HardwareSpec& node, const hw::ClusterSpec& cluster);
  bool is_switch(int v) const;
  /// Hops between switches u and v (ECMP layers); u == v gives none.
  /// The cached path between switches u != v (ECMP variant `variant` when hashing).
  const SwitchPath& switch_path(int u, int v, int variant) const;
  const std::vector<int>& switch_distances(int to) const;
  int channel_between(int a, int b) const;
  void append(Route& r, int channel) const;
  void append_switch_path(Route& r, int u, int v, uint64_t flow_hash) const;
  void direct_route(Route& r, int src, int dst, uint64_t flow_hash) const;

  /// Per-channel and per-GPU lookups for the hot routing path.
  void index_routes();

  int gpus_ = 0, nodes_ = 0, gpus_per_node_ = 0, domain_nodes_ = 1, planes_ = 1;
  hw::Ecmp ecmp_ = hw::Ecmp::split;
  double nvlink_overhead_s_ = 0, nic_overhead_s_ = 0;
  std::vector<TopoVertex> vertices_;
  std::vector<TopoEdge> edges_;
  std::vector<std::vector<std::pair<int, int>>> adjacency_;  ///< per vertex: (neighbour, edge)
  std::vector<int> nic_of_gpu_, node_switch_;
  std::vector<double> channel_latency_;  ///< link latency plus the pipeline of the vertex entered
  std::vector<char> enters_nic_, never_binds_;
  /// Per GPU: channels up to / down from its node switch, to / from its NIC; per NIC vertex:
  /// its leaf and the channels to / from it (-1 where absent).
  std::vector<int> gpu_up_, gpu_down_, gpu_out_, gpu_in_;
  std::unordered_map<int, std::array<int, 3>> nic_leaf_;
  Graph graph_;
  // BFS distances towards a switch and switch paths, computed on first use (not thread-safe).
  mutable std::map<int, std::vector<int>> distance_cache_;
  mutable std::unordered_map<uint64_t, std::unique_ptr<SwitchPath>> path_cache_;
};

}  // namespace strata::models
