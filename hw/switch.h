// One switch chip (or box): its ports, forwarding latency, buffers and in-network reduction
// (NVLink SHARP, InfiniBand SHARP). Presets live in configs/switches/.
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
  double energy_per_bit_j = 0;         ///< per bit switched (0: counted elsewhere, e.g. node overhead)

  /// Switching capacity, both directions of every port ("3.2 TB/s" for gen3).
  double aggregate_bandwidth() const { return 2.0 * ports * port_rate_bytes_per_s; }

  static const config::Schema<SwitchSpec>& schema();
};

}  // namespace strata::hw
