// Simulator speed of the flow-level network at cluster scale: wall time per simulated
// collective (routing caches warm, topology built once): an all-to-all among the 2,048 GPUs of
// DeepSeek-V3's 8-plane fat tree, and an all-reduce among 16,384 GPUs.
#include <benchmark/benchmark.h>

#include <memory>

#include "models/network/flow_network.h"
#include "hw/cluster.h"

using namespace strata;
using workloads::Collective;
using workloads::CollectiveKind;

namespace {

std::shared_ptr<models::Topology> cluster(const std::string& preset) {
  hw::ClusterPreset p = hw::load_cluster_preset(STRATA_SOURCE_DIR "/configs/clusters/" + preset + ".yaml");
  return std::make_shared<models::Topology>(p.hardware, p.cluster);
}

void run(benchmark::State& state, const models::FlowNetwork& net, const Collective& c) {
  const double simulated = net.cost(c).time_s;  // also warms the route caches
  for (auto _ : state) {
    models::CollectiveCost cc = net.cost(c);
    benchmark::DoNotOptimize(cc);
  }
  state.counters["simulated_ms"] = benchmark::Counter(simulated * 1e3);
}

}  // namespace

/// Uniform all-to-all: every GPU sends 1 MiB to each of the 2,047 others (4.2 M flows), cross-
/// plane pairs relayed over NVLink.
static void BM_AllToAll2048(benchmark::State& state) {
  models::FlowNetwork net(cluster("deepseek-v3-2048-mpft"), {});
  Collective c;
  c.kind = CollectiveKind::all_to_all;
  for (int a = 0; a < 2048; ++a) {
    c.ranks.push_back(a);
    for (int b = 0; b < 2048; ++b)
      if (a != b) c.flows.push_back({a, b, 1 << 20});
  }
  run(state, net, c);
}
BENCHMARK(BM_AllToAll2048)->Unit(benchmark::kSecond)->Iterations(3);

/// All-reduce of 1 GiB among 16,384 GPUs, the algorithm chosen automatically (ring and tree
/// priced, the faster kept).
static void BM_AllReduce16384(benchmark::State& state) {
  models::FlowNetwork net(cluster("deepseek-mpft-16384"), {});
  Collective c;
  c.kind = CollectiveKind::all_reduce;
  for (int r = 0; r < 16384; ++r) c.ranks.push_back(r);
  c.bytes = double(1 << 30);
  run(state, net, c);
}
BENCHMARK(BM_AllReduce16384)->Unit(benchmark::kSecond)->Iterations(3);

BENCHMARK_MAIN();
