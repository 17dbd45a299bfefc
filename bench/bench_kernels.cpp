// Cycle-level kernel simulation speed: slowdown = wall time / simulated time, for a large GEMM,
// a grouped (MoE) GEMM and a decode attention on the H800 preset. Each kernel is simulated in a
// child process (SystemC cannot restart), timed there, and reported as counters.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "models/kernels/kernel_for_op.h"
#include "models/tensor_core/kernel_batch.h"
#include "sim/config/loader.h"
#include "sim/engine/child_process.h"
#include "sim/engine/cycle_cost_model.h"
#include "sim/engine/memory_characterization.h"
#include "workloads/kernels.h"

using namespace strata;

namespace {

hw::HardwareSpec h800() {
  return hw::HardwareSpec::schema().bind(config::load_tree(STRATA_SOURCE_DIR "/configs/hw/h800-sxm.yaml"));
}

workloads::ModelSpec deepseek() {
  return workloads::ModelSpec::schema().bind(config::load_tree(STRATA_SOURCE_DIR "/configs/workloads/deepseek-v3.yaml"));
}

void simulate(benchmark::State& state, const workloads::Op& op) {
  const hw::HardwareSpec hw = h800();
  sim::KernelCache cache(sim::KernelCache::default_dir());
  const models::MemoryFactory memory = sim::characterized_memory(sim::characterize_memory(hw.memory, cache));
  double wall = 0, simulated = 0;
  for (auto _ : state) {
    std::string text = sim::run_in_child([&] {
      auto t0 = std::chrono::steady_clock::now();
      double t = sim::simulate_ops(hw, hw.chip.sm_count, {op}, memory).at(0).time_s;
      double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g %.17g", w, t);
      return std::string(buf);
    });
    double w, t;
    std::istringstream(text) >> w >> t;
    wall += w, simulated += t;
    state.SetIterationTime(w);
  }
  state.counters["simulated_us"] = simulated / state.iterations() * 1e6;
  state.counters["slowdown"] = wall / simulated;
}

void BM_LargeGemm(benchmark::State& s) {
  simulate(s, workloads::gemm("gemm", 0, 4096, 7168, 16384, hw::DType::fp8));
}
void BM_GroupedGemm(benchmark::State& s) {
  // 32 experts of 32 tokens on one GPU (DeepSeek-V3 decode, EP8, 128 requests per GPU).
  simulate(s, workloads::grouped_gemm("experts", 0, std::vector<int64_t>(32, 32), 4096, 7168, hw::DType::fp8));
}
void BM_DecodeAttention(benchmark::State& s) {
  // DeepSeek-V3 MLA: 128 requests x 4096 cached tokens, 128 heads.
  workloads::ModelSpec m = deepseek();
  workloads::AttentionWork w;
  w.requests = 128;
  w.queries = 128;
  w.context = 128.0 * 4096;
  w.pairs = 128.0 * 4096;
  w.heads = 128;
  simulate(s, workloads::attention_decode("mla", 0, m.attention, w,
                                          workloads::kv_bytes_per_token_per_layer(m, hw::DType::bf16)));
}

}  // namespace

BENCHMARK(BM_LargeGemm)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_GroupedGemm)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DecodeAttention)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);
