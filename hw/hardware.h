// The hardware of one node: its accelerator (chip + memory), links and NICs. A cluster is
// `nodes` of these; the scenario says how many.
#pragma once

#include <string>
#include <vector>

#include "hw/chip.h"
#include "hw/interconnect.h"
#include "hw/memory.h"
#include "hw/package.h"
#include "hw/retarget.h"

namespace strata::hw {

struct HardwareSpec {
  ChipSpec chip;
  MemorySpec memory;
  ScaleUpSpec scale_up;
  ScaleOutSpec scale_out;
  int gpus_per_node = 0;
  PackageSpec package;              ///< 2.5D package technology of each accelerator
  double node_overhead_power_w = 0; ///< CPUs, NICs, switches, fans, conversion: a node's power beyond its GPUs
  /// Node moves applied in order when the file is read (the chip is replaced by its
  /// retargeted self and the list cleared, so the resolved config shows the simulated design).
  std::vector<RetargetSpec> retarget;
  std::vector<std::string> retarget_changes;  ///< what the retarget changed and why (not a config key)

  static const config::Schema<HardwareSpec>& schema();
};

/// What goes on the interposer of one accelerator of `h`.
PackageContents package_contents(const HardwareSpec& h);

}  // namespace strata::hw
