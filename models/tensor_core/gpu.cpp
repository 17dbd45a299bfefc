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
  // Persistent round-robin: CTA c runs on SM c mod n, in launch order.
  const int n = sm_count();
  std::vector<std::vector<int64_t>> assign(n);
  for (int64_t c = 0; c < k.ctas(); ++c) assign[c % n].push_back(c);
  sc_core::sc_event_and_list all;
  for (int i = 0; i < n; ++i) {
    sms[i]->launch(&k, std::move(assign[i]), p, start);
    all &= sms[i]->done();
  }
  wait(all);
  KernelResult r;
  sc_time end = start;
  for (const auto& sm : sms) {
    end = sm->finish() > end ? sm->finish() : end;
    const SmStats& s = sm->stats();
    r.mma_flops += s.mma_flops;
    r.vector_flops += s.vector_flops;
    r.load_bytes += s.load_bytes;
    r.store_bytes += s.store_bytes;
    r.smem_bytes += s.smem_bytes;
    r.math_busy_s += s.busy.to_seconds();
  }
  if (end > sc_core::sc_time_stamp()) wait(end - sc_core::sc_time_stamp());
  r.time_s = (end - t0).to_seconds();
  r.l2 = l2.stats();
  return r;
}

}  // namespace strata::models
