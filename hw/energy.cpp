#include "hw/energy.h"

#include <algorithm>

namespace strata::hw {
using config::Dim;
using config::Schema;

double ChipEnergySpec::tensor_j(DType d) const {
  switch (d) {
    case DType::fp8: return tensor_fp8_j;
    case DType::bf16: return tensor_bf16_j;
    case DType::fp16: return tensor_fp16_j;
    case DType::fp32: return vector_fp32_j;
  }
  return tensor_bf16_j;
}

const Schema<ChipEnergySpec>& ChipEnergySpec::schema() {
  static const Schema<ChipEnergySpec> s = [] {
    Schema<ChipEnergySpec> s("chip_energy", "Energy per action at nominal voltage");
    s.quantity("tensor_fp8", &ChipEnergySpec::tensor_fp8_j, Dim::energy,
               "Per FP8 tensor-core FLOP (operand registers and accumulation included)")
        .range("0 J", "1 nJ");
    s.quantity("tensor_bf16", &ChipEnergySpec::tensor_bf16_j, Dim::energy, "Per BF16 tensor-core FLOP")
        .range("0 J", "1 nJ");
    s.quantity("tensor_fp16", &ChipEnergySpec::tensor_fp16_j, Dim::energy, "Per FP16 tensor-core FLOP")
        .range("0 J", "1 nJ");
    s.quantity("vector_fp32", &ChipEnergySpec::vector_fp32_j, Dim::energy,
               "Per FP32 vector FLOP (register-file reads included)")
        .range("0 J", "1 nJ");
    s.quantity("smem", &ChipEnergySpec::smem_j_per_bit, Dim::energy_per_bit, "Shared-memory access per bit")
        .range("0 J/bit", "1 nJ/bit");
    s.quantity("l2", &ChipEnergySpec::l2_j_per_bit, Dim::energy_per_bit,
               "L2 access and on-chip network per bit")
        .range("0 J/bit", "1 nJ/bit");
    s.quantity("die_to_die", &ChipEnergySpec::die_to_die_j_per_bit, Dim::energy_per_bit,
               "Per bit crossing between compute dies (used when compute_dies > 1)")
        .range("0 J/bit", "1 nJ/bit");
    return s;
  }();
  return s;
}

double DvfsSpec::voltage_fraction(double clock_hz, double nominal_hz) const {
  if (clock_hz >= nominal_hz || nominal_hz <= min_clock_hz) return 1.0;
  const double x = std::max(0.0, (clock_hz - min_clock_hz) / (nominal_hz - min_clock_hz));
  return voltage_at_min_clock + (1.0 - voltage_at_min_clock) * x;
}

const Schema<DvfsSpec>& DvfsSpec::schema() {
  static const Schema<DvfsSpec> s = [] {
    Schema<DvfsSpec> s("dvfs", "Clock and voltage scaling under the power cap");
    s.quantity("min_clock", &DvfsSpec::min_clock_hz, Dim::frequency, "Lowest clock the power cap may set")
        .range("1 MHz", "20 GHz");
    s.number("voltage_at_min_clock", &DvfsSpec::voltage_at_min_clock,
             "Supply voltage at min_clock as a fraction of nominal (linear up to the nominal clock)")
        .range("0.3", "1");
    s.quantity("clock_step", &DvfsSpec::clock_step_hz, Dim::frequency, "Granularity of clock settings")
        .def("15 MHz")
        .range("0 Hz", "1 GHz");
    s.quantity("power_window", &DvfsSpec::power_window_s, Dim::time,
               "Time constant of the power controller: the clock of each window of this length is "
               "the highest whose average power fits the TDP")
        .range("1 us", "1000 s");
    return s;
  }();
  return s;
}

const Schema<HbmEnergySpec>& HbmEnergySpec::schema() {
  static const Schema<HbmEnergySpec> s = [] {
    Schema<HbmEnergySpec> s("hbm_energy", "HBM energy per action (DRAMPower style)");
    s.quantity("activate", &HbmEnergySpec::activate_j, Dim::energy, "One activate + precharge of a row")
        .range("0 J", "1 uJ");
    s.quantity("read", &HbmEnergySpec::read_j_per_bit, Dim::energy_per_bit, "Core read energy per bit")
        .range("0 J/bit", "1 nJ/bit");
    s.quantity("write", &HbmEnergySpec::write_j_per_bit, Dim::energy_per_bit, "Core write energy per bit")
        .range("0 J/bit", "1 nJ/bit");
    s.quantity("io", &HbmEnergySpec::io_j_per_bit, Dim::energy_per_bit,
               "Interface energy per bit moved, both ends (PHY, TSVs, interposer wires)")
        .range("0 J/bit", "1 nJ/bit");
    s.quantity("background", &HbmEnergySpec::background_w, Dim::power,
               "Standby and refresh power of one stack")
        .range("0 W", "100 W");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
