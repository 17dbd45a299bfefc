#include "hw/memory.h"

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
             "HBM generation (selects the timing preset in the cycle-level model)");
    s.integer("stacks", &MemorySpec::stacks, "Active HBM stacks").min(1).max(64);
    s.integer("bus_width_bits", &MemorySpec::bus_width_bits, "Data pins per stack").min(64).max(8192);
    s.quantity("pin_rate", &MemorySpec::pin_rate_bytes_per_s, Dim::data_rate,
               "Data rate per pin")
        .range("0.1 Gb/s", "64 Gb/s");
    s.quantity("capacity", &MemorySpec::capacity_bytes, Dim::bytes,
               "Usable capacity of all stacks together")
        .positive();
    return s;
  }();
  return s;
}

}  // namespace strata::hw
