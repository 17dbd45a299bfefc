#include "models/tensor_core/gpu.h"

#include <string>

#include "models/noc/timing_payload.h"

namespace strata::models {
using sc_core::sc_time;

Gpu::Gpu(sc_core::sc_module_name name, const hw::ChipSpec& chip, int sm_count)
    : sc_module(name),
      l2("l2", chip.l2_bytes, chip.onchip.l2_bytes_per_clock * chip.clock_hz,
         seconds(chip.onchip.l2_hit_cycles / chip.clock_hz), seconds(chip.onchip.fabric_latency_s)),
      m_chip(chip) {
  for (int i = 0; i < sm_count; ++i) {
    sms.push_back(std::make_unique<Sm>(("sm" + std::to_string(i)).c_str()));
    sms.back()->socket.bind(l2.target);
  }
}

KernelResult Gpu::run(const TiledKernel& k) {
  l2.flush();
  SmParams p;
  p.tensor_flops_per_s = m_chip.flops_per_clock_per_sm.of(k.mma_dtype()) * m_chip.clock_hz;
  p.vector_flops_per_s = m_chip.flops_per_clock_per_sm.fp32 * m_chip.clock_hz;
  p.smem_bytes_per_s = m_chip.onchip.smem_bytes_per_clock * m_chip.clock_hz;
  p.sfu_ops_per_s = m_chip.onchip.sfu_ops_per_clock * m_chip.clock_hz;
  p.quantum = sc_time(100, sc_core::SC_NS);
  const sc_time t0 = sc_core::sc_time_stamp();
  const sc_time start = t0 + seconds(m_chip.onchip.kernel_start_s);
  // Persistent round-robin: CTA c runs on SM c mod n, in launch order; wave i is CTAs i*n..
  const int n = sm_count();
  const int64_t ctas = k.ctas();
  const int64_t waves = (ctas + n - 1) / n;
  bool uniform = true;
  for (int64_t c = 1; c < ctas && uniform; ++c) uniform = k.steps(c) == k.steps(0);
  const bool sample = wave_sampling && uniform && waves >= 2 * kSampledWaves;
  auto simulated = [&](int64_t wave) { return !sample || wave < kSampledWaves || wave == waves - 1; };
  std::vector<std::vector<int64_t>> assign(n);
  int64_t kept = 0;
  for (int64_t c = 0; c < ctas; ++c)
    if (simulated(c / n)) assign[c % n].push_back(c), ++kept;
  sc_core::sc_event_and_list all;
  for (int i = 0; i < n; ++i) {
    sms[i]->launch(&k, std::move(assign[i]), p, start);
    all &= sms[i]->done();
  }
  wait(all);
  KernelResult r;
  sc_time end = start;
  // End of each simulated wave: the latest CTA of that wave on any SM.
  std::vector<sc_time> wave_end(sample ? kSampledWaves : 0, start);
  for (const auto& sm : sms) {
    end = sm->finish() > end ? sm->finish() : end;
    const SmStats& s = sm->stats();
    r.mma_flops += s.mma_flops;
    r.vector_flops += s.vector_flops;
    r.load_bytes += s.load_bytes;
    r.store_bytes += s.store_bytes;
    r.smem_bytes += s.smem_bytes;
    r.math_busy_s += s.busy.to_seconds();
    for (size_t w = 0; w < wave_end.size() && w < s.cta_end.size(); ++w)
      wave_end[w] = s.cta_end[w] > wave_end[w] ? s.cta_end[w] : wave_end[w];
  }
  if (l2.writes_drained() > end) end = l2.writes_drained();
  if (end > sc_core::sc_time_stamp()) wait(end - sc_core::sc_time_stamp());
  r.time_s = (end - t0).to_seconds();
  r.l2 = l2.stats();
  r.waves = waves;
  r.simulated_waves = sample ? kSampledWaves + 1 : waves;
  if (sample) {
    // The skipped middle waves at the steady time per wave of waves 1..kSampledWaves-1.
    const int64_t skipped = waves - kSampledWaves - 1;
    const double per_wave = (wave_end[kSampledWaves - 1] - wave_end[1]).to_seconds() / (kSampledWaves - 2);
    r.time_s += skipped * per_wave;
    const double scale = double(ctas) / double(kept);
    r.mma_flops *= scale, r.vector_flops *= scale, r.load_bytes *= scale, r.store_bytes *= scale;
    r.smem_bytes *= scale, r.math_busy_s *= scale;
    r.l2.hit_bytes *= scale, r.l2.miss_bytes *= scale, r.l2.write_bytes *= scale;
  }
  return r;
}

}  // namespace strata::models
