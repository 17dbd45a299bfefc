#include "models/tensor_core/kernel_batch.h"

#include "models/noc/bandwidth_memory.h"
#include "models/noc/timing_payload.h"

namespace strata::models {
namespace {

class Launcher : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Launcher);
  Launcher(sc_core::sc_module_name name, Gpu& gpu, const std::vector<const TiledKernel*>& kernels)
      : sc_module(name), m_gpu(gpu), m_kernels(kernels) {
    SC_THREAD(run);
  }
  std::vector<KernelResult> results;

 private:
  void run() {
    for (const TiledKernel* k : m_kernels) {
      results.push_back(m_gpu.run(*k));
      // Let posted writes drain so the next kernel starts on idle memory.
      wait(seconds(results.back().time_s + 10e-6));
    }
  }
  Gpu& m_gpu;
  const std::vector<const TiledKernel*>& m_kernels;
};

}  // namespace

MemoryFactory peak_bandwidth_memory(double efficiency, double latency_s) {
  return [=](L2Cache& l2, const hw::HardwareSpec& hw) -> std::unique_ptr<sc_core::sc_module> {
    auto m = std::make_unique<BandwidthMemory>("memory", hw.memory.peak_bandwidth() * efficiency,
                                               seconds(latency_s));
    l2.memory.bind(m->socket);
    return m;
  };
}

std::vector<KernelResult> simulate_kernels(const hw::HardwareSpec& hw, int sms,
                                           const std::vector<const TiledKernel*>& kernels,
                                           const MemoryFactory& memory) {
  Gpu gpu("gpu", hw.chip, sms);
  std::unique_ptr<sc_core::sc_module> mem = memory(gpu.l2, hw);
  Launcher launcher("launcher", gpu, kernels);
  sc_core::sc_start();
  return launcher.results;
}

}  // namespace strata::models

