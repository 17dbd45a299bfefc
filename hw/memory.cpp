#include "hw/memory.h"

#include <stdexcept>

namespace strata::hw {
using config::Dim;
using config::Schema;

const char* hbm_name(HbmGeneration g) {
  switch (g) {
    case HbmGeneration::hbm2e: return "hbm2e";
    case HbmGeneration::hbm3: return "hbm3";
    case HbmGeneration::hbm3e: return "hbm3e";
    case HbmGeneration::hbm4: return "hbm4";
  }
  return "?";
}

const Schema<MemorySpec>& MemorySpec::schema() {
  static const Schema<MemorySpec> s = [] {
    Schema<MemorySpec> s("memory", "Off-chip HBM of one accelerator");
    s.choice("generation", &MemorySpec::generation,
             {{"hbm2e", HbmGeneration::hbm2e},
              {"hbm3", HbmGeneration::hbm3},
              {"hbm3e", HbmGeneration::hbm3e},
              {"hbm4", HbmGeneration::hbm4}},
             "HBM generation");
    s.integer("stacks", &MemorySpec::stacks, "Active HBM stacks").min(1).max(64);
    s.integer("bus_width_bits", &MemorySpec::bus_width_bits, "Data pins per stack").min(64).max(8192);
    s.quantity("pin_rate", &MemorySpec::pin_rate_bytes_per_s, Dim::data_rate,
               "Data rate per pin")
        .range("0.1 Gb/s", "64 Gb/s");
    s.quantity("capacity", &MemorySpec::capacity_bytes, Dim::bytes,
               "Usable capacity of all stacks together")
        .positive();
    s.child("organisation", &MemorySpec::organisation,
            "Channels, banks and bursts of one stack (base: configs/hbm/NAME.yaml)");
    s.child("timing", &MemorySpec::timing, "JEDEC timing table (base: configs/hbm/NAME.yaml)");
    s.child("controller", &MemorySpec::controller, "Memory controller of each pseudo-channel");
    s.child("energy", &MemorySpec::energy, "Energy per action and background power (DRAMPower style)");
    s.check([](const MemorySpec& m, const config::Checker& k) {
      const HbmOrganisation& o = m.organisation;
      if (o.pseudo_channels_per_stack() * o.pc_width_bits != m.bus_width_bits)
        k.fail("organisation", "channels x pseudo_channels x pc_width_bits = " +
                                   std::to_string(o.pseudo_channels_per_stack() * o.pc_width_bits) +
                                   " pins, but bus_width_bits is " + std::to_string(m.bus_width_bits));
      if (m.capacity_bytes > m.stacks * o.stack_bytes())
        k.fail("capacity", "exceeds what the organisation addresses (stacks x pseudo-channels x "
                           "banks x rows x page = " +
                               config::format_display(m.stacks * o.stack_bytes(), Dim::bytes) + ")");
      try {
        resolve_address_mapping(m.controller.address_mapping, m.stacks, o.channels, o.pseudo_channels,
                                o.bank_groups, o.banks_per_group, o.rows, o.columns());
      } catch (const std::invalid_argument& e) {
        k.fail("controller.address_mapping", e.what());
      }
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
