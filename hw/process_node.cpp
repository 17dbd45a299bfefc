#include "hw/process_node.h"

namespace strata::hw {
using config::Dim;
using config::Schema;

const Schema<ProcessNodeSpec>& ProcessNodeSpec::schema() {
  static const Schema<ProcessNodeSpec> s = [] {
    Schema<ProcessNodeSpec> s("process_node", "A foundry process node");
    s.text("name", &ProcessNodeSpec::name, "Node name, e.g. TSMC N5");
    s.number("logic_density_mtr_per_mm2", &ProcessNodeSpec::logic_density_mtr_per_mm2,
             "Logic transistor density, million transistors per mm2")
        .positive();
    s.number("sram_bitcell_um2", &ProcessNodeSpec::sram_bitcell_um2, "High-density SRAM bitcell area, um2")
        .min(0);
    s.number("speed_vs_n7", &ProcessNodeSpec::speed_vs_n7, "Clock at equal power, relative to TSMC N7").positive();
    s.number("power_vs_n7", &ProcessNodeSpec::power_vs_n7, "Dynamic power at equal clock, relative to TSMC N7")
        .positive();
    s.number("vdd", &ProcessNodeSpec::vdd_v, "Nominal core supply voltage, volts").range("0.3", "1.5");
    s.number("leakage_fraction", &ProcessNodeSpec::leakage_fraction,
             "Share of a busy chip's power that is static at nominal voltage and clock")
        .range("0", "0.9");
    s.quantity("wafer_price", &ProcessNodeSpec::wafer_price_usd, Dim::money, "Price of one 300 mm logic wafer")
        .positive();
    s.number("defect_density_per_cm2", &ProcessNodeSpec::defect_density_per_cm2, "Killer defect density, per cm2")
        .min(0);
    s.text("maturity", &ProcessNodeSpec::maturity, "How established the figures are").def("\"\"");
    return s;
  }();
  return s;
}

}  // namespace strata::hw
