// The hardware of one node: its accelerator (chip + memory), links and NICs. A cluster is
// `nodes` of these; the scenario says how many.
#pragma once

#include "hw/chip.h"
#include "hw/interconnect.h"
#include "hw/memory.h"

namespace strata::hw {

struct HardwareSpec {
  ChipSpec chip;
  MemorySpec memory;
  ScaleUpSpec scale_up;
  ScaleOutSpec scale_out;
  int gpus_per_node = 0;

  static const config::Schema<HardwareSpec>& schema();
};

}  // namespace strata::hw
