// Simulator speed on the published deployments: one decode step of the 18-node EP144 preset
// and one training step of the 2048-GPU preset (targets: 2 s and 30 s on one core), plus the
// prefill preset. Each iteration builds the workload, executes it and derives the report (the
// HDF5 write is left out). Run with `make bench`; report ratios from one run.
#include <benchmark/benchmark.h>

#include <string>

#include "sim/engine/run.h"

namespace {

void run_preset(benchmark::State& state, const std::string& name) {
  auto sc = strata::sim::load_scenario(STRATA_SOURCE_DIR "/configs/scenarios/" + name + ".yaml", {});
  size_t ops = 0;
  for (auto _ : state) {
    strata::sim::Simulation s = strata::sim::simulate(sc);
    ops = s.workload.graph.size();
    benchmark::DoNotOptimize(s);
  }
  state.counters["ops"] = double(ops);
}

void BM_DecodeEp144(benchmark::State& s) { run_preset(s, "deepseek-v3-decode-ep144"); }
void BM_PrefillEp32(benchmark::State& s) { run_preset(s, "deepseek-v3-prefill-ep32"); }
void BM_Training2048(benchmark::State& s) { run_preset(s, "deepseek-v3-training-2048"); }
void BM_Llama70bTp8(benchmark::State& s) { run_preset(s, "llama-2-70b-tp8"); }

}  // namespace

BENCHMARK(BM_DecodeEp144)->Unit(benchmark::kSecond)->Iterations(3);
BENCHMARK(BM_PrefillEp32)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_Training2048)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_Llama70bTp8)->Unit(benchmark::kMillisecond);
