// The chip: SMs on a crossbar to the L2, the L2 in front of an off-chip memory target, and a
// launcher that runs kernels one after another from a cold L2 and measures each.
#pragma once

#include <systemc>
#include <tlm>

#include <memory>
#include <vector>

#include "hw/chip.h"
#include "models/kernels/tiled_kernel.h"
#include "models/noc/l2_cache.h"
#include "models/tensor_core/sm.h"

namespace strata::models {

struct KernelResult {
  double time_s = 0;  ///< launch to last store completed
  double mma_flops = 0, vector_flops = 0;
  double load_bytes = 0, store_bytes = 0, smem_bytes = 0;
  L2Stats l2;
  double math_busy_s = 0;  ///< summed over SMs
  int64_t waves = 0, simulated_waves = 0;  ///< waves of CTAs, and how many were simulated
};

class Gpu : public sc_core::sc_module {
 public:
  /// `sms`: SMs kernels may use (the chip's count less any reserved for communication).
  Gpu(sc_core::sc_module_name name, const hw::ChipSpec& chip, int sms);

  L2Cache l2;
  std::vector<std::unique_ptr<Sm>> sms;

  /// Runs one kernel to completion; call from an SC_THREAD. The L2 starts cold.
  ///
  /// Wave sampling: when every CTA does the same number of steps (dense and grouped GEMMs) and
  /// there are at least 12 waves, only the first 6 waves and the last are simulated; the waves
  /// in between take the steady time per wave measured over waves 1 to 5 (a persistent pipeline
  /// runs them alike), and the counters scale with the CTAs left out. The unit test
  /// ChipModel.WaveSampling... holds it within 1% of simulating every wave.
  KernelResult run(const TiledKernel& k);
  static constexpr int kSampledWaves = 6;
  bool wave_sampling = true;  ///< off: simulate every wave (tests measure the sampling error)
  int sm_count() const { return static_cast<int>(sms.size()); }

 private:
  hw::ChipSpec m_chip;
};

}  // namespace strata::models
