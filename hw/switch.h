// One switch chip (or box): its ports, forwarding latency, buffers, in-network reduction (NVLink
// SHARP, InfiniBand SHARP), and the power and price it adds to a bill of materials. Presets live
// in configs/switches/.
#pragma once

#include <string>

#include "sim/config/schema.h"

namespace strata::hw {

struct SwitchSpec {
  std::string name;                    ///< "NVSwitch gen3"
  int ports = 0;                       ///< link ports
  double port_rate_bytes_per_s = 0;    ///< fastest link a port takes, one direction
  double latency_s = 0;                ///< port to port, cut-through
  double buffer_per_port_bytes = 0;    ///< input buffer of one port (credits it grants)
  bool in_network_reduction = false;   ///< sums packets from several ports (SHARP, NVLS)
  double reduction_rate_bytes_per_s = 0;  ///< reduced output the chip produces per second
  double power_w = 0;                  ///< one chip as installed: its box's fans and conversion shared out, no pluggables
  double price_usd = 0;                ///< one chip's share of its box
  int chips_per_box = 1;               ///< chips in one box or tray (an NVLink switch tray: 2)
  std::string box;                     ///< what the box is called ("QM9700 1U", "NVLink switch tray")

  /// Switching capacity, both directions of every port ("3.2 TB/s" for gen3).
  double aggregate_bandwidth() const { return 2.0 * ports * port_rate_bytes_per_s; }

  static const config::Schema<SwitchSpec>& schema();
};

}  // namespace strata::hw
