// A network adapter: the PCIe link to its GPU, its network port, and what one message costs
// (work-request posting, doorbell, DMA setup and completion, including the software that issues
// it). Presets live in configs/nics/.
#pragma once

#include <string>

#include "hw/link.h"
#include "sim/config/schema.h"

namespace strata::hw {

struct NicSpec {
  std::string name;                  ///< "ConnectX-7 NDR"
  double port_rate_bytes_per_s = 0;  ///< network port line rate, one direction
  LinkSpec host_link;                ///< PCIe link to the GPU (through a PCIe switch)
  double latency_s = 0;              ///< NIC pipeline, each direction it is crossed
  double message_overhead_s = 0;     ///< per message, sender and receiver software included

  static const config::Schema<NicSpec>& schema();
};

}  // namespace strata::hw
