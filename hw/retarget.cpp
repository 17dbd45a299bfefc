#include "hw/retarget.h"

#include <cmath>
#include <cstdio>

namespace strata::hw {

std::vector<std::pair<std::string, RetargetMode>> retarget_mode_options() {
  return {{"iso_frequency", RetargetMode::iso_frequency},
          {"iso_power", RetargetMode::iso_power},
          {"iso_area", RetargetMode::iso_area}};
}

const char* retarget_mode_name(RetargetMode m) {
  switch (m) {
    case RetargetMode::iso_frequency: return "iso_frequency";
    case RetargetMode::iso_power: return "iso_power";
    case RetargetMode::iso_area: return "iso_area";
  }
  return "?";
}

namespace {
std::string line(const char* fmt, double a, double b = 0, double c = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}
}  // namespace

const config::Schema<DieComposition>& DieComposition::schema() {
  static const config::Schema<DieComposition> s = [] {
    config::Schema<DieComposition> s("die_composition", "How the die area splits by what scales");
    s.number("logic", &DieComposition::logic, "Fraction of the die that scales with logic density")
        .def("0.6").range("0", "1");
    s.number("sram", &DieComposition::sram, "Fraction that scales with the SRAM bitcell").def("0.3").range("0", "1");
    s.number("fixed", &DieComposition::fixed, "Fraction that does not scale (analog, PHYs, pads)")
        .def("0.1").range("0", "1");
    s.check([](const DieComposition& d, const config::Checker& k) {
      if (std::fabs(d.logic + d.sram + d.fixed - 1) > 1e-6) k.fail("fixed", "logic + sram + fixed must be 1");
    });
    return s;
  }();
  return s;
}

const config::Schema<RetargetSpec>& RetargetSpec::schema() {
  static const config::Schema<RetargetSpec> s = [] {
    config::Schema<RetargetSpec> s("retarget", "Move the chip to another process node");
    s.child("node", &RetargetSpec::node, "The new node (base: ../nodes/NAME.yaml)");
    s.choice("mode", &RetargetSpec::mode, retarget_mode_options(),
             "What the node's gain is spent on: iso_frequency (less power), iso_power (faster "
             "clock), iso_area (more cores)");
    s.child("die", &RetargetSpec::die, "How the die area splits between logic, SRAM and fixed parts");
    return s;
  }();
  return s;
}

RetargetResult retarget(const ChipSpec& chip, const ProcessNodeSpec& to, RetargetMode mode,
                        const DieComposition& die) {
  const ProcessNodeSpec& from = chip.node;
  RetargetResult r;
  r.chip = chip;
  const double logic = from.logic_density_mtr_per_mm2 / to.logic_density_mtr_per_mm2;
  const double sram = from.sram_bitcell_um2 > 0 && to.sram_bitcell_um2 > 0
                          ? to.sram_bitcell_um2 / from.sram_bitcell_um2
                          : logic;
  const double shrink = die.logic * logic + die.sram * sram + die.fixed;  // same design, new node
  const double speed = to.speed_vs_n7 / from.speed_vs_n7;
  const double power = to.power_vs_n7 / from.power_vs_n7;
  r.changes.push_back(line("logic area x%.3f (density %.1f -> %.1f MTr/mm2)", logic,
                           from.logic_density_mtr_per_mm2, to.logic_density_mtr_per_mm2));
  r.changes.push_back(line("SRAM area x%.3f (bitcell %.4f -> %.4f um2)", sram, from.sram_bitcell_um2,
                           to.sram_bitcell_um2));
  r.changes.push_back(line("analog and I/O (%.0f%% of the die) do not shrink", die.fixed * 100));
  switch (mode) {
    case RetargetMode::iso_frequency:
      r.area_factor = shrink;
      r.power_factor = power;
      r.changes.push_back(line("same clock and cores: power x%.3f (the node's power factor at equal speed)", power));
      break;
    case RetargetMode::iso_power:
      r.area_factor = shrink;
      r.clock_factor = speed;
      r.changes.push_back(line("same power: clock x%.3f (the node's speed factor at equal power)", speed));
      break;
    case RetargetMode::iso_area: {
      // Spend the freed area on more cores (the logic and SRAM part scales; I/O does not).
      const double core_area = die.logic * logic + die.sram * sram;
      r.cores_factor = (die.logic + die.sram) / core_area;
      r.area_factor = 1.0;
      r.power_factor = power * r.cores_factor;
      r.changes.push_back(line("same die area: x%.3f cores fit in the area the shrink frees", r.cores_factor));
      r.changes.push_back(line("power x%.3f: each core x%.3f, times the core count", r.power_factor, power));
      break;
    }
  }
  r.chip.die_area_m2 = chip.die_area_m2 * r.area_factor;
  r.chip.clock_hz = chip.clock_hz * r.clock_factor;
  r.chip.sm_count = static_cast<int>(std::floor(chip.sm_count * r.cores_factor + 1e-9));
  r.chip.l2_bytes = chip.l2_bytes * r.cores_factor;
  r.chip.dvfs.min_clock_hz = chip.dvfs.min_clock_hz * r.clock_factor;
  r.chip.transistors = chip.transistors * r.cores_factor;
  r.chip.node = to;
  // Energy per action: at equal clock each op costs the node's power factor; at equal power the
  // faster clock spends the same watts on more ops.
  const double energy = mode == RetargetMode::iso_power ? 1.0 / speed : power;
  for (double* e : {&r.chip.energy.tensor_fp8_j, &r.chip.energy.tensor_bf16_j, &r.chip.energy.tensor_fp16_j,
                    &r.chip.energy.vector_fp32_j, &r.chip.energy.smem_j_per_bit, &r.chip.energy.l2_j_per_bit})
    *e *= energy;
  r.chip.name = chip.name + " on " + to.name + " (" + retarget_mode_name(mode) + ")";
  r.changes.push_back(line("energy per action x%.3f", energy));
  r.changes.push_back(line("die %.0f -> %.0f mm2", chip.die_area_m2 * 1e6, r.chip.die_area_m2 * 1e6));
  r.changes.push_back(line("clock %.0f -> %.0f MHz; SMs %.0f", chip.clock_hz / 1e6, r.chip.clock_hz / 1e6, r.chip.sm_count));
  return r;
}

}  // namespace strata::hw
