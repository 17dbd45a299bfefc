// Collective correctness: every algorithm's detailed plan is replayed on symbolic data (which
// ranks' contributions each copy of each chunk or token holds) and every rank must end with
// exactly its result, each contribution once. The pipelined plans the networks price must move
// the same bytes between the same pairs as the detailed ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "models/network/collective_algorithms.h"
#include "hw/cluster.h"
#include "workloads/routing.h"

using namespace strata;
using models::Schedule;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

std::shared_ptr<models::Topology> cluster(const std::string& preset, int nodes) {
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + preset + ".yaml");
  p.cluster.nodes = nodes;
  return std::make_shared<models::Topology>(p.hardware, p.cluster);
}

/// Which contributions (ranks) each vertex's copy of each item holds.
using Holdings = std::map<std::pair<int, int64_t>, std::vector<int>>;

/// What vertex v holds of `item` (a function, so test macros see no braces with commas).
std::vector<int> held(Holdings& h, int v, int64_t item) { return h[{v, item}]; }

/// Replays a detailed plan: transfers of a phase read the state before the phase.
void replay(const Schedule& s, Holdings& h) {
  for (const models::Phase& p : s.phases) {
    Holdings before = h;
    for (const models::Transfer& t : p.transfers) {
      if (t.item < 0) continue;  // a signal (DeepEP's notify) carries no item
      auto it = before.find({t.src, t.item});
      ASSERT_NE(it, before.end()) << "vertex " << t.src << " sends item " << t.item << " it does not hold";
      std::vector<int>& dst = h[{t.dst, t.item}];
      if (t.reduce) {
        dst.insert(dst.end(), it->second.begin(), it->second.end());
        std::sort(dst.begin(), dst.end());
      } else {
        dst = it->second;
      }
    }
  }
}

std::vector<int> iota(int n, int first = 0) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = first + i;
  return v;
}

Collective by_size(CollectiveKind k, std::vector<int> ranks, double bytes) {
  Collective c = workloads::sized_collective(k, std::move(ranks), bytes);
  c.root = c.ranks.empty() ? -1 : c.ranks[0];
  return c;
}

/// Items per rank chunk: ring plans use channel x ranks items, NVLS one per rank.
int items_of(const Collective& c, CollectiveAlgorithm a, const models::Topology& t) {
  return a == CollectiveAlgorithm::ring ? int(models::ring_channels(c.ranks, t).size()) : 1;
}

/// The pipelined plan moves the same bytes between the same pairs as the detailed one, and
/// counts one latency step per detailed phase.
void same_traffic(const Schedule& detail, const Schedule& piped) {
  std::map<std::pair<int, int>, double> a, b;
  for (const auto& p : detail.phases)
    for (const auto& t : p.transfers) a[{t.src, t.dst}] += t.bytes;
  int steps = 0;
  for (const auto& p : piped.phases) {
    steps += p.steps;
    for (const auto& t : p.transfers) b[{t.src, t.dst}] += t.bytes;
  }
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [k, v] : a) EXPECT_NEAR(b[k], v, 1e-9 * v);
  EXPECT_EQ(steps, static_cast<int>(detail.phases.size()));
}

void check_all_reduce(const models::Topology& t, std::vector<int> ranks, CollectiveAlgorithm a,
                      CollectiveKind kind) {
  Collective c = by_size(kind, ranks, 1 << 20);
  const int n = static_cast<int>(ranks.size());
  const int k = a == CollectiveAlgorithm::tree ? 1 : items_of(c, a, t);
  const int items = a == CollectiveAlgorithm::tree ? 2 : k * n;
  Schedule detail = models::plan_collective(c, a, t, true);
  same_traffic(detail, models::plan_collective(c, a, t, false));
  Holdings h;
  for (int i = 0; i < n; ++i)
    for (int it = 0; it < items; ++it) {
      if (kind != CollectiveKind::all_gather || it % n == i) h[{ranks[i], it}] = {ranks[i]};
    }
  replay(detail, h);
  std::vector<int> everyone = ranks;
  std::sort(everyone.begin(), everyone.end());
  for (int i = 0; i < n; ++i)
    for (int it = 0; it < items; ++it) {
      bool mine = a == CollectiveAlgorithm::tree || it % n == i;
      if (kind == CollectiveKind::reduce_scatter && !mine) continue;
      std::vector<int> want = kind == CollectiveKind::all_gather ? std::vector<int>{ranks[it % n]} : everyone;
      EXPECT_EQ(held(h, ranks[i], it), want) << workloads::collective_algorithm_name(a) << " rank " << ranks[i]
                                          << " item " << it;
    }
}

}  // namespace

TEST(Collectives, RingAllReduceOnOneNode) {
  auto t = cluster("hgx-h100", 1);
  check_all_reduce(*t, iota(8), CollectiveAlgorithm::ring, CollectiveKind::all_reduce);
  check_all_reduce(*t, {3, 1, 6}, CollectiveAlgorithm::ring, CollectiveKind::all_reduce);
}

TEST(Collectives, RingHalvesOnOneNode) {
  auto t = cluster("hgx-h100", 1);
  check_all_reduce(*t, iota(8), CollectiveAlgorithm::ring, CollectiveKind::reduce_scatter);
  check_all_reduce(*t, iota(8), CollectiveAlgorithm::ring, CollectiveKind::all_gather);
}

TEST(Collectives, MultiChannelRingsAcrossNodes) {
  auto t = cluster("h800-ib-rail-fat-tree", 3);
  EXPECT_EQ(models::ring_channels(iota(24), *t).size(), 8u);  // one ring per rail
  // Consecutive nodes meet on the same rail: node crossings stay on one leaf.
  for (const auto& ring : models::ring_channels(iota(24), *t)) {
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      if (t->node_of(ring[i]) != t->node_of(ring[i + 1])) {
        EXPECT_EQ(t->local_rank(ring[i]), t->local_rank(ring[i + 1]));
      }
    }
  }
  check_all_reduce(*t, iota(24), CollectiveAlgorithm::ring, CollectiveKind::all_reduce);
  check_all_reduce(*t, iota(24), CollectiveAlgorithm::ring, CollectiveKind::reduce_scatter);
}

TEST(Collectives, DoubleBinaryTree) {
  auto t = cluster("h800-ib-rail-fat-tree", 2);
  check_all_reduce(*t, iota(16), CollectiveAlgorithm::tree, CollectiveKind::all_reduce);
  check_all_reduce(*t, iota(5), CollectiveAlgorithm::tree, CollectiveKind::all_reduce);
}

TEST(Collectives, NvlinkSharpReducesInTheSwitch) {
  auto t = cluster("hgx-h100", 1);
  for (CollectiveKind k : {CollectiveKind::all_reduce, CollectiveKind::reduce_scatter, CollectiveKind::all_gather})
    check_all_reduce(*t, iota(8), CollectiveAlgorithm::nvls, k);
  // Per GPU it sends S + S/n and receives S/n + S: about half a ring's 2 (n-1)/n S.
  Schedule s = models::plan_collective(by_size(CollectiveKind::all_reduce, iota(8), 8e6),
                                       CollectiveAlgorithm::nvls, *t, false);
  double sent = 0;
  for (const auto& tr : s.phases[0].transfers)
    if (tr.src == 0) sent += tr.bytes;
  EXPECT_DOUBLE_EQ(sent, 9e6);
  // Across nodes there is no switch to reduce in.
  auto two = cluster("h800-ib-rail-fat-tree", 2);
  EXPECT_NE(models::unsupported_reason(by_size(CollectiveKind::all_reduce, iota(16), 1e6),
                                       CollectiveAlgorithm::nvls, *two),
            "");
}

TEST(Collectives, BroadcastChainReachesEveryRank) {
  auto t = cluster("hgx-h100", 1);
  Collective c = by_size(CollectiveKind::broadcast, {2, 0, 5, 7}, 1000);
  c.root = 5;
  Schedule d = models::plan_collective(c, CollectiveAlgorithm::ring, *t, true);
  same_traffic(d, models::plan_collective(c, CollectiveAlgorithm::ring, *t, false));
  Holdings h{{{5, 0}, {5}}};
  replay(d, h);
  for (int r : c.ranks) EXPECT_EQ(held(h, r, 0), std::vector<int>{5}) << r;
}

TEST(Collectives, AllToAllDeliversEveryFlow) {
  auto t = cluster("deepseek-v3-2048-mpft", 2);
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  c.ranks = iota(16);
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b)
      if (a != b) c.flows.push_back({a, b, double(100 + a * 16 + b)});  // variable sizes
  Schedule d = models::plan_collective(c, CollectiveAlgorithm::direct, *t, true);
  Holdings h;
  for (size_t i = 0; i < c.flows.size(); ++i) h[{c.flows[i].src, int64_t(i)}] = {c.flows[i].src};
  replay(d, h);
  double bytes = 0;
  for (const auto& tr : d.phases[0].transfers) bytes += tr.bytes;
  double want = 0;
  for (size_t i = 0; i < c.flows.size(); ++i) {
    EXPECT_EQ(held(h, c.flows[i].dst, int64_t(i)), std::vector<int>{c.flows[i].src});
    want += c.flows[i].bytes;
  }
  EXPECT_DOUBLE_EQ(bytes, want);  // bytes in = bytes out
}

namespace {

/// 4 nodes of 8, 64 experts, 16 tokens per rank, top-4 within at most 2 nodes.
Collective expert_collective(CollectiveKind k) {
  workloads::MoeSpec moe;
  moe.routed_experts = 64;
  moe.top_k = 4;
  moe.groups = 4;
  moe.groups_per_token = 2;
  Collective c;
  c.kind = k;
  c.ranks = iota(32);
  c.tokens = std::make_shared<workloads::TokenRouting>(workloads::route_tokens(moe, 0, 32, 16, 8, 7, 0));
  c.token_bytes = 1000.0;
  return c;
}

}  // namespace

TEST(Collectives, DeepEpDispatchReachesEveryExpertRankOncePerNode) {
  auto t = cluster("h800-ib-rail-fat-tree", 4);
  Collective c = expert_collective(CollectiveKind::ep_dispatch);
  const workloads::TokenRouting& tr = *c.tokens;
  for (int i = 0; i < tr.tokens(); ++i) {
    std::set<int> nodes;
    for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j) nodes.insert(t->node_of(tr.dests[j]));
    EXPECT_LE(nodes.size(), 2u);  // node-limited routing
  }
  Schedule d = models::plan_collective(c, CollectiveAlgorithm::node_forwarded, *t, true, 128);
  same_traffic(d, models::plan_collective(c, CollectiveAlgorithm::node_forwarded, *t, false, 128));
  Holdings h;
  for (int i = 0; i < tr.tokens(); ++i) h[{tr.source[i], i}] = {tr.source[i]};
  replay(d, h);
  double network = 0, expected_network = 0;
  for (const auto& p : d.phases)
    for (const auto& x : p.transfers) {
      if (t->node_of(x.src) != t->node_of(x.dst) && x.item >= 0) {  // payload, not the notify's signals
        network += x.bytes;
        EXPECT_EQ(t->local_rank(x.src), t->local_rank(x.dst));  // to the GPU on the same rail
      }
      EXPECT_EQ(x.store_bytes, 128);
    }
  for (int i = 0; i < tr.tokens(); ++i) {
    std::set<int> remote;
    for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j) {
      EXPECT_EQ(held(h, tr.dests[j], i), std::vector<int>{tr.source[i]}) << "token " << i;
      if (t->node_of(tr.dests[j]) != t->node_of(tr.source[i])) remote.insert(t->node_of(tr.dests[j]));
    }
    expected_network += remote.size() * c.token_bytes;  // once per destination node
  }
  EXPECT_DOUBLE_EQ(network, expected_network);
}

TEST(Collectives, DeepEpCombineSumsEveryExpertRankExactlyOnce) {
  auto t = cluster("h800-ib-rail-fat-tree", 4);
  Collective c = expert_collective(CollectiveKind::ep_combine);
  const workloads::TokenRouting& tr = *c.tokens;
  Schedule d = models::plan_collective(c, CollectiveAlgorithm::node_forwarded, *t, true, 128);
  same_traffic(d, models::plan_collective(c, CollectiveAlgorithm::node_forwarded, *t, false, 128));
  Holdings h;
  for (int i = 0; i < tr.tokens(); ++i)
    for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j) h[{tr.dests[j], i}] = {tr.dests[j]};
  replay(d, h);
  for (int i = 0; i < tr.tokens(); ++i) {
    std::vector<int> want(tr.dests.begin() + tr.offsets[i], tr.dests.begin() + tr.offsets[i + 1]);
    EXPECT_EQ(held(h, tr.source[i], i), want) << "token " << i;
  }
}

TEST(Collectives, LowLatencyKernelsSendOneMessagePerExpert) {
  auto t = cluster("h800-ib-rail-fat-tree", 4);
  for (CollectiveKind k : {CollectiveKind::ep_dispatch, CollectiveKind::ep_combine}) {
    Collective c = expert_collective(k);
    const workloads::TokenRouting& tr = *c.tokens;
    const bool combine = k == CollectiveKind::ep_combine;
    Schedule d = models::plan_collective(c, CollectiveAlgorithm::per_expert, *t, true);
    same_traffic(d, models::plan_collective(c, CollectiveAlgorithm::per_expert, *t, false));
    Holdings h;
    for (int i = 0; i < tr.tokens(); ++i)
      for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j)
        for (int e = 0; e < tr.experts[j]; ++e)
          h[{combine ? tr.dests[j] : tr.source[i], int64_t(j) * 64 + e}] = {combine ? tr.dests[j] : tr.source[i]};
    replay(d, h);
    for (int i = 0; i < tr.tokens(); ++i)
      for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j)
        for (int e = 0; e < tr.experts[j]; ++e) {
          int at = combine ? tr.source[i] : tr.dests[j], from = combine ? tr.dests[j] : tr.source[i];
          EXPECT_EQ(held(h, at, int64_t(j) * 64 + e), std::vector<int>{from});
        }
  }
}

TEST(Collectives, DeepEpSendsOneNetworkCopyPerNvlinkDomainOfSeveralNodes) {
  // 4 H800 nodes joined two by two into NVLink domains of 16 GPUs: a token crosses the network
  // once per other domain, whichever of the domain's nodes its experts are on.
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/h800-ib-rail-fat-tree.yaml");
  p.cluster.nodes = 4;
  hw::SwitchTierSpec spine;
  spine.switch_chip = p.hardware.scale_up.switch_chip;
  spine.link = p.hardware.scale_up.link;
  p.cluster.nvlink_domain.nodes = 2;
  p.cluster.nvlink_domain.tiers = {spine};
  models::Topology t(p.hardware, p.cluster);
  ASSERT_EQ(t.gpus_per_domain(), 16);
  for (CollectiveKind k : {CollectiveKind::ep_dispatch, CollectiveKind::ep_combine}) {
    Collective c = expert_collective(k);
    const workloads::TokenRouting& tr = *c.tokens;
    Schedule d = models::plan_collective(c, CollectiveAlgorithm::node_forwarded, t, true, 128);
    same_traffic(d, models::plan_collective(c, CollectiveAlgorithm::node_forwarded, t, false, 128));
    double network = 0, expected = 0;
    for (const auto& ph : d.phases)
      for (const auto& x : ph.transfers)
        if (t.domain_of(x.src) != t.domain_of(x.dst) && x.item >= 0) network += x.bytes;  // payload
    for (int i = 0; i < tr.tokens(); ++i) {
      std::set<int> remote;
      for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j)
        if (t.domain_of(tr.dests[j]) != t.domain_of(tr.source[i])) remote.insert(t.domain_of(tr.dests[j]));
      expected += remote.size() * c.token_bytes;
    }
    EXPECT_GT(expected, 0);
    EXPECT_DOUBLE_EQ(network, expected);
  }
}

TEST(Collectives, TokenRoutingCountsAgreeWithItsTokens) {
  Collective c = expert_collective(CollectiveKind::ep_dispatch);
  const workloads::TokenRouting& tr = *c.tokens;
  EXPECT_EQ(tr.tokens(), 32 * 16);
  std::map<std::pair<int, int>, double> pairs, experts;
  std::map<std::pair<int, uint64_t>, uint32_t> sets;
  double remote = 0;
  for (int i = 0; i < tr.tokens(); ++i) {
    uint64_t nodes = 0;
    for (int j = tr.offsets[i]; j < tr.offsets[i + 1]; ++j) {
      pairs[{tr.source[i], tr.dests[j]}] += 1;
      experts[{tr.source[i], tr.dests[j]}] += tr.experts[j];
      nodes |= uint64_t(1) << (tr.dests[j] / 8);
      remote += tr.dests[j] != tr.source[i];
    }
    ++sets[{tr.source[i], nodes}];
  }
  for (int s = 0; s < 32; ++s)
    for (int d = 0; d < 32; ++d) {
      EXPECT_EQ(tr.pair_tokens(s, d), (pairs[{s, d}]));
      EXPECT_EQ(tr.pair_experts(s, d), (experts[{s, d}]));
    }
  ASSERT_EQ(tr.node_sets().size(), sets.size());
  for (const auto& ns : tr.node_sets()) EXPECT_EQ(ns.tokens, (sets[{ns.src, ns.nodes}])) << ns.src;
  EXPECT_EQ(tr.remote_copies(), remote);
  EXPECT_EQ(workloads::collective_bytes(c), remote * c.token_bytes);
  // A detailed plan needs the tokens; counts alone price.
  Collective counts_only = c;
  auto copy = std::make_shared<workloads::TokenRouting>(0, 32, 8);
  for (const auto& ns : tr.node_sets()) copy->add_node_set(ns.src, ns.nodes, ns.tokens);
  for (int s = 0; s < 32; ++s)
    for (int d = 0; d < 32; ++d) copy->add_pair(s, d, uint32_t(tr.pair_tokens(s, d)), uint32_t(tr.pair_experts(s, d)));
  counts_only.tokens = copy;
  auto t = cluster("h800-ib-rail-fat-tree", 4);
  EXPECT_THROW(models::plan_collective(counts_only, CollectiveAlgorithm::node_forwarded, *t, true), std::invalid_argument);
  same_traffic(models::plan_collective(c, CollectiveAlgorithm::node_forwarded, *t, true, 128),
               models::plan_collective(counts_only, CollectiveAlgorithm::node_forwarded, *t, false, 128));
  // A routing counted for nodes of another size does not fit the cluster.
  counts_only.tokens = std::make_shared<workloads::TokenRouting>(0, 32, 4);
  EXPECT_NE(models::unsupported_reason(counts_only, CollectiveAlgorithm::per_expert, *t), "");
}

TEST(Collectives, AlgorithmsRefuseWhatTheyCannotCarry) {
  auto t = cluster("hgx-h100", 1);
  EXPECT_NE(models::unsupported_reason(by_size(CollectiveKind::broadcast, iota(8), 1), CollectiveAlgorithm::tree, *t), "");
  EXPECT_NE(models::unsupported_reason(by_size(CollectiveKind::all_reduce, {0, 99}, 1), CollectiveAlgorithm::ring, *t), "");
  Collective a2a;
  a2a.kind = CollectiveKind::all_to_all;
  EXPECT_NE(models::unsupported_reason(a2a, CollectiveAlgorithm::node_forwarded, *t), "");
  EXPECT_THROW(models::plan_collective(a2a, CollectiveAlgorithm::ring, *t, false), std::invalid_argument);
}
