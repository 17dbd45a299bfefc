// Links of one node: the scale-up fabric (each GPU's NVLinks into the node's NVSwitch chips) and
// the scale-out NICs. How nodes are wired together is the cluster's business (hw/cluster.h).
#pragma once

#include "hw/link.h"
#include "hw/nic.h"
#include "hw/switch.h"
#include "sim/config/schema.h"

namespace strata::hw {

/// Each GPU's links into the node's switch chips, and the chips.
struct ScaleUpSpec {
  int links = 0;                   ///< links per GPU
  LinkSpec link;                   ///< kind of every GPU-to-switch link
  SwitchSpec switch_chip;          ///< key "switch": the NVSwitch chip
  int switches = 0;                ///< switch chips in the node; every GPU reaches all of them
  double message_overhead_s = 0;   ///< GPU-side software cost of one message (kernel, flags)

  /// Per direction, all links of one GPU (headline data rate).
  double gpu_bandwidth() const { return links * link.data_rate(); }

  static const config::Schema<ScaleUpSpec>& schema();
};

/// Network adapters for traffic between nodes.
struct ScaleOutSpec {
  int nics_per_node = 0;
  NicSpec nic;

  static const config::Schema<ScaleOutSpec>& schema();
};

}  // namespace strata::hw
