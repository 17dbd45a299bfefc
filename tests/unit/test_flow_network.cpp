// The flow backend against hand-computed times: line rates, latencies, contention, routing.
#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "models/network/collective_algorithms.h"
#include "models/network/flow_network.h"
#include "hw/cluster.h"
#include "workloads/routing.h"

using namespace strata;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

struct Net {
  std::shared_ptr<models::Topology> topo;
  std::unique_ptr<models::FlowNetwork> net;
};

Net flow(const std::string& preset, int nodes, models::NetworkOptions o = {},
         hw::Ecmp ecmp = hw::Ecmp::split) {
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + preset + ".yaml");
  p.cluster.nodes = nodes;
  p.cluster.fabric.ecmp = ecmp;
  Net n;
  n.topo = std::make_shared<models::Topology>(p.hardware, p.cluster);
  o.flow_batching = 0;  // exact
  n.net = std::make_unique<models::FlowNetwork>(n.topo, o);
  return n;
}

/// An all-reduce of 1 GB among the 8 GPUs of one node.
Collective all_reduce_8(CollectiveAlgorithm a = CollectiveAlgorithm::automatic) {
  Collective c;
  c.kind = CollectiveKind::all_reduce;
  c.algorithm = a;
  for (int r = 0; r < 8; ++r) c.ranks.push_back(r);
  c.bytes = 1e9;
  return c;
}

Collective message(int src, int dst, double bytes) {
  Collective c;
  c.kind = CollectiveKind::send_recv;
  c.ranks = {src, dst};
  c.flows = {{src, dst, bytes}};
  return c;
}

// Preset constants (configs/links, switches, nics, hw/h100-sxm).
constexpr double kNvlinkPayload = 25e9 * 0.825;        // one NVLink4 link
constexpr double kNdrPayload = 50e9 * 0.993692;         // one NDR port, 26 B per 4 KiB packet
constexpr double kNvlinkOverhead = 3.13e-6, kNicOverhead = 1.73e-6;

}  // namespace

TEST(FlowNetwork, RingAllReduceOnOneNodeRunsAtTheLinkPayloadRate) {
  Net n = flow("hgx-h100", 1);
  Collective c = all_reduce_8(CollectiveAlgorithm::ring);
  // 2 (n-1)/n S over 18 links, plus 14 steps of (link + switch + link + software).
  double want = 1.75e9 / (18 * kNvlinkPayload) + 14 * (50e-9 + 100e-9 + 50e-9 + kNvlinkOverhead);
  models::CollectiveCost cc = n.net->cost(c);
  EXPECT_NEAR(cc.time_s, want, 1e-12);
  // Link loads: every GPU's uplink carries 1.75 GB.
  int loaded = 0;
  for (const auto& l : cc.loads) {
    EXPECT_NEAR(l.bytes, 1.75e9, 1);
    ++loaded;
  }
  EXPECT_EQ(loaded, 16);  // 8 uplinks and 8 downlinks
}

TEST(FlowNetwork, AutomaticPicksTheFastestAlgorithm) {
  Net n = flow("hgx-h100", 1);
  Collective c = all_reduce_8();
  models::CollectiveCost best = n.net->cost(c);
  for (CollectiveAlgorithm a : {CollectiveAlgorithm::ring, CollectiveAlgorithm::tree, CollectiveAlgorithm::nvls}) {
    c.algorithm = a;
    EXPECT_LE(best.time_s, n.net->cost(c).time_s) << workloads::collective_algorithm_name(a);
  }
  EXPECT_EQ(best.algorithm, CollectiveAlgorithm::nvls);  // large buffers on H100: NVLink SHARP
}

TEST(FlowNetwork, OneNicCarriesItsPayloadRate) {
  Net n = flow("h800-ib-rail-fat-tree", 2);
  // GPU 0 to GPU 8 (same rail, same leaf): PCIe, NIC, leaf, NIC, PCIe. NDR is the bottleneck.
  double lat = 2 * 150e-9 + 2 * 100e-9 + 2 * 120e-9 + 330e-9;
  EXPECT_NEAR(n.net->cost(message(0, 8, 1e9)).time_s / (1e9 / kNdrPayload + lat + kNicOverhead), 1.0, 1e-6);
  // A 64 B message is latency: 2.8 us (ISCA'25, calibrated) and 3.7 us through a spine.
  EXPECT_NEAR(n.net->cost(message(0, 8, 64)).time_s, 2.8e-6, 0.01e-6);
  Net big = flow("h800-ib-rail-fat-tree", 64);
  EXPECT_NEAR(big.net->cost(message(0, 504, 64)).time_s, 3.7e-6, 0.01e-6);
}

TEST(FlowNetwork, IncastSharesTheReceiversNic) {
  Net n = flow("h800-ib-rail-fat-tree", 4);
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  c.ranks = {0, 8, 16, 24};
  for (int s : {8, 16, 24}) c.flows.push_back({s, 0, 1e9});  // three senders, one receiver
  double t = n.net->cost(c).time_s;
  EXPECT_NEAR(t, 3e9 / kNdrPayload, 3e9 / kNdrPayload * 1e-3 + 5e-6);
}

TEST(FlowNetwork, HashedEcmpCollidesWhereSplitDoesNot) {
  // 64 nodes on a rail-optimised tree: rail 0 on leaves 0 and 1. Nodes 0-31 send to 32-63 over
  // the 32 spines' links: split spreads evenly; hashing piles some flows onto one spine link.
  auto traffic = [](const Net& n) {
    Collective c;
    c.kind = CollectiveKind::all_to_all;
    for (int i = 0; i < 32; ++i) {
      c.ranks.push_back(i * 8);
      c.flows.push_back({i * 8, (i + 32) * 8, 1e8});
    }
    return n.net->cost(c).time_s;
  };
  double split = traffic(flow("h800-ib-rail-fat-tree", 64));
  double hashed = traffic(flow("h800-ib-rail-fat-tree", 64, {}, hw::Ecmp::hash));
  EXPECT_NEAR(split, 1e8 / kNdrPayload, 1e8 / kNdrPayload * 0.01);
  EXPECT_GT(hashed, 1.5 * split);
}

TEST(FlowNetwork, CrossPlaneTrafficIsRelayedOverNvlink) {
  Net n = flow("deepseek-v3-2048-mpft", 2);
  // Rail 0 of node 0 to rail 3 of node 1: NVLink to GPU 3, then plane 3.
  models::CollectiveCost cc = n.net->cost(message(0, 11, 1e9));
  bool nvlink = false, plane3 = false;
  for (const auto& l : cc.loads) {
    const auto& info = n.net->links()[l.link];
    nvlink = nvlink || info.name == "gpu0>nvsw0";
    plane3 = plane3 || info.name == "nic3>leaf.p3.0";
  }
  EXPECT_TRUE(nvlink);
  EXPECT_TRUE(plane3);
  EXPECT_NEAR(cc.time_s, 1e9 / kNdrPayload, 1e9 / kNdrPayload * 1e-3 + 10e-6);
}

TEST(FlowNetwork, SmallNvlinkWritesTakeMoreOfTheLink) {
  // DeepEP-style 128 B stores carry one header (54 B at 0.825 efficiency of 256 B) per 128 B.
  Net n = flow("hgx-h800", 1);
  models::Schedule s;
  s.phases.emplace_back();
  s.phases[0].transfers.push_back({0, 1, 1e9});
  double bulk = n.net->transfer_finish_times(s.phases[0])[0];
  s.phases[0].transfers[0].store_bytes = 128;
  double stores = n.net->transfer_finish_times(s.phases[0])[0];
  double header = 256 * (1 / 0.825 - 1);
  EXPECT_NEAR(stores / bulk, (128 + header) / 128 * 0.825, 1e-9);
}

TEST(FlowNetwork, InNetworkReductionIsBoundByTheSwitchEngine) {
  Net n = flow("hgx-h100", 1);
  Collective c = all_reduce_8(CollectiveAlgorithm::nvls);
  // The four chips reduce 1 GB of output at 4 x 68.5 GB/s; links would take 1.125 GB / 371 GB/s.
  double engine = 1e9 / (4 * 68.5e9);
  double latency = 4 * (50e-9 + 100e-9 + kNvlinkOverhead);
  EXPECT_NEAR(n.net->cost(c).time_s, engine + latency, engine * 1e-6);
}

TEST(FlowNetwork, AutomaticChoiceSkipsOnlyAlgorithmsThatCannotWin) {
  // cost() skips a candidate whose load bound already loses; it must pick what pricing every
  // candidate picks, and no bound may exceed its price.
  Net one = flow("hgx-h100", 1), four = flow("h800-ib-rail-fat-tree", 4);
  workloads::MoeSpec moe;
  moe.routed_experts = 64, moe.top_k = 4, moe.groups = 4, moe.groups_per_token = 2;
  Collective ep;
  ep.kind = CollectiveKind::ep_dispatch;
  for (int r = 0; r < 32; ++r) ep.ranks.push_back(r);
  ep.tokens = std::make_shared<workloads::TokenRouting>(workloads::route_tokens(moe, 0, 32, 64, 8, 3, 0));
  ep.token_bytes = 7488;
  Collective big = all_reduce_8(), small = all_reduce_8();
  small.bytes = 4096;
  for (auto [n, c] : {std::make_pair(&one, big), std::make_pair(&one, small), std::make_pair(&four, ep)}) {
    double best = std::numeric_limits<double>::infinity();
    CollectiveAlgorithm pick = CollectiveAlgorithm::automatic;
    for (CollectiveAlgorithm a : n->net->algorithms_for(c)) {
      models::Schedule s = models::plan_collective(c, a, *n->topo, false, 128);
      double overhead = workloads::token_routed(c.kind) ? models::NetworkOptions{}.ep_kernel_overhead_s : 0.0;
      double t = n->net->price(s).time_s + overhead;
      EXPECT_LE(n->net->lower_bound(s), n->net->price(s).time_s * (1 + 1e-12));
      if (t < best) best = t, pick = a;
    }
    models::CollectiveCost cc = n->net->cost(c);
    EXPECT_EQ(cc.time_s, best);
    EXPECT_EQ(cc.algorithm, pick);
  }
}
