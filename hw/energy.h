// What one action costs in energy, and how voltage follows the clock. Energies are at the
// chip's nominal supply and scale with (V / V_nominal)^2 when DVFS lowers the voltage; HBM
// energies are the memory's own and do not follow the chip's voltage.
#pragma once

#include "hw/dtype.h"
#include "sim/config/schema.h"

namespace strata::hw {

/// Energy of the chip's actions at nominal voltage (J per FLOP, J per bit moved).
struct ChipEnergySpec {
  double tensor_fp8_j = 0;   ///< per FP8 tensor-core FLOP, operand registers and accumulators included
  double tensor_bf16_j = 0;  ///< per BF16 tensor-core FLOP
  double tensor_fp16_j = 0;  ///< per FP16 tensor-core FLOP
  double vector_fp32_j = 0;  ///< per FP32 vector FLOP, register-file reads included
  double smem_j_per_bit = 0;  ///< shared memory (SRAM scratchpad) read or write
  double l2_j_per_bit = 0;    ///< L2 access and the on-chip network to the SMs
  double die_to_die_j_per_bit = 0;  ///< crossing between compute dies (NV-HBI), per bit

  /// Per-FLOP energy of a tensor-core op in `d` (FP32 runs on the vector lanes).
  double tensor_j(DType d) const;
  static const config::Schema<ChipEnergySpec>& schema();
};

/// Dynamic voltage and frequency scaling: below the nominal clock the supply falls linearly
/// to `voltage_at_min_clock` x nominal at `min_clock`; the clock moves in `clock_step` bins.
/// The power controller holds the chip's power under its TDP averaged over `power_window`.
struct DvfsSpec {
  double min_clock_hz = 0;
  double voltage_at_min_clock = 1;  ///< fraction of nominal voltage
  double clock_step_hz = 0;         ///< granularity of the clock (NVIDIA: 15 MHz)
  double power_window_s = 0;        ///< time constant of the power controller

  /// Supply voltage at `clock_hz` as a fraction of nominal (1 at `nominal_hz`).
  double voltage_fraction(double clock_hz, double nominal_hz) const;
  static const config::Schema<DvfsSpec>& schema();
};

/// HBM energy in the style of DRAMPower: activate/precharge per row opened, core energy per
/// bit read or written, interface (PHY + TSV + interposer wire, both ends) per bit, and
/// background (standby + refresh) power per stack.
struct HbmEnergySpec {
  double activate_j = 0;        ///< one ACT + PRE of a row (IDD0 over tRC less standby)
  double read_j_per_bit = 0;    ///< core, IDD4R above active standby
  double write_j_per_bit = 0;   ///< core, IDD4W above active standby
  double io_j_per_bit = 0;      ///< interface, both ends
  double background_w = 0;      ///< per stack: standby (IDD2N/IDD3N) and refresh (IDD5)

  static const config::Schema<HbmEnergySpec>& schema();
};

}  // namespace strata::hw
