#include "hw/hardware.h"

namespace strata::hw {

const config::Schema<HardwareSpec>& HardwareSpec::schema() {
  static const config::Schema<HardwareSpec> s = [] {
    config::Schema<HardwareSpec> s("hardware", "One node: accelerator, memory, links, NICs");
    s.child("chip", &HardwareSpec::chip, "The accelerator chip");
    s.child("memory", &HardwareSpec::memory, "Each accelerator's HBM");
    s.child("scale_up", &HardwareSpec::scale_up, "NVLink (or similar) fabric inside a node");
    s.child("scale_out", &HardwareSpec::scale_out, "NICs between nodes");
    s.integer("gpus_per_node", &HardwareSpec::gpus_per_node, "Accelerators in one node")
        .min(1)
        .max(1024);
    return s;
  }();
  return s;
}

}  // namespace strata::hw
