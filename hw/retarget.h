// Moving a chip design to another process node. Logic shrinks with logic density, SRAM with
// the bitcell, analog and I/O not at all; then one of three choices spends the gain:
//  iso_frequency: same clock and core count, so power falls (the node's power factor);
//  iso_power:     same power, so the clock rises (the node's speed factor);
//  iso_area:      same die area, so more cores fit, and power rises with them.
// The result says what changed and why, line by line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hw/chip.h"
#include "hw/process_node.h"
#include "sim/config/schema.h"

namespace strata::hw {

enum class RetargetMode { iso_frequency, iso_power, iso_area };
std::vector<std::pair<std::string, RetargetMode>> retarget_mode_options();
const char* retarget_mode_name(RetargetMode m);

/// How a die's area splits between what scales with logic density, with the SRAM bitcell,
/// and not at all (analog, PHYs, pads). Fractions of the die; they sum to 1.
struct DieComposition {
  double logic = 0.6;
  double sram = 0.3;
  double fixed = 0.1;
  static const config::Schema<DieComposition>& schema();
};

/// A hardware file's request to move its chip to another node (`retarget:` in configs/hw).
struct RetargetSpec {
  ProcessNodeSpec node;  ///< the new node (base: configs/nodes/NAME.yaml)
  RetargetMode mode = RetargetMode::iso_power;
  DieComposition die;
  static const config::Schema<RetargetSpec>& schema();
};

struct RetargetResult {
  ChipSpec chip;             ///< the design on the new node
  double area_factor = 1;    ///< new die area / old
  double clock_factor = 1;
  double cores_factor = 1;
  double power_factor = 1;   ///< chip power at full load, new / old (before any TDP cap)
  std::vector<std::string> changes;  ///< "what changed and why", one line each
};

/// Moves `chip` from its own node (chip.node) to `to`. Energies per action scale with the node's
/// power factor at equal clock (iso_frequency, iso_area) or with 1 / speed factor (iso_power:
/// the same power buys a faster clock); the TDP and the package stay.
RetargetResult retarget(const ChipSpec& chip, const ProcessNodeSpec& to, RetargetMode mode,
                        const DieComposition& die);

}  // namespace strata::hw
