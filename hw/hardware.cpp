#include "hw/hardware.h"

#include <string>

namespace strata::hw {
using config::Dim;

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
    s.child("package", &HardwareSpec::package, "Package technology (base: ../packages/NAME.yaml)");
    s.quantity("node_overhead_power", &HardwareSpec::node_overhead_power_w, Dim::power,
               "Power of a node beyond its GPUs: CPUs, NICs, NVSwitches, fans, power conversion")
        .min(0);
    s.optional_child("retarget", &HardwareSpec::retarget,
                     "Move the chip to another process node when the file is read");
    s.check([](const HardwareSpec& h, const config::Checker& k) {
      const ScaleUpSpec& u = h.scale_up;
      int needed = h.gpus_per_node * u.links;
      if (needed > u.switches * u.switch_chip.ports)
        k.fail("scale_up.switches",
               std::to_string(h.gpus_per_node) + " GPUs x " + std::to_string(u.links) +
                   " links need " + std::to_string(needed) + " switch ports; " +
                   std::to_string(u.switches) + " x " + u.switch_chip.name + " have " +
                   std::to_string(u.switches * u.switch_chip.ports));
      if (h.memory.stacks > h.chip.hbm_sites)
        k.fail("memory.stacks", std::to_string(h.memory.stacks) + " HBM stacks, but the package has " +
                                    std::to_string(h.chip.hbm_sites) + " sites (chip.hbm_sites)");
      try {
        evaluate_package(h.package, package_contents(h), h.chip.node, YieldModel::poisson, 0);
      } catch (const std::invalid_argument& e) {
        k.fail("package", e.what());
      }
      int nics = h.scale_out.nics_per_node;
      if (nics > 0 && nics % h.gpus_per_node != 0 && h.gpus_per_node % nics != 0)
        k.fail("scale_out.nics_per_node",
               "NICs are shared evenly by GPUs: nics_per_node must divide gpus_per_node or be a "
               "multiple of it (" + std::to_string(h.gpus_per_node) + ")");
    });
    s.adjust([](HardwareSpec& h, const config::Checker&) {
      if (!h.retarget) return;
      RetargetResult r = hw::retarget(h.chip, h.retarget->node, h.retarget->mode, h.retarget->die);
      h.chip = r.chip;
      h.retarget_changes = r.changes;
      h.retarget.reset();
    });
    return s;
  }();
  return s;
}

PackageContents package_contents(const HardwareSpec& h) {
  PackageContents c;
  c.compute_dies = h.chip.compute_dies;
  c.die_area_m2 = h.chip.die_area_m2 / h.chip.compute_dies;
  c.hbm_sites = h.chip.hbm_sites;
  c.hbm_capacity_bytes = h.memory.capacity_bytes;
  return c;
}

}  // namespace strata::hw
