// A foundry process node as a designer sees it: how dense, how fast and how frugal it is
// relative to TSMC N7, what a wafer costs and how many defects it has. Values live in
// configs/nodes/*.yaml with their sources; weakly sourced ones are marked there.
#pragma once

#include <string>

#include "sim/config/schema.h"

namespace strata::hw {

struct ProcessNodeSpec {
  std::string name;
  double logic_density_mtr_per_mm2 = 0;  ///< million transistors per mm2 of logic
  double sram_bitcell_um2 = 0;        ///< high-density SRAM bitcell area
  double speed_vs_n7 = 1;            ///< clock at equal power, relative to N7
  double power_vs_n7 = 1;            ///< dynamic power at equal clock, relative to N7
  double vdd_v = 0;                  ///< nominal core supply
  double leakage_fraction = 0;       ///< share of a busy chip's power that is static at nominal V and f
  double wafer_price_usd = 0;        ///< 300 mm logic wafer
  double defect_density_per_cm2 = 0; ///< killer defects
  std::string maturity;              ///< free text: "mature", "ramp 2025", "assumption"

  static const config::Schema<ProcessNodeSpec>& schema();
};

}  // namespace strata::hw
