#include "sim/validate/network_kinds.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "hw/cluster.h"
#include "hw/hardware.h"
#include "models/network/backends.h"
#include "models/network/bill_of_materials.h"
#include "workloads/routing.h"

namespace strata::validate {
using config::Dim;
using config::Schema;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

/// What every network case runs on: node hardware, its wiring, how the network is simulated.
/// A cluster preset (configs/clusters/) fills hardware and cluster: params: {base: ...}.
struct System {
  hw::HardwareSpec hardware;
  hw::ClusterSpec cluster;
  models::NetworkOptions network;
};

template <class P>
void system_keys(Schema<P>& s) {
  // Explicit types: the members belong to the base, which template deduction would not convert.
  s.template child<hw::HardwareSpec>("hardware", &P::hardware,
                                     "Node hardware (a cluster preset as params base fills it)");
  s.template child<hw::ClusterSpec>("cluster", &P::cluster,
                                    "Nodes and wiring (a cluster preset as params base fills it)");
  s.template child<models::NetworkOptions>("network", &P::network,
                                           "How the network is simulated (default: flow backend)");
}

std::unique_ptr<models::ScheduledNetwork> build(const System& s) {
  return models::make_network(std::make_shared<models::Topology>(s.hardware, s.cluster), s.network);
}

struct CollectiveParams : System {
  CollectiveKind collective = CollectiveKind::all_reduce;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::automatic;
  double bytes = 0;
  int ranks = 0;

  static const Schema<CollectiveParams>& schema() {
    static const Schema<CollectiveParams> s = [] {
      Schema<CollectiveParams> s("collective_bandwidth params", "A collective given by size");
      system_keys(s);
      s.choice("collective", &CollectiveParams::collective,
               {{"all_reduce", CollectiveKind::all_reduce},
                {"reduce_scatter", CollectiveKind::reduce_scatter},
                {"all_gather", CollectiveKind::all_gather},
                {"broadcast", CollectiveKind::broadcast}},
               "Collective, as nccl-tests runs it");
      s.choice("algorithm", &CollectiveParams::algorithm,
               {{"automatic", CollectiveAlgorithm::automatic},
                {"ring", CollectiveAlgorithm::ring},
                {"tree", CollectiveAlgorithm::tree},
                {"nvls", CollectiveAlgorithm::nvls}},
               "Algorithm (NCCL_ALGO)")
          .def("automatic");
      s.quantity("bytes", &CollectiveParams::bytes, Dim::bytes, "Buffer size (nccl-tests size)").positive();
      s.integer("ranks", &CollectiveParams::ranks, "GPUs taking part, from rank 0 (0 = all)")
          .def("0").min(0).max(1 << 20);
      return s;
    }();
    return s;
  }
};

struct MessageParams : System {
  int src = 0, dst = 1;
  double bytes = 0;

  static const Schema<MessageParams>& schema() {
    static const Schema<MessageParams> s = [] {
      Schema<MessageParams> s("message params", "One message from one GPU to another");
      system_keys(s);
      s.integer("src", &MessageParams::src, "Sending GPU").min(0).max(1 << 20);
      s.integer("dst", &MessageParams::dst, "Receiving GPU").min(0).max(1 << 20);
      s.quantity("bytes", &MessageParams::bytes, Dim::bytes, "Message size").positive();
      return s;
    }();
    return s;
  }
};

enum class EpKernel { normal, low_latency };

struct DeepEpParams : System {
  int ep = 8;
  int tokens = 0;
  int hidden = 0;
  int top_k = 0;
  int experts = 0;
  int node_limit = 0;
  EpKernel kernel = EpKernel::normal;
  int64_t seed = 1;

  static const Schema<DeepEpParams>& schema() {
    static const Schema<DeepEpParams> s = [] {
      Schema<DeepEpParams> s("deepep params", "A DeepEP benchmark (tests/test_*.py of deepseek-ai/DeepEP)");
      system_keys(s);
      s.integer("ep", &DeepEpParams::ep, "Expert-parallel ranks (cluster.nodes follows)").min(2).max(1 << 16);
      s.integer("tokens", &DeepEpParams::tokens, "Tokens per rank").min(1).max(1 << 20);
      s.integer("hidden", &DeepEpParams::hidden, "Hidden size").min(128).max(1 << 20);
      s.integer("top_k", &DeepEpParams::top_k, "Experts per token").min(1).max(64);
      s.integer("experts", &DeepEpParams::experts, "Routed experts").min(1).max(1 << 16);
      s.integer("node_limit", &DeepEpParams::node_limit,
                "Nodes one token may reach (DeepEP's num_topk_groups); 0 = no limit")
          .def("0").min(0).max(1 << 16);
      s.choice("kernel", &DeepEpParams::kernel,
               {{"normal", EpKernel::normal}, {"low_latency", EpKernel::low_latency}},
               "normal: NVLink-forwarded kernels (test_intranode/internode.py); low_latency: "
               "per-expert messages (test_low_latency.py)");
      s.integer("seed", &DeepEpParams::seed, "Seed of the routing draw").def("1").min(0);
      return s;
    }();
    return s;
  }
};

}  // namespace

CaseKind collective_bandwidth_kind() {
  return make_kind<CollectiveParams>(
      "collective_bandwidth", "A collective given by size, timed as nccl-tests times it",
      {{"time", Dim::time, "Duration of the collective"},
       {"algbw", Dim::data_rate, "bytes / time"},
       {"busbw", Dim::data_rate, "nccl-tests bus bandwidth: algbw x 2(n-1)/n (all-reduce), x (n-1)/n (reduce-scatter, all-gather)"}},
      [](const CollectiveParams& p) {
        auto net = build(p);
        Collective c;
        c.kind = p.collective;
        c.algorithm = p.algorithm;
        c.bytes = p.bytes;
        int n = p.ranks > 0 ? p.ranks : net->topology().gpus();
        for (int r = 0; r < n; ++r) c.ranks.push_back(r);
        c.root = 0;
        double t = net->cost(c).time_s;
        double factor = p.collective == CollectiveKind::all_reduce   ? 2.0 * (n - 1) / n
                        : p.collective == CollectiveKind::broadcast ? 1.0
                                                                    : double(n - 1) / n;
        return Metrics{{"time", t}, {"algbw", p.bytes / t}, {"busbw", p.bytes / t * factor}};
      });
}

CaseKind message_kind() {
  return make_kind<MessageParams>(
      "message", "One message from one GPU to another (latency and bandwidth)",
      {{"latency", Dim::time, "Time from send to the last byte received, software included"},
       {"bandwidth", Dim::data_rate, "bytes / latency"}},
      [](const MessageParams& p) {
        auto net = build(p);
        Collective c;
        c.kind = CollectiveKind::send_recv;
        c.ranks = {p.src, p.dst};
        c.flows = {{p.src, p.dst, p.bytes}};
        double t = net->cost(c).time_s;
        return Metrics{{"latency", t}, {"bandwidth", p.bytes / t}};
      });
}

CaseKind deepep_kind() {
  return make_kind<DeepEpParams>(
      "deepep", "DeepEP dispatch and combine, with DeepEP's own byte counting",
      {{"dispatch_time", Dim::time, "Dispatch duration"},
       {"combine_time", Dim::time, "Combine duration"},
       {"dispatch_bandwidth", Dim::data_rate,
        "normal: NVLink (intranode) or RDMA (internode) bytes per rank / time; low latency: "
        "token x expert messages per rank / time, as DeepEP's tests count them"},
       {"combine_bandwidth", Dim::data_rate, "as dispatch_bandwidth, BF16 payloads"}},
      [](DeepEpParams p) {
        const int gpn = p.hardware.gpus_per_node;
        p.cluster.nodes = std::max(1, p.ep / gpn);
        const int nodes = p.cluster.nodes;
        auto net = build(p);
        if (p.ep > net->topology().gpus())
          throw std::invalid_argument("ep exceeds the GPUs of the cluster");
        workloads::MoeSpec moe;
        moe.routed_experts = p.experts;
        moe.top_k = p.top_k;
        moe.groups = p.node_limit > 0 ? nodes : 1;
        moe.groups_per_token = p.node_limit > 0 ? std::min(p.node_limit, nodes) : 1;
        const double scales = p.hidden / 128.0 * 4;  // one FP32 scale per 128 values
        const bool ll = p.kernel == EpKernel::low_latency;
        // Traffic per token copy: FP8 payload and scales, plus top-k ids and weights (normal) or
        // DeepEP's 16-byte message header (low latency); BF16 on the way back.
        const double dispatch_bytes = p.hidden + scales + (ll ? 16.0 : p.top_k * 12.0);
        const double combine_bytes = 2.0 * p.hidden;
        Collective c;
        c.kind = CollectiveKind::ep_dispatch;
        c.algorithm = ll ? CollectiveAlgorithm::per_expert : CollectiveAlgorithm::node_forwarded;
        c.tokens = std::make_shared<workloads::TokenRouting>(
            workloads::route_tokens(moe, 0, p.ep, p.tokens, gpn, uint64_t(p.seed), 0));
        for (int r = 0; r < p.ep; ++r) c.ranks.push_back(r);
        c.token_bytes = dispatch_bytes;
        double dispatch = net->cost(c).time_s;
        c.kind = CollectiveKind::ep_combine;
        c.token_bytes = combine_bytes;
        double combine = net->cost(c).time_s;

        // What DeepEP's tests count per rank: received token copies (intranode), token copies
        // per destination node (internode RDMA), or token x expert messages (low latency).
        const workloads::TokenRouting& t = *c.tokens;
        double copies = 0;
        if (ll || nodes == 1) {
          for (int s = 0; s < p.ep; ++s)
            for (int d = 0; d < p.ep; ++d) copies += ll ? t.pair_experts(s, d) : t.pair_tokens(s, d);
        } else {
          for (const auto& ns : t.node_sets()) copies += double(ns.tokens) * __builtin_popcountll(ns.nodes);
        }
        copies /= p.ep;
        double counted_dispatch = p.hidden + scales + (ll ? 16.0 : 0.0);
        return Metrics{{"dispatch_time", dispatch},
                       {"combine_time", combine},
                       {"dispatch_bandwidth", copies * counted_dispatch / dispatch},
                       {"combine_bandwidth", copies * combine_bytes / combine}};
      });
}

namespace {

struct BomParams {
  hw::HardwareSpec hardware;
  hw::ClusterSpec cluster;
  static const Schema<BomParams>& schema() {
    static const Schema<BomParams> s = [] {
      Schema<BomParams> s("network_bom params", "A cluster preset (params: {base: ...})");
      s.child("hardware", &BomParams::hardware, "Node hardware (a cluster preset as params base fills it)");
      s.child("cluster", &BomParams::cluster, "Nodes and wiring (a cluster preset as params base fills it)");
      return s;
    }();
    return s;
  }
};

}  // namespace

CaseKind network_bom_kind() {
  return make_kind<BomParams>(
      "network_bom", "Counts of a cluster's network, from the topology the simulator builds",
      {{"switch_chips", Dim::none, "Switch chips, the nodes' own included"},
       {"network_switch_chips", Dim::none, "Switch chips outside the nodes"},
       {"switch_boxes", Dim::none, "Switch boxes and trays"},
       {"links", Dim::none, "Links of the topology"},
       {"copper_cables", Dim::none, "Copper cables (NVLink copper spine: one per pair)"},
       {"transceivers", Dim::none, "Pluggable optical modules"},
       {"transceivers_per_gpu", Dim::none, "Pluggable optical modules per GPU"}},
      [](const BomParams& p) {
        models::Topology t(p.hardware, p.cluster);
        models::BillOfMaterials b = models::bill_of_materials(t, p.hardware, p.cluster);
        return Metrics{{"switch_chips", double(b.switch_chips)},
                       {"network_switch_chips", double(b.network_switch_chips)},
                       {"switch_boxes", double(b.switch_boxes)},
                       {"links", double(b.links)},
                       {"copper_cables", double(b.copper_cables)},
                       {"transceivers", double(b.transceivers)},
                       {"transceivers_per_gpu", double(b.transceivers) / t.gpus()}};
      });
}

}  // namespace strata::validate
