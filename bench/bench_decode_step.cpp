// Simulator speed of the cluster level alone: building and executing the demo decode step (one
// 8x H800 node) with analytical kernel costs, i.e. the workload generator, the executor and the
// flow network, without HDF5. Counters: ops in the graph and ops executed per wall-clock second.
#include <benchmark/benchmark.h>

#include "sim/engine/run.h"

static void BM_DemoDecodeStep(benchmark::State& state) {
  auto sc = strata::sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", {"fidelity=analytical"});
  size_t ops = 0;
  for (auto _ : state) {
    strata::sim::Simulation s = strata::sim::simulate(sc);
    ops = s.workload.graph.size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["ops"] = double(ops);
  state.counters["ops_per_s"] = benchmark::Counter(double(ops) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DemoDecodeStep)->Unit(benchmark::kMillisecond)->UseRealTime();
