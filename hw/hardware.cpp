#include "hw/hardware.h"

#include <string>

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
    s.check([](const HardwareSpec& h, const config::Checker& k) {
      const ScaleUpSpec& u = h.scale_up;
      int needed = h.gpus_per_node * u.links;
      if (needed > u.switches * u.switch_chip.ports)
        k.fail("scale_up.switches",
               std::to_string(h.gpus_per_node) + " GPUs x " + std::to_string(u.links) +
                   " links need " + std::to_string(needed) + " switch ports; " +
                   std::to_string(u.switches) + " x " + u.switch_chip.name + " have " +
                   std::to_string(u.switches * u.switch_chip.ports));
      int nics = h.scale_out.nics_per_node;
      if (nics > 0 && nics % h.gpus_per_node != 0 && h.gpus_per_node % nics != 0)
        k.fail("scale_out.nics_per_node",
               "NICs are shared evenly by GPUs: nics_per_node must divide gpus_per_node or be a "
               "multiple of it (" + std::to_string(h.gpus_per_node) + ")");
    });
    return s;
  }();
  return s;
}

}  // namespace strata::hw
