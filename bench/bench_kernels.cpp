// Cycle-level kernel simulation speed: slowdown = wall time / simulated time, for a large GEMM,
// a grouped (MoE) GEMM, a decode and a prefill attention on the H800 preset, against the memory the HBM
// model characterised (as `fidelity: cycle` runs them). Each kernel is simulated in a child
// process (SystemC cannot restart), timed there, and reported as counters.
#include <benchmark/benchmark.h>

#include "bench/model_timing.h"
#include "sim/config/loader.h"
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
  bench::ModelCounters counters;
  for (auto _ : state)
    counters.add(state, bench::time_in_child([&]() -> bench::Work {
      return [&] { return sim::simulate_ops(hw, hw.chip.sm_count, {op}, memory).at(0).time_s; };
    }));
  counters.finish(state);
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
void BM_PrefillAttention(benchmark::State& s) {
  // DeepSeek-V3 MLA prefill (naive form, causal): 4 prompts of 4,096 tokens, 128 heads.
  workloads::AttentionWork w;
  w.requests = 4;
  w.queries = 4 * 4096;
  w.context = 4 * 4096;
  w.pairs = 4 * 4096.0 * 4097 / 2;
  w.heads = 128;
  simulate(s, workloads::attention_prefill("mla_prefill", 0, deepseek().attention, w));
}

}  // namespace

BENCHMARK(BM_LargeGemm)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GroupedGemm)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeAttention)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrefillAttention)->UseManualTime()->Unit(benchmark::kMillisecond);
