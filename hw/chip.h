// One accelerator chip: compute units, their per-clock tensor throughput, on-chip memory, power.
#pragma once

#include <string>

#include "hw/dtype.h"
#include "hw/energy.h"
#include "hw/process_node.h"
#include "sim/config/schema.h"

namespace strata::hw {

/// Dense (no sparsity) arithmetic per clock per SM (or core) for each format.
struct TensorRates {
  double fp8 = 0;   ///< FLOP/clock/SM on FP8 tensor-core MMA
  double bf16 = 0;  ///< FLOP/clock/SM on BF16 MMA
  double fp16 = 0;  ///< FLOP/clock/SM on FP16 MMA
  double fp32 = 0;  ///< FLOP/clock/SM on FP32 vector (non-tensor) FMA lanes

  double of(DType d) const;
  static const config::Schema<TensorRates>& schema();
};

/// On-chip timing of a GPU-like chip: what a cycle-level kernel model needs beyond the peaks.
/// Latencies in clocks scale with the clock; the fabric latency is in time.
struct OnChipSpec {
  double l2_bytes_per_clock = 0;   ///< L2 -> SM read bandwidth of the whole chip
  double l2_hit_cycles = 0;        ///< load-to-use latency of an L2 hit
  double smem_bytes_per_clock = 0; ///< shared-memory bandwidth of one SM
  double sfu_ops_per_clock = 0;    ///< special-function (exp, rcp) throughput of one SM
  double fabric_latency_s = 0;     ///< L2 miss path to the memory controller and back, beyond DRAM timing
  double kernel_start_s = 0;       ///< launch to first CTA running (grid launch, prologue)

  static const config::Schema<OnChipSpec>& schema();
};

/// The GEMM kernels the software runs on the chip: the tile shapes they may choose (by DeepGEMM's
/// rule: fewest waves, then the fullest last wave) and whether CTA pairs share an operand by TMA
/// multicast. The defaults are DeepGEMM's (configs/kernels/deepgemm.yaml).
struct GemmLibrarySpec {
  std::string name = "DeepGEMM";
  int block_m_min = 64, block_m_max = 128;  ///< powers of two between; 64 only for groups of <= 64 rows
  int block_n_min = 16, block_n_max = 256, block_n_step = 8;
  bool multicast = true;  ///< 2-CTA clusters share B across M (or A across N)

  static const config::Schema<GemmLibrarySpec>& schema();
};

struct ChipSpec {
  std::string name;
  int sm_count = 0;            ///< streaming multiprocessors (or cores) usable by kernels
  double clock_hz = 0;         ///< sustained tensor clock
  TensorRates flops_per_clock_per_sm;
  double smem_per_sm_bytes = 0;   ///< shared memory / scratchpad per SM
  double l2_bytes = 0;            ///< last-level on-chip cache
  OnChipSpec onchip;
  double tdp_w = 0;
  double die_area_m2 = 0;         ///< total logic die area in the package
  double transistors = 0;
  int compute_dies = 1;           ///< logic dies sharing die_area_m2 (B200: 2)
  int hbm_sites = 0;              ///< HBM sites on the package (some may be unpopulated)
  double list_price_usd = 0;      ///< street price of one accelerator; 0 when unknown
  ProcessNodeSpec node;           ///< process of the logic dies (configs/nodes)
  ChipEnergySpec energy;          ///< energy per action at the node's nominal voltage
  DvfsSpec dvfs;                  ///< how the clock and voltage fall under the power cap
  GemmLibrarySpec gemm;           ///< the GEMM kernel library the software runs

  /// Peak dense arithmetic of the whole chip in `d`, in FLOP/s.
  double peak_flops(DType d) const { return sm_count * flops_per_clock_per_sm.of(d) * clock_hz; }

  static const config::Schema<ChipSpec>& schema();
};

}  // namespace strata::hw
