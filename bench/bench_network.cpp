// Simulator speed of the network backends: simulated collective time per wall-clock second.
//   Cluster scale (flow backend only): a uniform all-to-all among the 2,048 GPUs of DeepSeek-V3's
//   8-plane fat tree and an all-reduce among 16,384 GPUs (routing caches warm, topology built once).
//   Same traffic on both backends: three schedules on 4 nodes of 8x H800 (rail-optimised IB fat
//   tree), priced by the flow backend here and by the SystemC packet backend in a child process;
//   variants show what the accuracy knobs cost (flow_batching 0, 16 KiB packet trains).
#include <benchmark/benchmark.h>

#include <memory>
#include <numeric>

#include "bench/model_timing.h"
#include "hw/cluster.h"
#include "models/network/collective_algorithms.h"
#include "models/network/flow_network.h"
#include "models/network/packet_network.h"
#include "sim/config/loader.h"
#include "workloads/kernels.h"
#include "workloads/routing.h"

using namespace strata;
using workloads::Collective;
using workloads::CollectiveAlgorithm;
using workloads::CollectiveKind;

namespace {

std::shared_ptr<models::Topology> cluster(const std::string& preset, int nodes = 0) {
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + preset + ".yaml");
  if (nodes > 0) p.cluster.nodes = nodes;
  return std::make_shared<models::Topology>(p.hardware, p.cluster);
}

Collective by_size(CollectiveKind kind, int ranks, double bytes) {
  std::vector<int> all(ranks);
  std::iota(all.begin(), all.end(), 0);
  return workloads::sized_collective(kind, std::move(all), bytes);
}

Collective uniform_all_to_all(int ranks, double bytes_per_pair) {
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  for (int a = 0; a < ranks; ++a) {
    c.ranks.push_back(a);
    for (int b = 0; b < ranks; ++b)
      if (a != b) c.flows.push_back({a, b, bytes_per_pair});
  }
  return c;
}

/// Prices `c` with the flow backend's automatic algorithm choice, as a scenario does.
void flow_cost(benchmark::State& state, const std::shared_ptr<models::Topology>& topo, const Collective& c) {
  models::FlowNetwork net(topo, {});
  net.cost(c);  // warms the route caches
  bench::ModelCounters counters;
  for (auto _ : state) counters.add(state, bench::time_here([&] { return net.cost(c).time_s; }));
  counters.finish(state);
}

// --- cluster scale, flow backend ---------------------------------------------------------------

/// Every GPU sends 1 MiB to each of the 2,047 others (4.2 M flows), cross-plane pairs relayed
/// over NVLink.
void BM_FlowAllToAll2048(benchmark::State& state) {
  flow_cost(state, cluster("deepseek-v3-2048-mpft"), uniform_all_to_all(2048, 1 << 20));
}

/// All-reduce of 1 GiB among 16,384 GPUs (ring and tree priced, the faster kept).
void BM_FlowAllReduce16384(benchmark::State& state) {
  flow_cost(state, cluster("deepseek-mpft-16384"), by_size(CollectiveKind::all_reduce, 16384, double(1 << 30)));
}

// --- the same schedules on both backends ---------------------------------------------------------

constexpr int kNodes = 4, kGpus = 8 * kNodes;

/// One schedule on 4 H800 nodes: `which` 0 = DeepEP normal dispatch (EP32, 4,096 tokens per rank,
/// DeepSeek-V3 routing, FP8 tokens, node-forwarded), 1 = ring all-reduce of 256 MiB, 2 = uniform
/// all-to-all of 1 MiB per pair.
models::Schedule schedule(int which, const models::Topology& t) {
  if (which == 0) {
    const workloads::ModelSpec m = workloads::ModelSpec::schema().bind(
        config::load_tree(STRATA_SOURCE_DIR "/configs/workloads/deepseek-v3.yaml"));
    Collective c = by_size(CollectiveKind::ep_dispatch, kGpus, 0);
    c.tokens = std::make_shared<workloads::TokenRouting>(workloads::route_tokens(m.moe, 0, kGpus, 4096, 8, 1, 0));
    c.token_bytes = workloads::activation_bytes(1, m.hidden, hw::DType::fp8);
    return models::plan_collective(c, CollectiveAlgorithm::node_forwarded, t, false,
                                   models::NetworkOptions().ep_store_bytes);
  }
  if (which == 1)
    return models::plan_collective(by_size(CollectiveKind::all_reduce, kGpus, 256.0 * (1 << 20)),
                                   CollectiveAlgorithm::ring, t, false);
  return models::plan_collective(uniform_all_to_all(kGpus, 1 << 20), CollectiveAlgorithm::direct, t, false);
}

/// `exact`: flow_batching 0 (every completion re-shares the rates) instead of the default.
void flow_schedule(benchmark::State& state, int which, bool exact = false) {
  auto topo = cluster("h800-ib-rail-fat-tree", kNodes);
  models::NetworkOptions o;
  if (exact) o.flow_batching = 0;
  models::FlowNetwork net(topo, o);
  const models::Schedule s = schedule(which, *topo);
  net.price(s);  // warms the route caches
  bench::ModelCounters counters;
  for (auto _ : state) counters.add(state, bench::time_here([&] { return net.price(s).time_s; }));
  counters.finish(state);
}

/// `train_bytes`: payload of one packet train (0: the default).
void packet_schedule(benchmark::State& state, int which, double train_bytes = 0) {
  bench::ModelCounters counters;
  models::NetworkOptions o;
  if (train_bytes > 0) o.packet_train_bytes = train_bytes;
  for (auto _ : state)
    counters.add(state, bench::time_in_child([&]() -> bench::Work {
      auto topo = cluster("h800-ib-rail-fat-tree", kNodes);
      auto net = std::make_shared<models::PacketNetwork>(topo, o);
      auto s = std::make_shared<models::Schedule>(schedule(which, *topo));
      return [net, s] { return net->price(*s).time_s; };
    }));
  counters.finish(state);
}

void BM_FlowDeepEpDispatch32(benchmark::State& s) { flow_schedule(s, 0); }
void BM_FlowDeepEpDispatch32Exact(benchmark::State& s) { flow_schedule(s, 0, true); }
void BM_PacketDeepEpDispatch32(benchmark::State& s) { packet_schedule(s, 0); }
void BM_FlowRingAllReduce32(benchmark::State& s) { flow_schedule(s, 1); }
void BM_PacketRingAllReduce32(benchmark::State& s) { packet_schedule(s, 1); }
void BM_FlowAllToAll32(benchmark::State& s) { flow_schedule(s, 2); }
void BM_PacketAllToAll32(benchmark::State& s) { packet_schedule(s, 2); }
void BM_PacketAllToAll32Train16k(benchmark::State& s) { packet_schedule(s, 2, 16384); }

}  // namespace

BENCHMARK(BM_FlowAllToAll2048)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_FlowAllReduce16384)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_FlowDeepEpDispatch32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlowDeepEpDispatch32Exact)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PacketDeepEpDispatch32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlowRingAllReduce32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PacketRingAllReduce32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FlowAllToAll32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PacketAllToAll32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PacketAllToAll32Train16k)->UseManualTime()->Unit(benchmark::kMillisecond);
