// Simulator speed of the first slice: building and executing the demo decode step.
#include <benchmark/benchmark.h>

#include "sim/engine/run.h"

static void BM_DemoDecodeStep(benchmark::State& state) {
  // Analytical costs: this measures the workload generator and the executor.
  auto sc = strata::sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/demo.yaml", {"fidelity=analytical"});
  for (auto _ : state) {
    auto r = strata::sim::run_scenario(sc);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DemoDecodeStep)->Unit(benchmark::kMillisecond);

