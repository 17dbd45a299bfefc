#include "models/tensor_core/kernel_batch.h"

#include "models/noc/timing_payload.h"

namespace strata::models {
namespace {

class Launcher : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Launcher);
  Launcher(sc_core::sc_module_name name, Gpu& gpu, BandwidthMemory& memory,
           const std::vector<const TiledKernel*>& kernels)
      : sc_module(name), m_gpu(gpu), m_memory(memory), m_kernels(kernels) {
    SC_THREAD(run);
  }
  std::vector<KernelResult> results;

 private:
  void run() {
    for (const TiledKernel* k : m_kernels) {
      m_memory.reset();
      results.push_back(m_gpu.run(*k));
    }
  }
  Gpu& m_gpu;
  BandwidthMemory& m_memory;
  const std::vector<const TiledKernel*>& m_kernels;
};

}  // namespace

MemoryFactory peak_bandwidth_memory(double efficiency, double latency_s) {
  return [=](const hw::HardwareSpec& hw) {
    return std::make_unique<BandwidthMemory>("memory", hw.memory.peak_bandwidth() * efficiency, seconds(latency_s));
  };
}

std::vector<KernelResult> simulate_kernels(const hw::HardwareSpec& hw, int sms,
                                           const std::vector<const TiledKernel*>& kernels,
                                           const MemoryFactory& memory, bool wave_sampling) {
  Gpu gpu("gpu", hw.chip, sms);
  gpu.wave_sampling = wave_sampling;
  std::unique_ptr<BandwidthMemory> mem = memory(hw);
  gpu.l2.memory.bind(mem->socket);
  Launcher launcher("launcher", gpu, *mem, kernels);
  sc_core::sc_start();
  return launcher.results;
}

}  // namespace strata::models

