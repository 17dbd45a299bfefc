#include "hw/hardware.h"

#include <algorithm>
#include <cmath>
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
    s.list("retarget", &HardwareSpec::retarget,
           "Moves of the chip to other process nodes, applied in order when the file is read")
        .def("[]");
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
    s.adjust([](HardwareSpec& h, const config::Checker&) {
      const int designed_dies = h.chip.compute_dies;
      for (const RetargetSpec& step : h.retarget) {
        RetargetResult r = hw::retarget(h.chip, step.node, step.mode, step.die);
        h.chip = r.chip;
        h.retarget_changes.push_back("to " + step.node.name + ", " + retarget_mode_name(step.mode) + ":");
        for (std::string& c : r.changes) h.retarget_changes.push_back("  " + c);
        // A die larger than the reticle cannot be exposed: split it into equal dies (joined by
        // die-to-die links, as B200's two dies are); a later shrink joins them again.
        const double reticle = h.package.reticle_area_m2;
        const int dies = std::max(designed_dies, int(std::ceil(h.chip.die_area_m2 / reticle - 1e-9)));
        if (dies != h.chip.compute_dies)
          h.retarget_changes.push_back("  " + std::to_string(int(h.chip.die_area_m2 * 1e6)) + " mm2 of logic against the " +
                                       std::to_string(int(reticle * 1e6)) + " mm2 reticle: " + std::to_string(dies) +
                                       (dies == 1 ? " die" : " dies"));
        h.chip.compute_dies = dies;
      }
      h.retarget.clear();
    });
    s.adjust([](HardwareSpec& h, const config::Checker& k) {  // after any retarget: the built design
      if (h.memory.stacks > h.chip.hbm_sites)
        k.fail("memory.stacks", std::to_string(h.memory.stacks) + " HBM stacks, but the package has " +
                                    std::to_string(h.chip.hbm_sites) + " sites (chip.hbm_sites)");
      if (h.chip.die_area_m2 / h.chip.compute_dies > h.package.reticle_area_m2)
        k.fail("chip.die_area", "each of the " + std::to_string(h.chip.compute_dies) + " dies would be " +
                                    std::to_string(int(h.chip.die_area_m2 / h.chip.compute_dies * 1e6)) +
                                    " mm2, above the " + std::to_string(int(h.package.reticle_area_m2 * 1e6)) +
                                    " mm2 reticle (raise chip.compute_dies)");
      try {
        evaluate_package(h.package, package_contents(h), h.chip.node, YieldModel::poisson, 0);
      } catch (const std::invalid_argument& e) {
        k.fail("package", e.what());
      }
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
